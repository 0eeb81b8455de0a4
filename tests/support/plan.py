"""The class behind a generated test set: who exists, who took which test, what each row of
each export shows, and the truth that follows from those rows.

Layout writers only turn a `TestSheet` into bytes; every decision about people and noise is
made here, once, so all layouts share the same rules of what is decidable:
- a misspelt name always comes with the person's e-mail (the e-mail links it);
- an e-mail that cannot be repaired (a bare word, a blank) always comes with the canonical name,
  and canonical names are unique in the class;
- a person's second e-mail is used only in other tests than the first, under the canonical name;
- near-miss people (one letter apart, different e-mails) sit in the same tests.

`undecidable` adds, on top, the identity noise no file settles (`tests.support.undecidable`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from tests.support import roster, undecidable
from tests.support.roster import TruePerson, normalise_name

FIRST_TEST_DAY = date(2026, 2, 3)


@dataclass(frozen=True)
class Traits:
    """What a layout's files can carry, which decides the noise they get."""

    email: bool = True  # the files have an e-mail column
    typed_names: bool = True  # people type their own names: misspellings happen
    typed_emails: bool = True  # ... and their e-mails: malformed addresses happen
    repeats: bool = True  # one person may have two rows in one file
    anonymous: bool = False  # rows with no name and e-mail `anonymous`
    roster: bool = False  # everyone has a row in every file; absent shows as a blank score
    no_score: tuple[str, ...] = ()  # texts that stand where a score would be
    attempts: bool = False  # one row per attempt: an unfinished one shows `no_score[0]`
    nicknames: bool = False  # some people go by a nickname instead of their name
    nameless_first_test: bool = False  # test 1's export has no name column


@dataclass(frozen=True)
class Scale:
    """A test's maximum and the smallest step its points move in."""

    maximum: float
    step: float

    def points(self, percent: float) -> float:
        """The points on this scale closest to `percent`."""
        raw = round(percent * self.maximum / 100 / self.step) * self.step
        return float(round(min(max(raw, 0.0), self.maximum), 2))

    def percent(self, points: float) -> float:
        """What `points` are as a percentage of the maximum."""
        return round(points / self.maximum * 100, 6)


@dataclass(frozen=True)
class Row:
    """One row of one export: who it belongs to (None: anonymous) and what it shows."""

    person: int | None
    name: str | None
    email: str | None
    points: float | None  # None: no score (see `no_score`) or, in a roster, absent
    at: datetime
    no_score: str | None = None


@dataclass(frozen=True)
class TestSheet:
    """Everything one test's export shows, in row order."""

    test: int
    day: date
    scale: Scale
    rows: tuple[Row, ...]
    nameless: bool = False


@dataclass(frozen=True)
class Plan:
    """A whole class: its people, one sheet per test, and the truth."""

    people: list[TruePerson]
    sheets: list[TestSheet]
    truth: dict[tuple[int, int], float | None]
    notes: dict[int, str]  # person -> the undecidable noise they carry, in words (no names)


@dataclass
class CastMember:
    """A person while the class is being built (mutable; only the planners use it)."""

    name: str
    email: str | None
    role: str = "plain"  # plain | variant | dual | bad-email | near-miss | undecidable.ROLES
    spellings: list[str] | None = None
    second_email: str | None = None
    damage: str | None = None  # how their one malformed e-mail is damaged
    tests: list[int] | None = None
    ability: float = 65.0
    partner: int | None = None  # a near-miss person's namesake, whose tests they share
    names_by_test: dict[int, str] | None = None  # a variant person's spelling in each test
    # Undecidable noise (`tests.support.undecidable`): the name and e-mail shown instead in some
    # tests, the misspelling used there, the false namesake never met in a test, and in words.
    shown: dict[int, tuple[str, str | None]] | None = None
    respelling: str | None = None
    apart_from: int | None = None
    note: str | None = None


def plan_class(
    rng: random.Random,
    people: int,
    tests: int,
    traits: Traits,
    scale_for: Callable[[int], Scale],
    noise: bool,
    undecidable_noise: bool = False,
) -> Plan:
    """Build a class of `people` over `tests` tests, with noise as `traits` allow; with
    `undecidable_noise` (and `noise`), also the identity noise no file settles."""
    cast = _cast(rng, people, tests, traits, noise, noise and undecidable_noise)
    sheets = [
        _sheet(rng, cast, test, tests, traits, scale_for(test), noise)
        for test in range(1, tests + 1)
    ]
    _keep_one_score_each(sheets, len(cast))
    truth = _truth(sheets, len(cast), tests)
    return Plan(
        people=[_true_person(p, sheets, i) for i, p in enumerate(cast)],
        sheets=sheets,
        truth=truth,
        notes={i: p.note for i, p in enumerate(cast) if p.note},
    )


def _cast(
    rng: random.Random, count: int, tests: int, traits: Traits, noise: bool, undecidable_noise: bool
) -> list[CastMember]:
    names = roster.invent_names(rng, count)
    taken_names = {normalise_name(n) for n in names}
    cast = [CastMember(name=name, email=None) for name in names]
    order = list(range(count))
    rng.shuffle(order)
    if noise:
        _make_near_misses(rng, cast, order, taken_names)
        if traits.nicknames:
            _give_nicknames(rng, cast, order, taken_names)
    if undecidable_noise:
        undecidable.make_false_namesakes(rng, cast, order, traits, tests, taken_names)
    taken_emails: set[str] = set()
    for person in cast:
        person.email = roster.invent_email(rng, person.name, taken_emails) if traits.email else None
    if noise:
        plain = [i for i in order if cast[i].role == "plain"]
        _give_roles(rng, cast, plain, traits, tests, taken_names, taken_emails)
    if undecidable_noise:
        undecidable.give_roles(rng, cast, order, traits, tests, taken_names, taken_emails)
    nameless_test = 1 if traits.nameless_first_test and tests >= 3 else None
    for person in cast:
        person.ability = min(95.0, max(25.0, rng.gauss(66, 13)))
        person.tests = _attendance(rng, person, tests, noise, nameless_test)
    for person in cast:
        if person.partner is not None:
            person.tests = list(cast[person.partner].tests or [])
        if person.spellings:
            person.names_by_test = _spelling_schedule(rng, person, nameless_test)
    if undecidable_noise:
        undecidable.schedule(rng, cast, tests, traits, nameless_test)
    return cast


def _spelling_schedule(
    rng: random.Random, person: CastMember, nameless_test: int | None
) -> dict[int, str]:
    """Which spelling a variant person uses in each test where a name is shown: the first
    misspelling, the canonical name, the last misspelling, then any of them."""
    spellings = person.spellings or []
    shown = [t for t in person.tests or [] if t != nameless_test]
    fixed = [spellings[0], person.name, spellings[-1]]
    return {
        test: fixed[i] if i < len(fixed) else rng.choice([person.name, *spellings])
        for i, test in enumerate(shown)
    }


def _make_near_misses(
    rng: random.Random, cast: list[CastMember], order: list[int], taken: set[str]
) -> None:
    """Give one or two people a namesake one letter apart: different people, same tests."""
    pairs = 0 if len(cast) < 6 else 1 if len(cast) < 60 else 2
    for first, second in zip(order[0 : 2 * pairs : 2], order[1 : 2 * pairs : 2], strict=True):
        words = cast[first].name.split()
        namesake = cast[first].name
        while normalise_name(namesake) in taken:
            namesake = " ".join([roster.one_letter_change(rng, words[0]), *words[1:]])
        taken.discard(normalise_name(cast[second].name))
        taken.add(normalise_name(namesake))
        cast[second].name = namesake
        cast[first].role = cast[second].role = "near-miss"
        cast[second].partner = first


def _give_nicknames(
    rng: random.Random, cast: list[CastMember], order: list[int], taken: set[str]
) -> None:
    """About one in seven people plays under a nickname instead of their name."""
    plain = [i for i in order if cast[i].role == "plain"]
    for index in plain[: round(0.15 * len(cast))]:
        nickname = roster.invent_nickname(rng, cast[index].name)
        if normalise_name(nickname) not in taken:
            taken.discard(normalise_name(cast[index].name))
            taken.add(normalise_name(nickname))
            cast[index].name = nickname


def _give_roles(
    rng: random.Random,
    cast: list[CastMember],
    plain: list[int],
    traits: Traits,
    tests: int,
    taken_names: set[str],
    taken_emails: set[str],
) -> None:
    count = len(cast)
    variants = round(0.10 * count) if traits.typed_names and traits.email else 0
    duals = max(1, round(0.03 * count)) if traits.email and not traits.roster and tests >= 2 else 0
    damaged = max(1, round(0.06 * count)) if traits.typed_emails and traits.email else 0
    for index in plain[:variants]:
        cast[index].role = "variant"
        cast[index].spellings = _new_spellings(rng, cast[index].name, taken_names)
    for index in plain[variants : variants + duals]:
        cast[index].role = "dual"
        cast[index].second_email = roster.invent_email(
            rng, cast[index].name, taken_emails, initial=True
        )
    start = variants + duals
    for number, index in enumerate(plain[start : start + damaged]):
        cast[index].role = "bad-email"
        cast[index].damage = roster.MALFORMED_KINDS[number % len(roster.MALFORMED_KINDS)]


def _new_spellings(rng: random.Random, name: str, taken: set[str]) -> list[str]:
    """One or two misspellings of `name` that are nobody else's name."""
    wanted = rng.choice((1, 2))
    chosen: list[str] = []
    for variant in roster.spelling_variants(rng, name):
        if len(chosen) < wanted and normalise_name(variant) not in taken:
            chosen.append(variant)
            taken.add(normalise_name(variant))
    return chosen


def _attendance(
    rng: random.Random, person: CastMember, tests: int, noise: bool, nameless_test: int | None
) -> list[int]:
    """The tests a person took: about a third of a noisy class misses at least one.

    People whose rows must be linked by name (second e-mail, damaged e-mail, misspellings)
    take at least two tests; a person with two e-mails skips the nameless test, where their
    first address could not be tied to their name.
    """
    possible = [
        t for t in range(1, tests + 1) if not (person.role == "dual" and t == nameless_test)
    ]
    taken = [t for t in possible if not noise or rng.random() > 0.085]
    needed = min(2 if person.role in ("variant", "dual", "bad-email") else 1, len(possible))
    while len(taken) < needed:
        extra = rng.choice(possible)
        if extra not in taken:
            taken.append(extra)
    return sorted(taken)


_Entry = tuple[int | None, str | None, str | None, float | None, str | None]


def _sheet(
    rng: random.Random,
    cast: list[CastMember],
    test: int,
    tests: int,
    traits: Traits,
    scale: Scale,
    noise: bool,
) -> TestSheet:
    nameless = traits.nameless_first_test and test == 1 and tests >= 3
    entries: list[_Entry] = []
    order = list(range(len(cast)))
    rng.shuffle(order)
    for index in order:
        person = cast[index]
        if test not in (person.tests or []):
            if traits.roster:
                entries.append((index, person.name, person.email, None, None))
            continue
        percent = min(100.0, max(0.0, rng.gauss(person.ability, 10)))
        name = _shown_name(rng, person, test, traits, noise)
        email = _shown_email(rng, person, test, nameless, noise and traits.typed_emails)
        if person.shown and test in person.shown:
            name, email = person.shown[test]
        entries.append((index, name, email, scale.points(percent), None))
    if noise:
        entries = _add_row_noise(rng, entries, traits, scale, len(cast))
    day = FIRST_TEST_DAY + timedelta(days=7 * (test - 1))
    at = datetime.combine(day, time(9, 0))
    rows = []
    for person_index, shown, address, points, no_score in entries:
        at += timedelta(seconds=rng.randint(5, 90))
        rows.append(Row(person_index, shown, address, points, at, no_score))
    return TestSheet(test=test, day=day, scale=scale, rows=tuple(rows), nameless=nameless)


def _shown_name(
    rng: random.Random, person: CastMember, test: int, traits: Traits, noise: bool
) -> str:
    """The name as typed in this test: variants for variant people, capitals now and then."""
    if person.names_by_test:
        return person.names_by_test.get(test, person.name)
    if noise and (traits.typed_names or traits.nicknames) and rng.random() < 0.03:
        return rng.choice((person.name.upper(), person.name.lower()))
    return person.name


def _shown_email(
    rng: random.Random, person: CastMember, test: int, nameless: bool, noise: bool
) -> str | None:
    """The e-mail as typed in this test; damaged once for bad-email people."""
    if person.email is None:
        return None
    taken = person.tests or []
    if person.role == "dual" and person.second_email and test > taken[len(taken) // 2 - 1]:
        return person.second_email
    if person.role == "bad-email" and person.damage:
        damage = person.damage
        if nameless and damage in roster.UNREPAIRABLE_KINDS:
            damage = "double-at"
        if test == taken[-1]:
            return roster.malformed_email(damage, person.email, person.name)
    if noise and rng.random() < 0.05:
        return roster.harmless_email_noise(rng, person.email)
    return person.email


def _add_row_noise(
    rng: random.Random, entries: list[_Entry], traits: Traits, scale: Scale, count: int
) -> list[_Entry]:
    """No-score cells, repeated submissions and anonymous rows, as the layout allows."""
    entries = list(entries)
    scored = [i for i, entry in enumerate(entries) if entry[3] is not None]
    if traits.no_score and scored:
        for i in rng.sample(scored, min(len(scored), max(1, round(0.025 * count)))):
            person, name, email, _, _ = entries[i]
            entries[i] = (person, name, email, None, rng.choice(traits.no_score))
    if traits.repeats:
        scored = [i for i, entry in enumerate(entries) if entry[3] is not None]
        for i in sorted(rng.sample(scored, min(len(scored), rng.choice((1, 2)))), reverse=True):
            entries.insert(rng.randint(i + 1, len(entries)), _repeat(rng, entries[i], scale))
    scored = [i for i, entry in enumerate(entries) if entry[3] is not None]
    if traits.attempts and traits.no_score and scored:  # unfinished beside a scored attempt
        person, name, email, _, _ = entries[rng.choice(scored)]
        unfinished = (person, name, email, None, traits.no_score[0])
        entries.insert(rng.randint(0, len(entries)), unfinished)
    if traits.anonymous:
        for _ in range(2):
            points = scale.points(rng.uniform(30, 95))
            entries.insert(rng.randint(0, len(entries)), (None, None, "anonymous", points, None))
    return entries


def _repeat(rng: random.Random, entry: _Entry, scale: Scale) -> _Entry:
    """A second submission by the same person with a different score."""
    person, name, email, points, _ = entry
    assert points is not None
    again = points
    while again == points:
        again = scale.points(rng.uniform(20, 100))
    if name is not None and rng.random() < 0.3:
        name = name.upper()
    return (person, name, email, again, None)


def _keep_one_score_each(sheets: list[TestSheet], count: int) -> None:
    """Give a score back to anyone whom no-score cells left with none at all."""
    scored = {row.person for sheet in sheets for row in sheet.rows if row.points is not None}
    for person in range(count):
        if person in scored:
            continue
        for number, sheet in enumerate(sheets):
            rows = list(sheet.rows)
            hit = next((i for i, r in enumerate(rows) if r.person == person and r.no_score), None)
            if hit is not None:
                rows[hit] = replace(rows[hit], points=sheet.scale.points(60.0), no_score=None)
                sheets[number] = replace(sheet, rows=tuple(rows))
                break


def _truth(sheets: list[TestSheet], count: int, tests: int) -> dict[tuple[int, int], float | None]:
    """Each person's best percentage in each test; None when absent or never scored."""
    truth: dict[tuple[int, int], float | None] = {
        (p, t): None for p in range(count) for t in range(1, tests + 1)
    }
    for sheet in sheets:
        for row in sheet.rows:
            if row.person is None or row.points is None:
                continue
            percent = sheet.scale.percent(row.points)
            best = truth[(row.person, sheet.test)]
            truth[(row.person, sheet.test)] = percent if best is None else max(best, percent)
    return truth


def _true_person(person: CastMember, sheets: list[TestSheet], index: int) -> TruePerson:
    shown_names: list[str] = []
    used_second = False
    for sheet in sheets:
        for row in sheet.rows:
            if row.person != index:
                continue
            if row.name and row.name != person.name and row.name not in shown_names:
                shown_names.append(row.name)
            used_second = used_second or (
                row.email is not None and row.email == person.second_email
            )
    second = (person.second_email,) if used_second and person.second_email else ()
    return TruePerson(person.name, person.email, other_emails=second, spellings=tuple(shown_names))
