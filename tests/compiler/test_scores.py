"""Score cells and a column's maximum, in the order docs/formats.md gives."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.model import MaxSource
from compiler.understand.scores import (
    CellScore,
    ScoreKind,
    header_maximum,
    header_says_percent,
    parse_score_cell,
    read_score_column,
    uses_decimal_comma,
)


@pytest.mark.parametrize(
    ("value", "points", "out_of", "kind"),
    [
        (8, 8.0, None, "number"),
        (8.5, 8.5, None, "number"),
        ("8", 8.0, None, "number"),
        (" 8.25 ", 8.25, None, "number"),
        ("8 / 10", 8.0, 10.0, "fraction"),
        ("8/10", 8.0, 10.0, "fraction"),
        ("8 out of 10", 8.0, 10.0, "fraction"),
        ("8,5 / 10", 8.5, 10.0, "fraction"),
        ("76.5%", 76.5, 100.0, "percent"),
        ("76,5 %", 76.5, 100.0, "percent"),
        ("-2", -2.0, None, "number"),
    ],
)
def test_scores_are_read(
    value: object, points: float, out_of: float | None, kind: ScoreKind
) -> None:
    assert parse_score_cell(value) == CellScore(points=points, out_of=out_of, kind=kind)


@pytest.mark.parametrize(
    "text",
    ["-", "–", "Not yet graded", "Requires grading", "EX", "N/A", "Excused", "absent", "ABSENT"],
)
def test_no_score_words_keep_their_text(text: str) -> None:
    assert parse_score_cell(text) == CellScore(points=None, kind="no-score", text=text)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_blank_cells_say_blank(value: object) -> None:
    assert parse_score_cell(value) == CellScore(points=None, kind="blank", text="blank")


@pytest.mark.parametrize("value", ["eight", True, "8 / 0", float("nan"), "1e999", "9" * 400])
def test_anything_else_is_unreadable(value: object) -> None:
    cell = parse_score_cell(value)
    assert cell.points is None
    assert cell.kind == "unreadable"


def test_thousands_and_decimal_commas() -> None:
    assert parse_score_cell("1,500").points == 1500.0
    assert parse_score_cell("1,500", decimal_comma=True).points == 1.5
    assert parse_score_cell("8,5").points == 8.5
    assert uses_decimal_comma(["85,25", "1,500"])
    assert not uses_decimal_comma(["1,500", "2,000", 7])


@pytest.mark.parametrize(
    ("header", "maximum"),
    [
        ("Total Marks (17)", 17.0),
        ("Grade/10.00", 10.0),
        ("Score (out of 20)", 20.0),
        ("Marks /20", 20.0),
        ("Total points (max 25)", 25.0),
        ("Score out of 12.5", 12.5),
        ("Total Score (points)", None),
        ("Score", None),
        ("Grade/0", None),
    ],
)
def test_header_maximum(header: str, maximum: float | None) -> None:
    assert header_maximum(header) == maximum


@pytest.mark.parametrize(
    ("header", "says"), [("Score %", True), ("Percentage", True), ("%", True), ("Score", False)]
)
def test_header_says_percent(header: str, says: bool) -> None:
    assert header_says_percent(header) is says


# --- a column's maximum, in order ---------------------------------------------------------


def test_cells_carrying_their_maximum_come_first_and_beat_the_header() -> None:
    column = read_score_column("Total Marks (17)", ["8 / 10", "10 / 10", None])
    assert (column.out_of, column.source) == (10.0, MaxSource.CELL)
    assert [c.out_of for c in column.cells] == [10.0, 10.0, None]
    assert [n.kind for n in column.notes] == ["maximum-disagrees"]
    assert "header says out of 17 but the cells say out of 10" in column.notes[0].found


def test_cells_with_different_maxima_are_noted() -> None:
    column = read_score_column("Score", ["8 / 10", "9 / 10", "5 / 12"])
    assert column.out_of == 10.0
    assert [c.out_of for c in column.cells] == [10.0, 10.0, 12.0]
    assert [n.kind for n in column.notes] == ["mixed-maximum"]


def test_percent_cells_come_before_the_header() -> None:
    column = read_score_column("Result", ["76.5%", "100%", "-"])
    assert (column.out_of, column.source) == (100.0, MaxSource.PERCENT)
    assert [c.points for c in column.cells] == [76.5, 100.0, None]
    assert [c.out_of for c in column.cells] == [100.0, 100.0, None]


def test_a_header_that_says_percent_makes_plain_numbers_percents() -> None:
    column = read_score_column("Score %", [85, "60", None])
    assert column.source is MaxSource.PERCENT
    assert [(c.points, c.kind) for c in column.cells] == [
        (85.0, "percent"),
        (60.0, "percent"),
        (None, "blank"),
    ]


def test_percentages_stored_as_fractions_are_scaled_and_noted() -> None:
    column = read_score_column("Percentage", [0.85, 0.6, 1.0])
    assert [c.points for c in column.cells] == [85.0, 60.0, 100.0]
    assert [n.kind for n in column.notes] == ["percent-as-fraction"]


def test_known_percent_headers_are_never_scaled() -> None:
    column = read_score_column("Final Score", [0.5, 1.0], percent_header=True)
    assert [c.points for c in column.cells] == [0.5, 1.0]
    assert column.notes == ()


def test_header_maximum_comes_third() -> None:
    column = read_score_column("Total Marks (17)", [12, 17, "Not yet graded"])
    assert (column.out_of, column.source) == (17.0, MaxSource.HEADER)
    assert [c.out_of for c in column.cells] == [None, None, None]


def test_points_possible_comes_fourth() -> None:
    column = read_score_column("Quiz 1", ["17,00", "12,50"], points_possible="20,00")
    assert (column.out_of, column.source) == (20.0, MaxSource.POINTS_POSSIBLE)
    assert [c.points for c in column.cells] == [17.0, 12.5]


def test_canvas_assignment_ids_are_not_maxima() -> None:
    column = read_score_column(
        "Quiz 1 (1234)", [17, 12.5], points_possible=20, header_may_state_maximum=False
    )
    assert (column.out_of, column.source) == (20.0, MaxSource.POINTS_POSSIBLE)


def test_raw_points_without_a_maximum_stay_unknown() -> None:
    column = read_score_column("Total points", [7, 5, 9])
    assert (column.out_of, column.source) == (None, MaxSource.UNKNOWN)
    assert [c.points for c in column.cells] == [7.0, 5.0, 9.0]


# --- each distinct cell is read once: the column reads as its cells one by one -------------

SCORE_CELLS = st.one_of(
    st.sampled_from(
        [0.0, -0.0, 0, 1, 1.0, True, False, -2.5, 17.0, math.nan, math.inf, None, "", "  "]
    ),
    st.sampled_from(["8 / 10", "9/12", "8,5", "1,500", " 8 ", "-", "EX", "eight", "0", "-0.0"]),
    st.integers(-3, 20),
    st.floats(-30, 30),
    st.text(alphabet="0123456789,./ -", max_size=6),
).filter(lambda value: parse_score_cell(value).kind != "percent")  # percents are rescaled


@given(st.lists(SCORE_CELLS, max_size=15))
def test_a_column_reads_as_its_cells_one_by_one(values: list[object]) -> None:
    column = read_score_column("Points", values)
    decimal_comma = uses_decimal_comma(values)
    one_by_one = [parse_score_cell(value, decimal_comma=decimal_comma) for value in values]
    assert list(map(repr, column.cells)) == list(map(repr, one_by_one))  # repr shows -0.0
    fractions = any(cell.kind == "fraction" for cell in one_by_one)
    assert (column.source is MaxSource.CELL) == fractions


def test_equal_cells_of_different_types_or_signs_are_read_apart() -> None:
    cells = read_score_column("Points", [1.0, True, 1, -0.0, 0.0, -0.0]).cells
    assert [cell.kind for cell in cells[:3]] == ["number", "unreadable", "number"]
    signs = [math.copysign(1, cell.points) for cell in cells[3:] if cell.points is not None]
    assert signs == [-1, 1, -1]
