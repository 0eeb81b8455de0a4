"""Pairs of people whose names look alike: candidates for a human to merge, never merged here.

Comparing every pair of a 3,000-person class is 4.5 million comparisons; instead each name key
is filed under a few blocking keys, and only names sharing a block are compared:

- the key itself (the same name on two people);
- the words sorted (`okonkwo amara` / `amara okonkwo`);
- the key with one character deleted, and the key itself (two keys one edit apart always share
  one of these; the pair is then checked for exactly one edit: a letter changed, added,
  dropped, or two neighbours swapped);
- the key with one word left out, against whole keys (a dropped middle name, a trailing word).

A block holding more than `max_group` people (a common name in a huge class) is reported as a
chain of neighbours rather than every pair, so the output stays linear in the class size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import pairwise

SAME_NAME = "the same name"
REORDERED = "the same words in another order"
ONE_LETTER = "names one letter apart"
EXTRA_WORD = "one name has an extra word"

_PRIORITY = {SAME_NAME: 0, REORDERED: 1, ONE_LETTER: 2, EXTRA_WORD: 3}
_SHORTEST_FOR_TYPOS = 5  # one letter apart in `li`/`lu` or `ann`/`anna` is too weak a hint
# Deleting each character (or word) of a key makes as many copies of it as it is long: a
# 32,767-character "name" would make a gigabyte. No name is this long; longer keys are only
# compared whole and with their words sorted.
_LONGEST_FOR_VARIANTS = 120


def find_lookalikes(
    keys_by_person: Sequence[Iterable[str]], max_group: int = 25
) -> list[tuple[int, int, str]]:
    """(person i, person j, reason) for people whose name keys look alike, i < j, sorted.

    `keys_by_person[i]` holds the normalised name keys person i was seen with.
    """
    keys: list[set[str]] = [{k for k in ks if k} for ks in keys_by_person]
    filed = list(enumerate(keys))
    same = _people_by_block(filed)
    blocks = {
        SAME_NAME: {key: people for key, people in same.items() if len(people) > 1},
        REORDERED: _shared_blocks((person, map(_sorted_words, ks)) for person, ks in filed),
        ONE_LETTER: _shared_blocks((person, _edit_blocks(ks)) for person, ks in filed),
    }
    extra_word = _people_by_block(
        (person, (shorter for key in ks for shorter in _without_one_word(key)))
        for person, ks in filed
    )
    found: dict[tuple[int, int], str] = {}
    for reason, shared in blocks.items():
        for members in shared.values():
            for a, b in _pairs(members, max_group):
                if _confirm(reason, keys[a], keys[b]):
                    _note(found, a, b, reason)
    for shorter, longer in extra_word.items():
        if shorter in same:
            for a, b in _cross(longer, same[shorter], max_group):
                _note(found, a, b, EXTRA_WORD)
    return sorted((a, b, reason) for (a, b), reason in found.items())


def _people_by_block(filed: Iterable[tuple[int, Iterable[str]]]) -> dict[str, set[int]]:
    """Every block and the people filed under it."""
    people: dict[str, set[int]] = defaultdict(set)
    for person, blocks in filed:
        for block in blocks:
            people[block].add(person)
    return people


def _shared_blocks(filed: Iterable[tuple[int, Iterable[str]]]) -> dict[str, set[int]]:
    """The blocks two or more people are filed under, with those people.

    Nearly every block holds one person, so a block's first person is only noted, and a set is
    made when a second one comes.
    """
    first: dict[str, int] = {}
    shared: dict[str, set[int]] = {}
    for person, blocks in filed:
        for block in blocks:
            owner = first.setdefault(block, person)
            if owner != person:
                shared.setdefault(block, {owner}).add(person)
    return shared


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def _edit_blocks(keys: Iterable[str]) -> Iterator[str]:
    """Each key long enough for a typo to tell, and the key with each character deleted."""
    for key in keys:
        if _SHORTEST_FOR_TYPOS <= len(key) <= _LONGEST_FOR_VARIANTS:
            yield key
            yield from (key[:i] + key[i + 1 :] for i in range(len(key)))


def _without_one_word(key: str) -> list[str]:
    words = key.split()
    if len(words) < 3 or len(key) > _LONGEST_FOR_VARIANTS:
        return []
    return [" ".join(words[:i] + words[i + 1 :]) for i in range(len(words))]


def _pairs(members: set[int], max_group: int) -> list[tuple[int, int]]:
    ordered = sorted(members)
    if len(ordered) > max_group:
        return list(pairwise(ordered))
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]


def _cross(left: set[int], right: set[int], max_group: int) -> list[tuple[int, int]]:
    if len(left) * len(right) <= max_group * max_group:
        return [(a, b) for a in sorted(left) for b in sorted(right) if a != b]
    first_left, first_right = min(left), min(right)
    return [(a, first_right) for a in sorted(left)] + [(first_left, b) for b in sorted(right)]


def _confirm(reason: str, keys_a: set[str], keys_b: set[str]) -> bool:
    if reason == SAME_NAME:
        return bool(keys_a & keys_b)
    if reason == REORDERED:
        return any(
            a != b and sorted(a.split()) == sorted(b.split()) for a in keys_a for b in keys_b
        )
    return any(one_edit_apart(a, b) for a in keys_a for b in keys_b)


def _note(found: dict[tuple[int, int], str], a: int, b: int, reason: str) -> None:
    if a == b:
        return
    pair = (a, b) if a < b else (b, a)
    if pair not in found or _PRIORITY[reason] < _PRIORITY[found[pair]]:
        found[pair] = reason


def one_edit_apart(a: str, b: str) -> bool:
    """Exactly one letter changed, added or dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]
