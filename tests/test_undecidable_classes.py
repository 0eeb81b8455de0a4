"""Self-tests of the noise no file settles (`make_class(..., undecidable=True)`), the roster
file of a generated class, and the truthful oracle: the truth still follows from the files,
each kind of case is there where the layout can carry it, and the roster and the oracle settle
every case exactly."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pytest

from compiler import LookAlike, LookAlikeSide, read_roster
from tests.support.classes import LAYOUTS, GeneratedClass, make_class, traits_of
from tests.support.oracle import TruthOracle
from tests.support.readback import SeenRow, owner_of, read_back, repair_email, table
from tests.support.roster import names_alike, normalise_name
from tests.support.roster_file import write_roster

PEOPLE, TESTS = 60, 4


@cache
def undecidable(layout: str) -> GeneratedClass:
    return make_class(layout, PEOPLE, TESTS, seed=5, undecidable=True)


@cache
def rows_by_owner(layout: str) -> dict[int | None, list[SeenRow]]:
    generated = undecidable(layout)
    owners: dict[int | None, list[SeenRow]] = defaultdict(list)
    for row in read_back(generated):
        owners[owner_of(row, generated.people)].append(row)
    return owners


def _tests_taken(generated: GeneratedClass, person: int) -> set[int]:
    return {t for t in range(1, TESTS + 1) if generated.truth[(person, t)] is not None}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_truth_is_still_what_the_files_say(layout: str) -> None:
    generated = undecidable(layout)
    owners = rows_by_owner(layout)
    assert set(owners) - {None} <= set(range(PEOPLE))
    assert all(row.email == "anonymous" for row in owners.get(None, []))
    recomputed: dict[tuple[int, int], float | None] = dict.fromkeys(generated.truth)
    for person, rows in owners.items():
        for row in rows:
            if person is not None and row.percent is not None:
                best = recomputed[(person, row.test)]
                recomputed[(person, row.test)] = max(best or 0.0, row.percent)
    for cell, expected in generated.truth.items():
        got = recomputed[cell]
        assert (got is None) == (expected is None), cell
        assert got is None or expected is None or abs(got - expected) < 1e-6, cell


@pytest.mark.parametrize("layout", LAYOUTS)
def test_each_kind_is_there_where_the_layout_can_carry_it(layout: str) -> None:
    notes = undecidable(layout).notes.values()
    traits = traits_of(layout)
    kinds = {
        kind
        for kind in ("alone in test", "second e-mail", "false namesake")
        if any(kind in note for note in notes)
    }
    if traits.roster:  # a platform id on every row settles everything
        assert kinds == set()
    elif traits.email:
        assert kinds == {"alone in test", "second e-mail", "false namesake"}
    else:
        assert kinds == {"alone in test", "false namesake"}


@pytest.mark.parametrize("layout", ["surveyheart", "moodle", "kahoot", "handmade"])
def test_a_misspelling_alone_has_no_usable_email_and_is_nobody_elses(layout: str) -> None:
    generated = undecidable(layout)
    alone = [p for p, note in generated.notes.items() if "alone in test" in note]
    assert alone
    for person in alone:
        test = int(generated.notes[person].split("alone in test ")[1].split()[0])
        rows = [row for row in rows_by_owner(layout)[person] if row.test == test]
        true = generated.people[person]
        assert rows and all(repair_email(row.email) is None for row in rows)
        assert all(normalise_name(row.name or "") != normalise_name(true.name) for row in rows)
        others = [n for i, p in enumerate(generated.people) if i != person for n in p.names]
        assert not any(names_alike(row.name or "", other) for row in rows for other in others)
        elsewhere = [row for row in rows_by_owner(layout)[person] if row.test != test]
        assert any(normalise_name(row.name or "") == normalise_name(true.name) for row in elsewhere)


@pytest.mark.parametrize("layout", ["surveyheart", "google_forms", "microsoft_forms"])
def test_a_second_email_comes_with_another_spelling_in_later_tests(layout: str) -> None:
    generated = undecidable(layout)
    respelt = [p for p, note in generated.notes.items() if note.startswith("second e-mail")]
    assert respelt
    for person in respelt:
        true = generated.people[person]
        (second,) = true.other_emails
        rows = rows_by_owner(layout)[person]
        later = {row.test for row in rows if repair_email(row.email) == second}
        earlier = {row.test for row in rows if repair_email(row.email) == true.email}
        assert later and earlier and max(earlier) < min(later)
        assert all(row.name != true.name for row in rows if row.test in later)


@pytest.mark.parametrize("layout", ["surveyheart", "google_forms_es", "kahoot"])
def test_false_namesakes_are_one_letter_apart_and_never_meet(layout: str) -> None:
    generated = undecidable(layout)
    pairs = {
        tuple(sorted((p, int(note.split()[-1]))))
        for p, note in generated.notes.items()
        if note.startswith("false namesake")
    }
    assert len(pairs) >= 2
    for a, b in pairs:
        assert names_alike(generated.people[a].name, generated.people[b].name)
        assert _tests_taken(generated, a).isdisjoint(_tests_taken(generated, b))


def test_without_the_option_the_class_is_the_usual_one() -> None:
    plain = make_class("surveyheart", 30, 3, seed=5)
    again = make_class("surveyheart", 30, 3, seed=5, undecidable=False)
    assert [f.data for f in plain.files] == [f.data for f in again.files]
    assert plain.notes == {} and undecidable("surveyheart").notes
    with pytest.raises(ValueError, match="keep noise on"):
        make_class("surveyheart", 30, 3, noise=False, undecidable=True)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_the_roster_lists_names_emails_and_ids_and_no_score(layout: str) -> None:
    generated = undecidable(layout)
    roster = write_roster(generated)
    rows = table(roster.file, "Roster" if roster.file.name.endswith(".xlsx") else None)
    header = [str(h) for h in rows[0]]
    assert not any(word in h.lower() for h in header for word in ("score", "grade", "mark"))
    assert len(rows) - 1 == roster.size == PEOPLE - 1 + 2
    assert len(roster.left_out) == 1 and len(roster.absentees) == 2
    read = read_roster(roster.file)
    assert len(read.people) == roster.size
    if traits_of(layout).email:
        assert all(person.email for person in read.people)
    if layout.startswith("canvas"):
        assert all(
            person.person_id and person.person_id.startswith("Canvas ") for person in read.people
        )


def test_the_oracle_answers_only_what_the_truth_says() -> None:
    generated = undecidable("surveyheart")
    oracle = TruthOracle(generated.people)
    respelt = next(p for p, n in generated.notes.items() if n.startswith("second e-mail"))
    true = generated.people[respelt]
    namesake, other = next(
        (p, int(n.split()[-1])) for p, n in generated.notes.items() if "namesake" in n
    )
    assert oracle.people_of([true.spellings[0].upper()]) == {respelt}
    assert oracle.people_of([], [f" {true.other_emails[0].upper()}"]) == {respelt}
    assert oracle.people_of(["Nobody Atall-Test"]) == frozenset()
    assert oracle.people_of([generated.people[namesake].name]) == {namesake}
    assert oracle.people_of([generated.people[other].name]) == {other}
    # Every spelling and address in the files is one person's alone.
    for index, person in enumerate(generated.people):
        assert oracle.people_of(person.names, person.emails) == {index}


def test_the_oracle_says_same_different_or_nothing() -> None:
    generated = undecidable("kahoot")
    oracle = TruthOracle(generated.people)
    alone = next(p for p, n in generated.notes.items() if "alone in test" in n)
    namesake, other = next(
        (p, int(n.split()[-1])) for p, n in generated.notes.items() if "namesake" in n
    )

    def side(*names: str) -> LookAlikeSide:
        return LookAlikeSide(names[0], names[0], names, (), (1,))

    def ask(a: LookAlikeSide, b: LookAlikeSide) -> bool | None:
        return oracle.answer(LookAlike(a, b, "names one letter apart", ""))

    person, namesakes = generated.people[alone], generated.people
    assert ask(side(person.name), side(*person.spellings)) is True
    assert ask(side(namesakes[namesake].name), side(namesakes[other].name)) is False
    mixed = side(namesakes[namesake].name, namesakes[other].name)
    assert ask(mixed, side(namesakes[other].name)) is None  # the compile merged two people
    assert ask(mixed, side(person.name)) is False
    assert ask(side("Nobody Atall-Test"), side(person.name)) is None
