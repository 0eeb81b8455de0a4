"""read_export: every layout of docs/formats.md, from bytes to an Export, with its problems."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.errors import CompilerError, CorruptFile, NoResultsFound
from compiler.model import Export, MaxSource, Platform, Submission, UploadedFile
from compiler.understand.intake import read_export
from tests.support.exports.files import csv_bytes, ods_bytes, xlsx_bytes
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


def export_of(name: str, data: bytes) -> Export:
    return read_export(UploadedFile(name=name, data=data))


def kinds(export: Export) -> list[tuple[str, int | None]]:
    return [(problem.kind, problem.row) for problem in export.problems]


def test_surveyheart_export() -> None:
    rows = surveyheart_rows(3)
    rows[2][3] = "  BODHI.Okonkwo@@Example.test "  # e-mails stay exactly as written
    rows.append(list(rows[1]))  # the same person submits twice
    data = xlsx_bytes([("Responses", rows)])
    export = export_of("Anatomy TEST 519 February,2026.xlsx", data)
    assert export.sha256 == hashlib.sha256(data).hexdigest()
    assert (export.platform, export.sheet, export.header_row) == (
        Platform.SURVEYHEART,
        "Responses",
        1,
    )
    assert (export.out_of, export.max_source) == (17.0, MaxSource.HEADER)
    assert (export.rows_read, export.rows_rejected) == (4, 0)
    assert export.submissions[:2] == (
        Submission(
            row=2,
            name="Amara Okonkwo-Test",
            email=person(0)[2],
            points=0.0,
            submitted_at=datetime(2026, 2, 1, 10, 0, 5),
        ),
        Submission(
            row=3,
            name="Bodhi Okonkwo-Test",
            email="  BODHI.Okonkwo@@Example.test ",
            points=1.0,
            submitted_at=datetime(2026, 2, 2, 10, 1, 5),
        ),
    )
    assert export.submissions[3].row == 5
    assert export.problems == ()
    assert not export.needs_maximum


def test_surveyheart_header_maximum_checked_against_result_percents() -> None:
    rows = surveyheart_rows(6, max_marks=17)
    for row in rows[1:]:
        row[6] = f"{float(str(row[5])) / 20 * 100:.1f}%"  # the quiz really had 20 marks
    export = export_of("r.xlsx", xlsx_bytes([("Responses", rows)]))
    assert export.out_of == 17.0
    assert kinds(export) == [("maximum-disagrees", None)]
    assert "header says out of 17 but the percentages in 'Result' mean out of 20" in (
        export.problems[0].found
    )


def test_surveyheart_result_percent() -> None:
    rows = [[cell for i, cell in enumerate(row) if i != 5] for row in surveyheart_rows(3)]
    export = export_of("r.xlsx", xlsx_bytes([("Responses", rows)]))
    assert (export.out_of, export.max_source) == (100.0, MaxSource.PERCENT)
    assert [(s.points, s.out_of) for s in export.submissions] == [
        (0.0, 100.0),
        (5.9, 100.0),
        (11.8, 100.0),
    ]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("responses.csv", csv_bytes(google_rows())),
        (
            "respuestas.xlsx",
            xlsx_bytes([("Respuestas de formulario 1", google_rows(spanish=True))]),
        ),
    ],
)
def test_google_forms_export(name: str, data: bytes) -> None:
    export = export_of(name, data)
    assert export.platform is Platform.GOOGLE_FORMS
    assert (export.out_of, export.max_source) == (10.0, MaxSource.CELL)
    assert [(s.name, s.email, s.points, s.out_of) for s in export.submissions] == [
        (None, person(0)[2], 8.0, 10.0),
        (None, person(1)[2], 10.0, 10.0),
        (None, person(2)[2], 3.0, 10.0),
    ]
    assert export.submissions[0].submitted_at == datetime(2026, 2, 19, 10, 4, 5)


def test_microsoft_forms_export_has_no_maximum_and_reports_anonymous_scores() -> None:
    export = export_of(
        "quiz.xlsx", xlsx_bytes([("Sheet1", ms_forms_rows())], date_format="yyyy-mm-dd hh:mm:ss")
    )
    assert export.platform is Platform.MICROSOFT_FORMS
    assert (export.out_of, export.max_source) == (None, MaxSource.UNKNOWN)
    assert export.needs_maximum
    # An anonymous response names nobody: it is reported with its score, not made a person.
    assert 3 not in [s.row for s in export.submissions]
    assert export.rows_rejected == 1
    (anonymous,) = [p for p in export.problems if p.kind == "anonymous-response"]
    assert (anonymous.row, anonymous.found) == (3, "an anonymous response (score 5)")
    assert export.submissions[1].submitted_at == datetime(2026, 2, 19, 10, 15)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("grades.xlsx", xlsx_bytes([("Grades", moodle_rows())])),
        ("grades.ods", ods_bytes([("Grades", moodle_rows())])),
        ("grades.csv", csv_bytes(moodle_rows())),
    ],
)
def test_moodle_export(name: str, data: bytes) -> None:
    export = export_of(name, data)
    assert export.platform is Platform.MOODLE
    assert (export.out_of, export.max_source) == (10.0, MaxSource.HEADER)
    assert export.rows_read == 4  # Overall average is a footer
    assert [(s.name, s.points, s.no_score) for s in export.submissions] == [
        ("Amara Okonkwo-Test", 8.5, None),
        ("Bodhi Lindqvist-Test", None, "-"),
        ("Esi Varga-Test", None, "In progress"),
        ("Greta Nakamura-Test", None, "Not yet graded"),
    ]
    assert export.submissions[0].submitted_at == datetime(2026, 2, 19, 10, 15)
    assert kinds(export) == [("no-score", 3), ("attempt-in-progress", 4), ("no-score", 5)]
    in_progress = export.problems[1]
    assert in_progress.person == "Esi Varga-Test"
    assert "grade cell: 3" in in_progress.found


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(canvas_rows()),
        csv_bytes(canvas_rows(decimal_comma=True), delimiter=";", bom=True),
    ],
)
def test_canvas_export(data: bytes) -> None:
    export = export_of("gradebook.csv", data)
    assert export.platform is Platform.CANVAS
    assert export.columns.score == "Quiz 1 (1234)"
    assert (export.out_of, export.max_source) == (20.0, MaxSource.POINTS_POSSIBLE)
    assert [(s.row, s.name, s.points, s.no_score) for s in export.submissions] == [
        (3, "Amara Okonkwo-Test", 17.0, None),
        (4, "Bodhi Lindqvist-Test", None, "EX"),
        (5, "Esi Varga-Test", 12.5, None),
        (6, "Greta Nakamura-Test", None, "N/A"),
    ]
    assert (export.rows_read, export.rows_rejected) == (5, 1)
    assert kinds(export) == [("no-score", 4), ("no-score", 6), ("test-student", 7)]


def test_canvas_assignment_column_takes_its_maximum_from_points_possible() -> None:
    rows = [row[:6] for row in canvas_rows(decimal_comma=True)]
    export = export_of("gradebook.csv", csv_bytes(rows, delimiter=";"))
    assert export.columns.score == "Quiz 1 (1234)"
    assert (export.out_of, export.max_source) == (20.0, MaxSource.POINTS_POSSIBLE)
    assert export.submissions[2].points == 12.5


def test_kahoot_export() -> None:
    export = export_of("kahoot.xlsx", xlsx_bytes(kahoot_sheets()))
    assert (export.platform, export.sheet, export.header_row) == (
        Platform.KAHOOT,
        "Final Scores",
        3,
    )
    # The mark is the correct answers out of the questions played; the points reward speed.
    assert export.columns.score == "Correct Answers"
    assert (export.out_of, export.max_source) == (5.0, MaxSource.QUESTIONS_PLAYED)
    assert [(s.row, s.name, s.points) for s in export.submissions] == [
        (4, "Amara Okonkwo-Test", 5.0),
        (5, "bodhi_the_brave", 4.0),
        (6, "Esi V", 1.0),
    ]
    assert [c.header for c in export.skipped] == ["Total Score (points)"]


def test_handmade_export() -> None:
    export = export_of("test 5.xlsx", xlsx_bytes([("Sheet1", handmade_rows())]))
    assert (export.platform, export.header_row) == (Platform.GENERIC, 4)
    assert (export.out_of, export.max_source) == (20.0, MaxSource.HEADER)
    assert (export.rows_read, export.rows_rejected) == (3, 0)
    assert [s.email for s in export.submissions][2] == "chiara@@example.test"


def test_odd_scores_and_rows_become_problems() -> None:
    rows: Rows = [
        ["Name", "Email", "Total Marks (10)"],
        ["Amara Okonkwo-Test", person(0)[2], 12],
        ["Bodhi Lindqvist-Test", None, -1],
        [None, person(2)[2], "eight"],
        ["Dmitri Varga-Test", person(3)[2], None],
        [None, None, 7],
        ["anonymous", "anonymous", None],
    ]
    export = export_of("odd.xlsx", xlsx_bytes([("S", rows)]))
    assert kinds(export) == [
        ("score-above-maximum", 2),
        ("negative-score", 3),
        ("unreadable-score", 4),
        ("no-score", 5),
        ("unidentified-row", 6),
        ("anonymous-response", 7),
    ]
    assert (export.rows_read, export.rows_rejected) == (6, 2)
    kept = export.submissions
    assert [(s.row, s.points, s.no_score) for s in kept] == [
        (2, 12.0, None),
        (3, -1.0, None),
        (4, None, "eight"),
        (5, None, "blank"),
    ]
    assert "score 12 is above the maximum 10" in export.problems[0].found
    assert all(problem.file == "odd.xlsx" for problem in export.problems)


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("ANONYMOUS", None),
        ("Anonymouſ", "  "),  # ſ case-folds to s
        (None, " anonymous\t"),
        ("anonymous", "Anonymous"),
    ],
)
def test_anonymous_is_read_in_any_case_and_spacing(name: str | None, email: str | None) -> None:
    rows: Rows = [
        ["Name", "Email", "Score"],
        ["Anonymous Okonkwo-Test", "anonymous.person@example.test", 5],
        [name, email, 7],
        ["Bodhi Lindqvist-Test", "anonymous@example.test", 6],
    ]
    export = export_of("forms.xlsx", xlsx_bytes([("S", rows)]))
    assert kinds(export) == [("anonymous-response", 3)]
    assert [(s.name, s.email) for s in export.submissions] == [
        ("Anonymous Okonkwo-Test", "anonymous.person@example.test"),
        ("Bodhi Lindqvist-Test", "anonymous@example.test"),
    ]


def test_an_anonymous_name_with_an_email_is_kept_under_the_email() -> None:
    rows: Rows = [["Name", "Email", "Score"], ["anonymous", person(1)[2], 4]]
    export = export_of("forms.xlsx", xlsx_bytes([("S", rows)]))
    assert [(s.name, s.email) for s in export.submissions] == [(None, person(1)[2])]
    assert export.problems == ()


def test_header_without_rows_is_refused() -> None:
    data = xlsx_bytes([("Responses", [["Name", "Email", "Score"]])])
    with pytest.raises(NoResultsFound, match="no results under it") as error:
        export_of("empty.xlsx", data)
    assert str(error.value).startswith("empty.xlsx: has a header row (row 1 of the sheet")


def test_rows_that_name_nobody_are_refused() -> None:
    rows: Rows = [["Name", "Email", "Score"], [None, None, 5], [None, None, 7]]
    with pytest.raises(NoResultsFound, match="none names a person"):
        export_of("nobody.xlsx", xlsx_bytes([("S", rows)]))


def test_reading_errors_pass_through() -> None:
    with pytest.raises(CorruptFile):
        export_of("cut.xlsx", xlsx_bytes([("S", [["Name", "Score"]])])[:300])


# --- whatever the cells hold, only the compiler's own errors come out ---------------------

TRAPS = [
    "Score", "Name", "Email", "Total Marks (17)", "Grade/10.00", "Final Score", "Player",
    "Total points", "Points - Q1", "Surname", "First name", "State", "In progress",
    "    Points Possible", "Overall average", "Total", "8 / 10", "76,5%", "-", "EX", "anonymous",
    "a@b", "x@@y", "\x00", "\ufeff", "19-02-2026 10:04:05", "1,500", "=1+1",
]  # fmt: skip
CELLS = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(TRAPS),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
HEADERS = st.lists(
    st.sampled_from([*TRAPS[:14], "Timestamp", "Result", "Student", "%"]), max_size=7
)
TABLES = st.one_of(
    st.lists(st.lists(CELLS, max_size=7), max_size=9),
    st.tuples(HEADERS, st.lists(st.lists(CELLS, max_size=7), max_size=9)).map(
        lambda parts: [list[object](parts[0]), *parts[1]]
    ),
)


def assert_export_or_compiler_error(name: str, data: bytes) -> None:
    try:
        export = read_export(UploadedFile(name=name, data=data))
    except CompilerError:
        return
    assert export.submissions
    assert export.rows_read == len(export.submissions) + export.rows_rejected
    assert all(s.row > export.header_row for s in export.submissions)


@given(TABLES, st.sampled_from([",", ";", "\t"]), st.sampled_from(["utf-8", "utf-16"]))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_csv_gives_an_export_or_a_compiler_error(
    rows: Rows, delimiter: str, encoding: str
) -> None:
    assert_export_or_compiler_error(
        "r.csv", csv_bytes(rows, delimiter=delimiter, encoding=encoding)
    )


@given(TABLES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_xlsx_gives_an_export_or_a_compiler_error(rows: Rows) -> None:
    assert_export_or_compiler_error("r.xlsx", xlsx_bytes([("Responses", rows)]))


VALID_XLSX = xlsx_bytes([("Responses", surveyheart_rows(5))])


@given(st.lists(st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), max_size=8))
@settings(max_examples=80, deadline=None)
def test_damaged_xlsx_gives_an_export_or_a_compiler_error(flips: list[tuple[int, int]]) -> None:
    data = bytearray(VALID_XLSX)
    for position, value in flips:
        data[position] = value
    assert_export_or_compiler_error("r.xlsx", bytes(data))


@given(st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"]), st.binary())
@settings(max_examples=100, deadline=None)
def test_any_bytes_give_an_export_or_a_compiler_error(prefix: bytes, data: bytes) -> None:
    assert_export_or_compiler_error("r.xlsx", prefix + data)
