"""Identity noise that no file settles, for `make_class(..., undecidable=True)`.

`tests.support.plan` keeps every noisy case decidable from the files alone. Real classes
(docs/formats.md, and issue 13) also hold cases only a roster or a person who knows can
settle, and these are made here, as far as a layout can carry them:

- a misspelling alone: in one test a person types their name another way (a letter, a title, a
  trailing word, a dropped middle name) and leaves the e-mail blank or unusable (a layout
  without e-mails: just the name);
- a respelt second e-mail: from the middle of their tests on, a person uses a second e-mail
  and another spelling of their name;
- false namesakes: two different people whose names are one letter apart, who never sit the
  same test.

Each misspelling made here is its owner's alone: no other person's name (or spelling) is equal
to it, one letter from it, or a word more or less than it, so the truth and a roster settle
every case. Layouts whose every row carries the platform's person id (Canvas: `roster` traits)
get none of it; people who go by a numbered nickname are left alone.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from tests.support import roster
from tests.support.roster import names_alike, normalise_name

if TYPE_CHECKING:
    from tests.support.plan import CastMember, Traits

MISSPELT_ALONE = "misspelt-alone"
RESPELT_EMAIL = "respelt-email"
FALSE_NAMESAKE = "false-namesake"
ROLES = (MISSPELT_ALONE, RESPELT_EMAIL, FALSE_NAMESAKE)

_ATTEMPTS = 20


def make_false_namesakes(
    rng: random.Random,
    cast: list[CastMember],
    order: list[int],
    traits: Traits,
    tests: int,
    taken: set[str],
) -> None:
    """Rename the second of a few pairs of plain people one letter from the first (about 4 in
    100 people are such pairs); `schedule` keeps them out of each other's tests."""
    if traits.roster or _named_tests(traits, tests) < 2:
        return
    wanted = max(1, round(0.04 * len(cast)))
    free = [i for i in order if cast[i].role == "plain" and _typable(cast[i].name)]
    made = 0
    while made < wanted and len(free) >= 2:
        first, second = free.pop(0), free.pop(0)
        others = _names_of(cast, skip={first, second})
        namesake = _namesake(rng, cast[first].name, taken, others)
        if namesake is None:
            continue
        taken.discard(normalise_name(cast[second].name))
        taken.add(normalise_name(namesake))
        cast[second].name = namesake
        for one, other in ((first, second), (second, first)):
            cast[one].role = FALSE_NAMESAKE
            cast[one].apart_from = other
        made += 1


def give_roles(
    rng: random.Random,
    cast: list[CastMember],
    order: list[int],
    traits: Traits,
    tests: int,
    taken_names: set[str],
    taken_emails: set[str],
) -> None:
    """Choose who misspells their name alone (about 3 in 100) and who respells it under a
    second e-mail (about 2 in 100, where the files have e-mails), with the spelling each uses."""
    if traits.roster or _named_tests(traits, tests) < 2:
        return
    count = len(cast)
    wanted = [(MISSPELT_ALONE, max(1, round(0.03 * count)))]
    if traits.email:
        wanted.append((RESPELT_EMAIL, max(1, round(0.02 * count))))
    free = [i for i in order if cast[i].role == "plain" and _typable(cast[i].name)]
    for role, number in wanted:
        given = 0
        while given < number and free:
            index = free.pop(0)
            member = cast[index]
            others = _names_of(cast, skip={index})
            spelling = _respelling(rng, member.name, taken_names, others, typo_first=given % 2 == 0)
            if spelling is None:
                continue
            member.role, member.respelling = role, spelling
            if role == RESPELT_EMAIL:
                member.second_email = roster.invent_email(
                    rng, member.name, taken_emails, initial=True
                )
            given += 1


def schedule(
    rng: random.Random,
    cast: list[CastMember],
    tests: int,
    traits: Traits,
    nameless_test: int | None,
) -> None:
    """Once attendance is drawn: false namesakes take tests apart, and the others show their
    misspelling (and blank, unusable or second e-mail) in the tests chosen for it.

    Nobody given a role here sits the test without a name column: a row with only an e-mail
    there could not be tied to a name at all.
    """
    named = [t for t in range(1, tests + 1) if t != nameless_test]
    alone = 0
    for index, member in enumerate(cast):
        if member.role == FALSE_NAMESAKE and member.apart_from is not None:
            if member.apart_from > index:
                _take_tests_apart(rng, member, cast[member.apart_from], named)
                member.note = f"false namesake of person {member.apart_from}"
                cast[member.apart_from].note = f"false namesake of person {index}"
        elif member.role == MISSPELT_ALONE:
            _misspell_alone(rng, member, named, traits, blank=alone % 2 == 0)
            alone += 1
        elif member.role == RESPELT_EMAIL:
            _respell_later(rng, member, named)


def _take_tests_apart(
    rng: random.Random, first: CastMember, second: CastMember, named: list[int]
) -> None:
    pool = rng.sample(named, len(named))
    cut = rng.randint(1, len(pool) - 1)
    first.tests, second.tests = sorted(pool[:cut]), sorted(pool[cut:])


def _at_least_two(rng: random.Random, member: CastMember, named: list[int]) -> list[int]:
    own = [t for t in member.tests or [] if t in named]
    while len(own) < 2:
        extra = rng.choice(named)
        if extra not in own:
            own.append(extra)
    member.tests = sorted(own)
    return member.tests


def _misspell_alone(
    rng: random.Random, member: CastMember, named: list[int], traits: Traits, blank: bool
) -> None:
    assert member.respelling is not None
    test = rng.choice(_at_least_two(rng, member, named))
    email: str | None = None
    if traits.email and member.email:
        email = "" if blank else roster.malformed_email("bare", member.email, member.name)
    member.shown = {test: (member.respelling, email)}
    without = "no e-mail column" if email is None else "blank e-mail" if blank else "a bare word"
    kind = spelling_kind(member.name, member.respelling)
    member.note = f"{kind} alone in test {test} ({without})"


def _respell_later(rng: random.Random, member: CastMember, named: list[int]) -> None:
    assert member.respelling is not None and member.second_email is not None
    own = _at_least_two(rng, member, named)
    later = own[len(own) // 2 :]
    member.shown = dict.fromkeys(later, (member.respelling, member.second_email))
    kind = spelling_kind(member.name, member.respelling)
    member.note = f"second e-mail with {kind} in tests {', '.join(map(str, later))}"


def spelling_kind(name: str, spelling: str) -> str:
    """What `spelling` did to `name`, in words: a title, a trailing word, a dropped middle name
    or a one-letter typo."""
    first = spelling.split()[0]
    if first in roster.TITLES:
        return "a title"
    more = len(spelling.split()) - len(name.split())
    if more:
        return "a trailing word" if more > 0 else "a dropped middle name"
    return "a one-letter typo"


def _named_tests(traits: Traits, tests: int) -> int:
    return tests - (1 if traits.nameless_first_test and tests >= 3 else 0)


def _typable(name: str) -> bool:
    """A name as people type it (numbered nicknames like `amara_o7` are left alone)."""
    return len(name.split()) >= 2 and not any(c.isdigit() for c in name)


def _names_of(cast: list[CastMember], skip: set[int]) -> list[str]:
    """Every name and spelling of everyone but `skip`."""
    names = []
    for index, member in enumerate(cast):
        if index not in skip:
            names += [member.name, *(member.spellings or [])]
            names += [member.respelling] if member.respelling else []
    return names


def _namesake(rng: random.Random, name: str, taken: set[str], others: list[str]) -> str | None:
    """A name one letter from `name` that is like nobody else's."""
    words = name.split()
    for _ in range(_ATTEMPTS):
        namesake = " ".join([roster.one_letter_change(rng, words[0]), *words[1:]])
        if _fresh(namesake, taken, others):
            return namesake
    return None


def _respelling(
    rng: random.Random, name: str, taken: set[str], others: list[str], typo_first: bool
) -> str | None:
    """One misspelling of `name` (a letter, a title, a trailing word, a dropped middle name)
    that is like nobody else's name; the one-letter typo when `typo_first` and it can be."""
    variants = roster.spelling_variants(rng, name)
    if typo_first:
        variants.sort(key=lambda variant: spelling_kind(name, variant) != "a one-letter typo")
    for variant in variants:
        if _fresh(variant, taken, others):
            taken.add(normalise_name(variant))
            return variant
    return None


def _fresh(name: str, taken: set[str], others: list[str]) -> bool:
    return normalise_name(name) not in taken and not any(names_alike(name, o) for o in others)
