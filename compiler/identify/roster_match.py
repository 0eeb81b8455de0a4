"""Which roster person a row is: by platform id, then e-mail, then name.

A name is looked for in tiers, closest first; the first tier that holds anybody decides, and
only when it holds exactly one roster person (two candidates equally close match neither):

1. the same key (case, accents, spaces, titles and punctuation do not matter);
2. the same words in another order (`Okonkwo Amara`);
3. a word more or less (a middle name dropped, `Jnr` added);
4. one letter changed, added, dropped or two swapped (in a name of at least five letters).

The candidates are only the roster's people, so a typo can be matched here that would be too
weak a hint between two unknown rows. Each tier is an index built once per roster (the later
tiers on first use), so a row costs a few dictionary look-ups and a few comparisons, not a
pass over the class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from compiler.identify.lookalikes import one_edit_apart
from compiler.identify.names import normalize_email, normalize_name
from compiler.model import Roster

SAME_KEY = "the same name"
REORDERED = "the same words in another order"
WORD_MORE_OR_LESS = "a word more or less"
ONE_LETTER = "one letter apart"

_SHORTEST_FOR_TYPOS = 5
_LONGEST_FOR_VARIANTS = 120  # a longer "name" is only matched whole (its variants cost memory)
_SCANS_BEFORE_INDEX = 50


class RosterMatcher:
    """The roster's people filed by id, e-mail and each tier's form of their name."""

    def __init__(self, roster: Roster) -> None:
        self.roster = roster
        self.keys = [normalize_name(person.name) for person in roster.people]
        self._ids = _unique(
            (person.person_id, i) for i, person in enumerate(roster.people) if person.person_id
        )
        self._emails = _unique(
            (email, i)
            for i, person in enumerate(roster.people)
            if (email := normalize_email(person.email).email) is not None
        )
        self._by_key = _filed((key, i) for i, key in enumerate(self.keys) if key)
        self._by_words = _filed((_sorted_words(key), i) for i, key in enumerate(self.keys) if key)
        self._by_word_left_out: dict[str, set[int]] | None = None
        self._by_length: dict[int, list[int]] | None = None
        self._by_letter_left_out: dict[str, set[int]] | None = None
        self._scans = 0

    def by_id(self, person_id: str | None) -> int | None:
        return None if person_id is None else self._ids.get(person_id)

    def by_email(self, email: str | None) -> int | None:
        return None if email is None else self._emails.get(email)

    def by_name(self, key: str) -> tuple[int | None, str, tuple[int, ...]]:
        """(the roster person, how the name matched, the candidates when several were equally
        close); (None, "", ()) when nobody is close."""
        if not key:
            return None, "", ()
        tiers: tuple[tuple[str, Callable[[str], set[int]]], ...] = (
            (SAME_KEY, self._same_key),
            (REORDERED, self._reordered),
            (WORD_MORE_OR_LESS, self._word_more_or_less),
            (ONE_LETTER, self._one_letter),
        )
        for how, tier in tiers:  # each worked out only when the closer ones found nobody
            found = tier(key)
            if len(found) == 1:
                return next(iter(found)), how, ()
            if found:
                return None, how, tuple(sorted(found))
        return None, "", ()

    def _same_key(self, key: str) -> set[int]:
        return self._by_key.get(key, set())

    def _reordered(self, key: str) -> set[int]:
        return self._by_words.get(_sorted_words(key), set())

    def _word_more_or_less(self, key: str) -> set[int]:
        if self._by_word_left_out is None:
            self._by_word_left_out = _filed(
                (shorter, i) for i, k in enumerate(self.keys) for shorter in _words_left_out(k)
            )
        found = set(self._by_word_left_out.get(key, set()))  # the row lacks a roster word
        for shorter in _words_left_out(key):  # the row has a word more
            found |= self._by_key.get(shorter, set())
        return found

    def _one_letter(self, key: str) -> set[int]:
        """Roster people one edit from `key`. The first few rows that need this compare with
        the keys of about the same length; past `_SCANS_BEFORE_INDEX` of them (a roster that
        matches the files poorly), every roster key is filed under itself with each letter
        left out, once, and two keys one edit apart share one of those."""
        if len(key) < _SHORTEST_FOR_TYPOS or len(key) > _LONGEST_FOR_VARIANTS:
            return set()
        if self._by_letter_left_out is None and self._scans < _SCANS_BEFORE_INDEX:
            self._scans += 1
            if self._by_length is None:
                self._by_length = {}
                for i, k in enumerate(self.keys):
                    self._by_length.setdefault(len(k), []).append(i)
            candidates = [
                i
                for n in (len(key) - 1, len(key), len(key) + 1)
                for i in self._by_length.get(n, ())
            ]
        else:
            if self._by_letter_left_out is None:
                self._by_letter_left_out = _filed(
                    (variant, i)
                    for i, k in enumerate(self.keys)
                    if _SHORTEST_FOR_TYPOS - 1 <= len(k) <= _LONGEST_FOR_VARIANTS + 1
                    for variant in _letters_left_out(k)
                )
            found: set[int] = set()
            for variant in _letters_left_out(key):
                found |= self._by_letter_left_out.get(variant, set())
            candidates = list(found)
        return {i for i in candidates if one_edit_apart(key, self.keys[i])}


def _unique(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Each value with its one roster person; a value two people share leads to neither."""
    found: dict[str, int] = {}
    shared: set[str] = set()
    for value, i in pairs:
        if value in found and found[value] != i:
            shared.add(value)
        found.setdefault(value, i)
    return {value: i for value, i in found.items() if value not in shared}


def _filed(pairs: Iterable[tuple[str, int]]) -> dict[str, set[int]]:
    filed: dict[str, set[int]] = {}
    for value, i in pairs:
        filed.setdefault(value, set()).add(i)
    return filed


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def _words_left_out(key: str) -> list[str]:
    words = key.split()
    if len(words) < 3:  # leaving a word of two out leaves one: a first name is not a person
        return []
    return [" ".join(words[:i] + words[i + 1 :]) for i in range(len(words))]


def _letters_left_out(key: str) -> list[str]:
    """The key and the key with each letter left out: two keys one edit apart share one."""
    return [key, *(key[:i] + key[i + 1 :] for i in range(len(key)))]
