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

The deletion blocks make a copy of each key per letter, most of the work in a big class; so
typo pairs are first looked for through halves of keys (`_halves_candidates`), which confirms
exactly the pairs the blocks would whenever it can vouch for that, and gives way to the blocks
otherwise.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from itertools import combinations, compress, count, pairwise
from operator import ne
from typing import TypeVar

SAME_NAME = "the same name"
REORDERED = "the same words in another order"
ONE_LETTER = "names one letter apart"
EXTRA_WORD = "one name has an extra word"

_Block = TypeVar("_Block", str, tuple[str, int, str])

_PRIORITY = {SAME_NAME: 0, REORDERED: 1, ONE_LETTER: 2, EXTRA_WORD: 3}
_SHORTEST_FOR_TYPOS = 5  # one letter apart in `li`/`lu` or `ann`/`anna` is too weak a hint
# Deleting each character (or word) of a key makes as many copies of it as it is long: a
# 32,767-character "name" would make a gigabyte. No name is this long; longer keys are only
# compared whole and with their words sorted.
_LONGEST_FOR_VARIANTS = 120
# People sharing half of a key are all paired when this few; more are told apart first.
_FEW = 3


def find_lookalikes(
    keys_by_person: Sequence[Iterable[str]], max_group: int = 25
) -> list[tuple[int, int, str]]:
    """(person i, person j, reason) for people whose name keys look alike, i < j, sorted.

    `keys_by_person[i]` holds the normalised name keys person i was seen with.
    """
    keys: list[set[str]] = [set(filter(None, ks)) for ks in keys_by_person]
    same = _people_by_block(enumerate(keys))
    blocks = {
        SAME_NAME: {key: people for key, people in same.items() if len(people) > 1},
        REORDERED: _shared_blocks((p, map(_sorted_words, ks)) for p, ks in enumerate(keys)),
    }
    found: dict[tuple[int, int], str] = {}
    for reason, shared in blocks.items():
        for members in shared.values():
            for a, b in _pairs(members, max_group):
                if _confirm(reason, keys[a], keys[b]):
                    _note(found, a, b, reason)
    for a, b in _one_letter_candidates(keys, max_group):
        if _any_one_edit_apart(keys[a], keys[b]):
            _note(found, a, b, ONE_LETTER)
    for shorter, longer in _extra_word_blocks(keys, same).items():
        for a, b in _cross(longer, same[shorter], max_group):
            _note(found, a, b, EXTRA_WORD)
    return sorted(
        (a, b, reason) for (a, b), reason in found.items() if not _numbered_apart(keys[a], keys[b])
    )


def _numbered_apart(keys_a: set[str], keys_b: set[str]) -> bool:
    """True when every name of one differs from every name of the other only in its numbers."""
    return all(a != b and differ_only_in_digits(a, b) for a in keys_a for b in keys_b)


def _people_by_block(filed: Iterable[tuple[int, Iterable[str]]]) -> dict[str, set[int]]:
    """Every block and the people filed under it."""
    people: dict[str, set[int]] = defaultdict(set)
    for person, blocks in filed:
        for block in blocks:
            people[block].add(person)
    return people


def _shared_blocks(filed: Iterable[tuple[int, Iterable[_Block]]]) -> dict[_Block, set[int]]:
    """The blocks two or more people are filed under, with those people.

    Nearly every block holds one person, so a block's first person is only noted, and a set is
    made when a second one comes.
    """
    first: dict[_Block, int] = {}
    shared: dict[_Block, set[int]] = {}
    for person, blocks in filed:
        for block in blocks:
            owner = first.setdefault(block, person)
            if owner != person:
                shared.setdefault(block, {owner}).add(person)
    return shared


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def _edit_blocks(keys: Iterable[str]) -> set[str]:
    """Each key long enough for a typo to tell, and the key with each character deleted."""
    blocks: set[str] = set()
    for key in keys:
        if _SHORTEST_FOR_TYPOS <= len(key) <= _LONGEST_FOR_VARIANTS:
            blocks.add(key)
            blocks.update([key[:i] + key[i + 1 :] for i in range(len(key))])
    return blocks


def _one_letter_candidates(keys: list[set[str]], max_group: int) -> Iterable[tuple[int, int]]:
    """The pairs of people to check for keys one edit apart: those sharing an edit block
    (chained when the block is big), or, when it can vouch for giving the same confirmed
    pairs, the far fewer that `_halves_candidates` finds."""
    candidates = _halves_candidates(keys, max_group)
    if candidates is not None:
        return candidates
    shared = _shared_blocks(enumerate(map(_edit_blocks, keys)))
    return [pair for members in shared.values() for pair in _pairs(members, max_group)]


def _halves_candidates(keys: list[set[str]], max_group: int) -> set[tuple[int, int]] | None:
    """The pairs of people that may have keys one edit apart, found through `_halves`; None
    when these might not be confirmed as the edit blocks' pairs are.

    Keys one edit apart share a `_halves` signature, and are one edit apart in the part they do
    not share (`_other_part`), so share one of its `_halves` too: people sharing a signature
    are paired when few, else only when their other parts share one as well (a common
    surname makes big groups whose first names mostly differ).

    Why the confirmed pairs are the edit blocks' confirmed pairs: keys one edit apart share an
    edit block too. Keys sharing a block without being one edit apart (`abcdef`/`bcdefa`)
    change nothing unless the two people are confirmed through another pair of keys of which
    one is too short or too long for edit blocks (two in range would be found here), or a block
    is so big it is chained. Neither happens here: each person's keys are all in range or all
    out of it, and no edit block has more than `max_group` people, as each of its holders is
    in one of its two `_halves` groups, and neither has more than `max_group // 2` of them
    (counted by `_few_hold_each_block` when the group itself is bigger).
    """
    most = max_group // 2
    groups = _filed_by_halves(keys)
    if groups is None:
        return None
    candidates: set[tuple[int, int]] = set()
    for signature, held in groups.items():
        if len(held) < 2:
            continue
        kind, n, _ = signature
        people = {person for person, _ in held}
        if len(people) <= min(_FEW, most):
            candidates.update(combinations(sorted(people), 2))
            continue
        split = _shared_blocks(_other_halves(kind, n, held))
        for sharing in split.values():
            if len(sharing) > most:
                return None  # many people alike but for a letter or two: leave it to blocks
            candidates.update(combinations(sorted(sharing), 2))
        if len(people) > most and not _few_hold_each_block(kind, n, held, split, most // 2):
            return None
    return candidates


_Signature = tuple[str, int, str]


_Filed = dict[_Signature, list[tuple[int, str]]]  # signature -> (person, key) filed there


def _filed_by_halves(keys: Sequence[Collection[str]]) -> _Filed | None:
    """Each `_halves` signature of a key, as itself and as the longer of a pair (see
    `_all_halves`), with the (person, key) filed under it; None when a person has keys both
    in and out of the lengths edit blocks are made for."""
    groups: defaultdict[_Signature, list[tuple[int, str]]] = defaultdict(list)
    for person, person_keys in enumerate(keys):
        for key in person_keys:
            if not _SHORTEST_FOR_TYPOS <= len(key) <= _LONGEST_FOR_VARIANTS:
                break
            entry = (person, key)
            for signature in _all_halves(key):
                groups[signature].append(entry)
        else:
            continue
        if any(_SHORTEST_FOR_TYPOS <= len(k) <= _LONGEST_FOR_VARIANTS for k in person_keys):
            return None
    return groups


def _all_halves(text: str) -> tuple[_Signature, _Signature, _Signature, _Signature]:
    """`_halves(text) + _halves(text, longer=True)`, in one call as every key needs both."""
    n = len(text)
    m, k = n // 2, (n - 1) // 2
    return (
        ("P", n, text[: m - 1 if m else 0]),
        ("S", n, text[m:]),
        ("P", n - 1, text[: k - 1 if k else 0]),
        ("S", n - 1, text[k + 1 :]),
    )


def _halves(text: str, longer: bool = False) -> tuple[_Signature, _Signature]:
    """Where a text's halves are filed, so that two texts one edit apart share one of these.

    Of equal length n, middle m = n // 2: changes at or after m - 1 (one letter, or two side by
    side) leave text[:m - 1] alike ("P", n); changes before m leave text[m:] alike ("S", n).
    Of lengths n and n + 1 (`longer`), the letter added at t: t >= m - 1 leaves the first
    m - 1 letters alike; t < m leaves the shorter's text[m:] equal to the longer's
    text[m + 1:]. So a text is filed as itself, and as the longer of such a pair.
    """
    n = len(text) - longer
    m = n // 2
    return (("P", n, text[: m - 1 if m else 0]), ("S", n, text[m + longer :]))


def _other_part(kind: str, n: int, key: str) -> str:
    """What a key of a `_halves` group (kind, n) does not share with the others: two keys of
    the group one edit apart differ only there, and are one edit apart there."""
    m = n // 2
    if kind == "P":
        return key[m - 1 if m else 0 :]
    return key[: m + len(key) - n]


def _other_halves(
    kind: str, n: int, held: list[tuple[int, str]]
) -> list[tuple[int, tuple[_Signature, _Signature]]]:
    """Each person of a `_halves` group (kind, n) with the `_halves` of their key's
    `_other_part`; the same as calling them one by one, which a big class does thousands of
    times (tests/compiler/test_lookalikes.py compares)."""
    m = n // 2
    cut = m - 1 if m else 0
    filed = []
    for person, key in held:
        longer = len(key) > n
        part = key[cut:] if kind == "P" else key[: m + longer]
        half = (len(part) - longer) // 2
        signatures = (
            ("P", len(part) - longer, part[: half - 1 if half else 0]),
            ("S", len(part) - longer, part[half + longer :]),
        )
        filed.append((person, signatures))
    return filed


def _few_hold_each_block(
    kind: str,
    n: int,
    held: list[tuple[int, str]],
    split: dict[_Signature, set[int]],
    most: int,
) -> bool:
    """Whether each edit block of length n has at most 2 x `most` holders in this `_halves`
    group (kind, n), told apart by the `_halves` of their other parts (`split`).

    A block's holders here are the keys of length n whose `_other_part` is the rest of the
    block, and those of length n + 1 whose other part loses a letter to become it; so, by the
    `_halves` rule, they are all in the two `split` groups of the rest's own halves. A split
    group counts as its size, or, when bigger than `most`, as the most people in it holding
    one rest."""
    if most < 1:
        return False  # a group of one would already count as too many
    for sharing in split.values():
        if len(sharing) <= most:
            continue
        holders: dict[str, set[int]] = {}
        for person, key in held:
            if person not in sharing:
                continue
            part = _other_part(kind, n, key)
            whole = len(key) == n
            rests = [part] if whole else [part[:i] + part[i + 1 :] for i in range(len(part))]
            for rest in rests:
                holders.setdefault(rest, set()).add(person)
        if any(len(people) > most for people in holders.values()):
            return False
    return True


def _extra_word_blocks(keys: list[set[str]], same: dict[str, set[int]]) -> dict[str, set[int]]:
    """Whole keys (of `same`) that are another person's key with one word left out, with the
    people whose keys they come from."""
    # A key with a word left out is single-spaced, so it can only be a whole key of its length
    # and first word: most are never put together.
    starts = {(len(key), key.partition(" ")[0]) for key in same}
    longer: dict[str, set[int]] = {}
    for person, person_keys in enumerate(keys):
        for key in person_keys:
            words = key.split()
            if len(words) < 3 or len(key) > _LONGEST_FOR_VARIANTS:
                continue
            joined = sum(map(len, words)) + len(words) - 1
            for i, word in enumerate(words):
                first = words[1] if i == 0 else words[0]
                if (joined - len(word) - 1, first) not in starts:
                    continue
                shorter = " ".join(words[:i] + words[i + 1 :])
                if shorter in same:
                    longer.setdefault(shorter, set()).add(person)
    return longer


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
    return _any_one_edit_apart(keys_a, keys_b)


def _any_one_edit_apart(keys_a: set[str], keys_b: set[str]) -> bool:
    """`_confirm` for ONE_LETTER, called directly for the thousands of typo candidates."""
    if len(keys_a) == 1 == len(keys_b):  # most people: no generator to set up
        return one_edit_apart(next(iter(keys_a)), next(iter(keys_b)))
    return any(one_edit_apart(a, b) for a in keys_a for b in keys_b)


def _note(found: dict[tuple[int, int], str], a: int, b: int, reason: str) -> None:
    if a == b:
        return
    pair = (a, b) if a < b else (b, a)
    if pair not in found or _PRIORITY[reason] < _PRIORITY[found[pair]]:
        found[pair] = reason


def related_name_groups(keys: Sequence[str]) -> int:
    """How many groups of related names (see `_related`) one person's name keys fall into."""
    cluster = list(range(len(keys)))
    for i, a in enumerate(keys):
        for j in range(i):
            b = keys[j]
            if _related(a, b):
                old, new = cluster[i], cluster[j]
                cluster = [new if c == old else c for c in cluster]
    return len(set(cluster))


def _related(key_a: str, key_b: str) -> bool:
    """Spellings of one name: a typo apart, or each word of the shorter matches one of the other.

    Words match when equal, a typo apart or one is the other's initial. Sharing a surname is
    not enough: siblings often use a parent's e-mail.
    """
    joined_a, joined_b = key_a.replace(" ", ""), key_b.replace(" ", "")
    if joined_a != joined_b and differ_only_in_digits(joined_a, joined_b):
        return False  # `person 1` and `person 3`, `sample.name12` and `sample.name13`
    if joined_a == joined_b or one_edit_apart(joined_a, joined_b):
        return True
    shorter, longer = sorted((key_a.split(), key_b.split()), key=len)
    unused = list(longer)
    for word in shorter:
        match = next((w for w in unused if _same_word(word, w)), None)
        if match is None:
            return False
        unused.remove(match)
    return True


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) == 1:
        return a[0] == b[0]
    return min(len(a), len(b)) >= 4 and one_edit_apart(a, b)


def one_edit_apart(a: str, b: str) -> bool:
    """Exactly one letter changed, added or dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differences: int = sum(map(ne, a, b))
        if differences != 2:
            return differences == 1
        i = next(compress(count(), map(ne, a, b)))
        # Side by side, with a's first in b's second place.
        return bool(a[i + 2 :] == b[i + 2 :] and a[i] == b[i + 1])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = next(compress(count(), map(ne, short, long)), len(short))
    return short[i:] == long[i + 1 :]


_DIGITS = re.compile(r"\d+")


def differ_only_in_digits(key_a: str, key_b: str) -> bool:
    """True for names told apart only by their numbers (`person 1` / `person 3`): numbered
    nicknames and placeholders are different people, never one person's typo."""
    return _DIGITS.sub("#", key_a) == _DIGITS.sub("#", key_b) and bool(_DIGITS.search(key_a))
