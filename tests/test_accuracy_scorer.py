"""The accuracy scorer against hand-built Results workbooks: it must credit a right workbook
fully and catch wrong cells, split people, merged people and stray rows."""

from __future__ import annotations

import dataclasses

import pytest

from tests.support.accuracy import RosterRows, Row, score_workbook, truth_workbook
from tests.support.classes import GeneratedClass, make_class
from tests.support.roster_file import write_roster

TESTS = 3


@pytest.fixture(scope="module")
def generated() -> GeneratedClass:
    return make_class("surveyheart", 30, TESTS, seed=4)


def _first_scored(generated: GeneratedClass) -> tuple[int, int]:
    return next(cell for cell, value in generated.truth.items() if value is not None)


def test_a_right_workbook_scores_every_cell(generated: GeneratedClass) -> None:
    accuracy = score_workbook(truth_workbook(generated), generated)
    assert accuracy.cells == 30 * TESTS
    assert accuracy.right == accuracy.cells and accuracy.share == 1.0
    assert accuracy.extra_rows == 0 and accuracy.mismatches == ()


def test_other_spellings_capitals_and_last_first_still_match(generated: GeneratedClass) -> None:
    def respell(rows: list[Row]) -> list[Row]:
        for index, row in enumerate(rows):
            person = generated.people[index]
            row[0] = (
                person.names[-1] if index % 3 == 0 else ", ".join(person.name.split(" ", 1)[::-1])
            )
            row[1] = f"MAILTO:{person.email}".upper() if index % 2 else None
        return rows

    assert score_workbook(truth_workbook(generated, respell), generated).share == 1.0


def test_a_wrong_cell_is_counted_and_reported(generated: GeneratedClass) -> None:
    person, test = _first_scored(generated)

    def spoil(rows: list[Row]) -> list[Row]:
        rows[person][1 + test] = (generated.truth[(person, test)] or 0) + 0.2
        return rows

    accuracy = score_workbook(truth_workbook(generated, spoil), generated)
    assert accuracy.right == accuracy.cells - 1
    assert [(m.person, m.test, m.why) for m in accuracy.mismatches] == [
        (person, test, "wrong value")
    ]


def test_a_blank_where_a_score_is_due_and_text_where_a_blank_is_due(
    generated: GeneratedClass,
) -> None:
    scored = _first_scored(generated)
    absent = next(cell for cell, value in generated.truth.items() if value is None)

    def spoil(rows: list[Row]) -> list[Row]:
        rows[scored[0]][1 + scored[1]] = None
        rows[absent[0]][1 + absent[1]] = "ABS"
        return rows

    accuracy = score_workbook(truth_workbook(generated, spoil), generated)
    assert accuracy.right == accuracy.cells - 2


def test_a_person_split_over_two_rows_loses_all_their_cells(generated: GeneratedClass) -> None:
    def split(rows: list[Row]) -> list[Row]:
        twin = list(rows[0])
        twin[1] = None  # the same name again, without the e-mail
        return [*rows, twin]

    accuracy = score_workbook(truth_workbook(generated, split), generated)
    assert accuracy.right == accuracy.cells - TESTS
    assert {m.why for m in accuracy.mismatches} == {"split over 2 rows"}


def test_two_people_merged_into_one_row_lose_both(generated: GeneratedClass) -> None:
    def merge(rows: list[Row]) -> list[Row]:
        rows[0][1] = generated.people[1].email  # person 0's name, person 1's e-mail
        return [rows[0], *rows[2:]]

    accuracy = score_workbook(truth_workbook(generated, merge), generated)
    assert accuracy.right == accuracy.cells - 2 * TESTS
    assert {m.person for m in accuracy.mismatches} == {0, 1}


def test_a_missing_person_and_a_stray_row(generated: GeneratedClass) -> None:
    def swap(rows: list[Row]) -> list[Row]:
        return [*rows[1:], ["Class average", None, 50.0, 50.0, 50.0, 50.0, None]]

    accuracy = score_workbook(truth_workbook(generated, swap), generated)
    assert accuracy.right == accuracy.cells - TESTS
    assert accuracy.extra_rows == 1
    assert {m.why for m in accuracy.mismatches} == {"person not found"}


def test_a_misnumbered_test_column(generated: GeneratedClass) -> None:
    accuracy = score_workbook(truth_workbook(generated, numbered=(1, 2, 9)), generated)
    due = sum(generated.truth[(p, 3)] is not None for p in range(30))
    assert accuracy.right == accuracy.cells - due and accuracy.unexpected_tests == (9,)


def test_a_class_without_emails_matches_by_name() -> None:
    kahoot = make_class("kahoot", 25, TESTS, seed=2)
    assert all(p.email is None for p in kahoot.people)
    assert score_workbook(truth_workbook(kahoot), kahoot).share == 1.0


def test_the_description_names_no_one(generated: GeneratedClass) -> None:
    def spoil(rows: list[Row]) -> list[Row]:
        return [[row[0], row[1], 1.0, 1.0, 1.0, 1.0, "FAIL"] for row in rows]

    accuracy = score_workbook(truth_workbook(generated, spoil), generated)
    text = accuracy.describe()
    assert accuracy.share < 0.1 and "person 0" in text
    assert not any(p.name in text or (p.email or "@") in text for p in generated.people)


def test_a_workbook_without_results_sheet_is_refused(generated: GeneratedClass) -> None:
    with pytest.raises(ValueError, match="no Results sheet"):
        score_workbook(truth_workbook(generated, sheet="Summary"), generated)


def test_result_share_of_an_empty_truth_is_one() -> None:
    empty = dataclasses.replace(make_class("handmade", 3, 1, seed=1), people=[], truth={})
    accuracy = score_workbook(truth_workbook(empty), empty)
    assert accuracy.cells == 0 and accuracy.share == 1.0


def test_a_name_with_its_words_in_another_order_still_matches(generated: GeneratedClass) -> None:
    def surname_first(rows: list[Row]) -> list[Row]:
        for row in rows:
            given, _, surname = str(row[0]).rpartition(" ")
            row[0], row[1] = f"{surname} {given}", None
        return rows

    assert score_workbook(truth_workbook(generated, surname_first), generated).share == 1.0


def test_with_a_roster_its_absentees_count_and_rows_are_told_apart(
    generated: GeneratedClass,
) -> None:
    roster = write_roster(generated, absentees=2, left_out=1)
    accuracy = score_workbook(truth_workbook(generated, roster=roster), generated, roster)
    assert accuracy.cells == (30 + 2) * TESTS and accuracy.share == 1.0
    assert accuracy.roster == RosterRows(people=31, rows=31, off_roster=1, above=0)

    def off_roster_first(rows: list[Row]) -> list[Row]:
        return [rows[-1], *rows[1:-1]]  # and the first roster person is gone

    accuracy = score_workbook(
        truth_workbook(generated, off_roster_first, roster=roster), generated, roster
    )
    assert accuracy.roster == RosterRows(people=31, rows=30, off_roster=1, above=1)
    assert accuracy.right == accuracy.cells - TESTS
