"""find_layout: the sheet, the header row, the platform and the columns of every layout."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.errors import NoResultsFound
from compiler.model import ColumnChoice, Platform, Table
from compiler.understand.headers import CANVAS_META_ROWS, FOOTER_LABELS, normalise_header
from compiler.understand.layout import (
    Layout,
    Row,
    analyse_table,
    column_cells,
    find_header_row,
    find_layout,
)
from tests.support.exports.samples import (
    canvas_rows,
    google_rows,
    handmade_rows,
    kahoot_sheets,
    moodle_rows,
    ms_forms_rows,
    person,
    surveyheart_rows,
)

Rows = list[list[object]]


def layout_of(rows: Rows, sheet: str | None = "Sheet1") -> Layout:
    return find_layout([Table(sheet=sheet, rows=rows)], "results.xlsx")


def test_surveyheart_question_columns_are_never_taken() -> None:
    layout = layout_of(surveyheart_rows(3), sheet="Responses")
    assert layout.platform is Platform.SURVEYHEART
    assert layout.column_choice() == ColumnChoice(
        name="Full names", email="Email", score="Total Marks (17)", submitted_at="Submitted Time"
    )


def test_surveyheart_result_column_when_there_are_no_total_marks() -> None:
    rows = surveyheart_rows(3)
    rows = [[cell for i, cell in enumerate(row) if i != 5] for row in rows]
    assert layout_of(rows).column_choice().score == "Result"


def test_numbered_question_is_not_a_name_nor_a_score() -> None:
    rows: Rows = [
        ["Email", "3. What is your name?", "12. The total score of the heart is?", "Score"],
        [person(0)[2], "Amara Okonkwo-Test", "5", "8 / 10"],
        [person(1)[2], "Bodhi Lindqvist-Test", "7", "9 / 10"],
    ]
    layout = layout_of(rows)
    assert (layout.name, layout.email, layout.score) == (None, 0, 3)


@pytest.mark.parametrize(
    ("spanish", "email", "score", "time"),
    [
        (False, "Email Address", "Score", "Timestamp"),
        (True, "Dirección de correo electrónico", "Puntuación", "Marca temporal"),
    ],
)
def test_google_forms(spanish: bool, email: str, score: str, time: str) -> None:
    layout = layout_of(google_rows(spanish=spanish), sheet="Form Responses 1")
    assert layout.platform is Platform.GOOGLE_FORMS
    assert layout.column_choice() == ColumnChoice(email=email, score=score, submitted_at=time)


def test_microsoft_forms_total_points_not_per_question_points() -> None:
    layout = layout_of(ms_forms_rows())
    assert layout.platform is Platform.MICROSOFT_FORMS
    assert layout.column_choice() == ColumnChoice(
        name="Name", email="Email", score="Total points", submitted_at="Completion time"
    )


def test_microsoft_forms_column_order_can_vary() -> None:
    rows = [list(reversed(row)) for row in ms_forms_rows()]
    assert layout_of(rows).column_choice().score == "Total points"


def test_moodle_split_name_grade_header_and_footer() -> None:
    layout = layout_of(moodle_rows(), sheet="Grades")
    assert layout.platform is Platform.MOODLE
    assert layout.column_choice() == ColumnChoice(
        first_name="First name",
        last_name="Surname",
        email="Email address",
        score="Grade/10.00",
        submitted_at="Completed",
    )
    assert layout.headers[layout.state or 0] == "State"
    assert [number for number, _ in layout.data_rows] == [2, 3, 4, 5]
    assert layout.footer_rows == (6,)


def test_canvas_points_possible_row_is_not_a_participant() -> None:
    layout = layout_of(canvas_rows(), sheet=None)
    assert layout.platform is Platform.CANVAS
    # The one assignment is the test; Current/Final Score are the course's totals.
    assert layout.column_choice() == ColumnChoice(
        name="Student", score="Quiz 1 (1234)", person_id="ID"
    )
    assert not layout.items[0].holds_percents
    assert layout.name_is_last_first
    assert layout.items[0].points_possible == "20.00"
    assert [c.header for c in layout.skipped] == ["Current Score", "Final Score"]
    assert layout.data_rows[0][0] == 3


def _without_assignment(rows: list[list[object]]) -> list[list[object]]:
    return [row[:5] + row[6:] for row in rows]


def test_canvas_final_score_when_no_single_assignment_is_there() -> None:
    layout = layout_of(_without_assignment(canvas_rows()), sheet=None)
    assert layout.column_choice().score == "Final Score"
    assert layout.items[0].holds_percents


def test_canvas_current_score_when_final_score_is_absent() -> None:
    rows = [row[:-1] for row in _without_assignment(canvas_rows())]
    assert layout_of(rows, sheet=None).column_choice().score == "Current Score"


def test_kahoot_final_scores_sheet_under_two_title_rows() -> None:
    tables = [Table(sheet=name, rows=rows) for name, rows in kahoot_sheets()]
    layout = find_layout(tables, "kahoot.xlsx")
    assert (layout.sheet, layout.header_row, layout.platform) == (
        "Final Scores",
        3,
        Platform.KAHOOT,
    )
    assert layout.column_choice() == ColumnChoice(name="Player", score="Correct Answers")
    assert layout.items[0].stated_maximum == 5


def test_handmade_title_blank_rows_and_totals_row() -> None:
    layout = layout_of(handmade_rows())
    assert (layout.platform, layout.header_row) == (Platform.GENERIC, 4)
    assert layout.column_choice() == ColumnChoice(
        name="Participant Name", email="E-mail", score="Marks /20"
    )
    assert [number for number, _ in layout.data_rows] == [5, 6, 7]
    assert layout.footer_rows == (9,)


def test_handmade_percent_column() -> None:
    rows: Rows = [["Name", "Score %"], ["Amara Okonkwo-Test", "85%"]]
    assert layout_of(rows).column_choice() == ColumnChoice(name="Name", score="Score %")


def test_rows_below_a_footer_are_footer_too() -> None:
    rows: Rows = [
        ["Name", "Marks"],
        ["Amara Okonkwo-Test", 8],
        ["Average", 8],
        ["Marks are out of 10", None],
    ]
    layout = layout_of(rows)
    assert [number for number, _ in layout.data_rows] == [2]
    assert layout.footer_rows == (3, 4)


def test_best_sheet_wins_without_a_known_sheet_name() -> None:
    tables = [
        Table(sheet="Notes", rows=[["Read me"], ["Scores are out of 10"]]),
        Table(sheet="Lookup", rows=[["Code", "Score"], ["A", 1], ["B", 2]]),
        Table(
            sheet="Class", rows=[["Name", "Email", "Score"], ["Amara Okonkwo-Test", "a@x.test", 9]]
        ),
    ]
    assert find_layout(tables, "r.xlsx").sheet == "Class"


def test_a_results_sheet_name_does_not_beat_a_sheet_that_names_people() -> None:
    tables = [
        Table(sheet="Responses", rows=[["Timestamp", "Score"], ["2/19/2026 10:04:05", "8 / 10"]]),
        Table(sheet="Copy", rows=[["Name", "Score"], ["Amara Okonkwo-Test", "8 / 10"]]),
    ]
    assert find_layout(tables, "r.xlsx").sheet == "Copy"


def test_columns_found_by_their_content() -> None:
    rows: Rows = [
        ["Who", "Contact", "Correct?", "Score"],
        ["Amara Okonkwo-Test", person(0)[2], "True", 8],
        ["Bodhi Lindqvist-Test", person(1)[2], "False", 6],
        ["Chiara Okonkwo-Test", person(2)[2], "True", 7],
    ]
    assert layout_of(rows).column_choice() == ColumnChoice(
        name="Who", email="Contact", score="Score"
    )


def test_short_answers_are_not_taken_for_names_in_a_platform_export() -> None:
    rows = google_rows()
    rows[0][3] = "Favourite bone"
    for index, row in enumerate(rows[1:]):
        row[3] = ["Femur Longus", "Tibia Brevis", "Ulna Media"][index]
    assert layout_of(rows).name is None
    generic = [[row[1], row[3], row[2]] for row in rows]
    generic[0] = ["Contact", "Who", "Score"]
    assert layout_of(generic).column_choice().name == "Who"


def test_header_row_skips_titles_and_ignores_rows_with_emails() -> None:
    rows: Rows = [
        ["Anatomy quiz"],
        [],
        ["Played on", "19 Feb 2026"],
        ["Name", "Email", "Score"],
        ["Amara Okonkwo-Test", "amara@example.test", "Score"],
    ]
    assert find_header_row(rows) == 3


def test_no_score_column_says_what_headers_are_expected() -> None:
    with pytest.raises(NoResultsFound) as error:
        layout_of([["Name", "Email"], ["Amara Okonkwo-Test", "a@x.test"]])
    message = str(error.value)
    assert message.startswith("results.xlsx: no column looks like a score")
    assert "Total Marks (N), Grade/10.00" in message


def test_no_name_or_email_column_is_refused() -> None:
    with pytest.raises(NoResultsFound, match="no column holds the participants' names"):
        layout_of([["Timestamp", "Score"], ["2/19/2026 10:04:05", "8 / 10"]])


# --- one pass per row: blank rows, footers and Points Possible as their definitions say ----

BODY_CELLS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "",
            "  ",
            "\t\x1c",
            "Total",
            "TOTAL:",
            " total ::",
            "\ufeffAverage",
            "Grand\n total",
            "    Points Possible",
            "Muted",
            "ſum",  # case-folds to "sum"
            "Ｔotal",
            "Kount",
            "03-02-2026 09:00:48",
            "Amara Okonkwo-Test",
            "x@example.test",
        ]
    ),
    st.text(max_size=4),
    st.sampled_from([0.0, 7.5, True]),
)
SCORES = st.one_of(st.none(), st.integers(0, 10))
BODY_ROWS = st.lists(st.tuples(BODY_CELLS, BODY_CELLS, SCORES, BODY_CELLS).map(list), max_size=12)


def split_by_definition(body: Rows) -> tuple[list[int], list[int], Row | None]:
    """Data rows, footer rows and the Points Possible row, cell by cell as docs/formats.md says."""
    data: list[int] = []
    footers: list[int] = []
    points_possible = None
    for number, row in enumerate(body, start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        if footers:
            footers.append(number)
            continue
        first_two = [cell for cell in row if cell is not None][:2]
        labels = [normalise_header(c).rstrip(":") for c in first_two if isinstance(c, str)]
        label = next((x for x in labels if x in FOOTER_LABELS or x in CANVAS_META_ROWS), "")
        if label in CANVAS_META_ROWS and not data:
            points_possible = row if label == "points possible" else points_possible
        elif label in FOOTER_LABELS:
            footers.append(number)
        else:
            data.append(number)
    return data, footers, points_possible


@given(BODY_ROWS)
def test_rows_under_the_header_are_split_as_defined(body: Rows) -> None:
    header: list[object] = ["Name", "Email", "Score", "Timestamp", "Phone number"]
    layout = analyse_table(Table(sheet="S", rows=[header, *body]))
    assert layout is not None
    data, footers, points_possible = split_by_definition(body)
    assert [number for number, _ in layout.data_rows] == data
    assert list(layout.footer_rows) == footers
    expected_points = points_possible[2] if points_possible is not None else None
    assert layout.items[0].points_possible == expected_points


def test_column_cells_fill_short_rows_with_none() -> None:
    rows: Rows = [["a", "b", "c"], ["d"], [], ["e", "f"]]
    assert column_cells(rows, 1) == ["b", None, None, "f"]
    assert column_cells(rows[:1], 2) == ["c"]
    assert column_cells(rows, None) == [None] * 4


def test_gradebook_items_that_share_a_title_stay_two_tests() -> None:
    header = ["Last Name", "First Name", "Username", "Quiz [Total Pts: 10 Score] |1",
              "Quiz [Total Pts: 20 Score] |2"]  # fmt: skip
    layout = layout_of([header, ["Obi", "Ada", "aobi", "7", "15"]], sheet=None)
    assert [item.stated_maximum for item in layout.items] == [10.0, 20.0]
