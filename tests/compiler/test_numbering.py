"""Test numbers from labels, file names and upload order."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.model import Problem, TestNumber
from compiler.understand.numbering import (
    FROM_FILE_NAME,
    FROM_LABEL,
    NEXT_FREE,
    assign_test_numbers,
    number_from_file_name,
    number_from_label,
    number_items,
    number_upload,
)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Test 5", 5),
        ("5", 5),
        (" 12 ", 12),
        ("quiz 5", 5),
        ("T5", 5),
        ("t-5", 5),
        ("test #5", 5),
        ("Test no. 6", 6),
        ("Exam-1", 1),
        ("TEST 05", 5),
        ("#7", 7),
        ("hello", None),
        ("", None),
        ("2026", None),  # a year, not a test
        ("Test 0", None),  # test numbers start at 1
        ("1000", None),  # and stop at 999
    ],
)
def test_number_from_label(label: str, expected: int | None) -> None:
    assert number_from_label(label) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Test 3.xlsx", 3),
        ("test3_results.csv", 3),
        ("Quiz 2.xlsx", 2),
        ("Exam-1.csv", 1),
        ("T5.xlsx", 5),
        ("Test no. 6.xlsx", 6),
        ("TESTS 8.ods", 8),
        ("Test 3 (1).xlsx", 3),  # a browser's copy suffix is not the number
        ("downloads/Test 9.xlsx", 9),
        # digits running into a month: the test number, then a two-digit day
        ("Anatomy TEST 519 February,2026.xlsx", 5),
        ("Results 519 February.xlsx", 5),
        ("quiz 519feb.xlsx", 5),
        ("TEST 1231 January.xlsx", 12),
        ("test 1231january.xlsx", 12),
        ("Test 1203 March.xlsx", 12),  # the 3rd written 03
        ("TEST 545 mar.xlsx", 54),  # 45 is no day: one-digit day 5
        # the month already has its day after it: the digits before are all the test number
        ("TEST 4FEBRUARY 17, 2026.xlsx", 4),
        ("Test 10 March 3.xlsx", 10),
        ("Test 12 March 3.xlsx", 12),
        # two digits are never split
        ("Test 12 March.xlsx", 12),
        # bare numbers
        ("results 7.xlsx", 7),
        ("Part 5.xlsx", 5),
        ("results 2026.xlsx", None),
        ("Results February 17, 2026.xlsx", None),
        ("Results 19 February.xlsx", None),
        ("results (1).xlsx", None),
        ("2026-02-17T10-30 results.xlsx", None),
        ("results 17-02-2026.xlsx", None),
        ("Class 10B quiz.xlsx", None),
        ("Grade 10 results 3.xlsx", None),  # two bare numbers: no guess
        ("Test 2026.xlsx", None),
        ("Responses.xlsx", None),
    ],
)
def test_number_from_file_name(name: str, expected: int | None) -> None:
    assert number_from_file_name(name) == expected


def test_keyword_number_wins_over_dates_and_years() -> None:
    assert number_from_file_name("17 February 2026 Quiz 3 Anatomy.xlsx") == 3
    assert number_from_file_name("2026 results test 4.xlsx") == 4


def test_extension_and_case_ignored() -> None:
    assert number_from_file_name("TEST 7.XLSX") == number_from_file_name("test 7.csv") == 7


@given(st.text())
def test_never_raises_and_stays_in_range(text: str) -> None:
    for number in (number_from_label(text), number_from_file_name(text)):
        assert number is None or 1 <= number <= 999


def assign(files: list[tuple[str, str | None]]) -> tuple[list[TestNumber], list[Problem]]:
    """`assign_test_numbers` of one-test files: each file's number."""
    numbers, problems = assign_test_numbers([(name, label, 1) for name, label in files])
    assert all(len(tests) == 1 for tests in numbers)
    return [tests[0] for tests in numbers], problems


def test_a_gradebook_takes_its_number_and_the_lowest_free_ones_after_it() -> None:
    numbers, _ = assign_test_numbers([("Test 2.xlsx", None, 1), ("gradebook.csv", None, 3)])
    assert [[n.number for n in tests] for tests in numbers] == [[2], [1, 3, 4]]
    assert numbers[1][1].how == "item 2 of 3 in the file, next free number"


def test_a_gradebook_sent_again_keeps_the_numbers_of_the_items_it_had() -> None:
    first = TestNumber(5, NEXT_FREE)
    known = {"Quiz 2": 3, "Quiz 1": 2}
    numbers = number_items(first, ["Quiz 1", "Quiz 2", "Quiz 3"], {1, 2, 3}, known)
    assert [n.number for n in numbers] == [2, 3, 5]
    assert number_items(first, ["only"], {5}) == [first]


def test_assign_prefers_label_then_file_name_then_next_free() -> None:
    numbers, problems = assign(
        [
            ("Responses.xlsx", None),
            ("Test 1.xlsx", None),
            ("whatever.xlsx", "Test 4"),
            ("Quiz 2.xlsx", "3"),  # the label beats the file name
            ("Form.xlsx", None),
        ]
    )
    assert [(n.number, n.how) for n in numbers] == [
        (2, NEXT_FREE),  # 1, 3 and 4 are claimed by later files
        (1, FROM_FILE_NAME),
        (4, FROM_LABEL),
        (3, FROM_LABEL),
        (5, NEXT_FREE),
    ]
    assert problems == []


def test_unreadable_label_falls_back_to_file_name_and_is_reported() -> None:
    numbers, problems = assign([("Test 6.xlsx", "the anatomy one")])
    assert numbers[0].number == 6
    assert numbers[0].how == FROM_FILE_NAME
    assert [p.kind for p in problems] == ["unreadable-test-label"]
    assert problems[0].file == "Test 6.xlsx"


def test_blank_label_is_no_label() -> None:
    numbers, problems = assign([("Test 6.xlsx", "  ")])
    assert (numbers[0].number, numbers[0].how) == (6, FROM_FILE_NAME)
    assert problems == []


def test_conflicts_are_reported_and_the_later_file_keeps_the_number() -> None:
    files = [("Test 3.xlsx", None), ("Test 2.xlsx", None), ("test3 corrected.xlsx", None)]
    numbers, problems = assign(files)
    assert [n.number for n in numbers] == [3, 2, 3]  # nothing silently renumbered
    assert len(problems) == 1
    problem = problems[0]
    assert problem.kind == "test-number-conflict"
    assert problem.file == "Test 3.xlsx"
    assert "Test 3.xlsx" in problem.found and "test3 corrected.xlsx" in problem.found
    assert "kept the later upload, test3 corrected.xlsx" in problem.action


def test_three_files_on_one_number_give_one_problem_per_earlier_file() -> None:
    files = [("Quiz 1.xlsx", None), ("a.xlsx", "1"), ("b.xlsx", "Test 1")]
    numbers, problems = assign(files)
    assert {n.number for n in numbers} == {1}
    assert [p.file for p in problems] == ["Quiz 1.xlsx", "a.xlsx"]
    assert all("b.xlsx" in p.action for p in problems)


@given(st.lists(st.tuples(st.text(max_size=30), st.none() | st.text(max_size=10)), max_size=8))
def test_every_file_gets_a_number_and_free_numbers_never_collide(
    files: list[tuple[str, str | None]],
) -> None:
    numbers, problems = assign(files)
    assert len(numbers) == len(files)
    free = [n.number for n in numbers if n.how == NEXT_FREE]
    claimed = {n.number for n in numbers if n.how != NEXT_FREE}
    assert len(set(free)) == len(free)
    assert not set(free) & claimed
    conflicts = [p for p in problems if p.kind == "test-number-conflict"]
    assert len(conflicts) == len(numbers) - len({n.number for n in numbers})


def test_number_upload_takes_the_label_then_the_name_then_the_lowest_free_number() -> None:
    assert number_upload("Test 3.xlsx", "quiz 7", {1, 7}) == (TestNumber(7, FROM_LABEL), [])
    assert number_upload("Test 3.xlsx", None, {3}) == (TestNumber(3, FROM_FILE_NAME), [])
    assert number_upload("results.xlsx", None, {1, 2, 4}) == (TestNumber(3, NEXT_FREE), [])
    assert number_upload("results.xlsx", None, set()) == (TestNumber(1, NEXT_FREE), [])


def test_a_gradebook_with_an_unreadable_label_says_it_took_the_next_free_number() -> None:
    numbers, problems = assign_test_numbers([("Grades-BIO_101.csv", "the anatomy one", 2)])
    assert [n.number for n in numbers[0]] == [1, 2]
    assert [p.action for p in problems] == ["took the next free number instead"]
