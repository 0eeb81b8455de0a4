"""Write the merged result as an .xlsx workbook: Results, Summary, Issues and Sources sheets.

Built with XlsxWriter in memory, its sheets written by `LeanWorksheet` (the same XML with less
work per cell; see workbook_cells.py). Text from uploads is always written with `write_string`
(and the workbook refuses to turn strings into formulas, URLs or numbers), so a name such as
`=HYPERLINK("http://x","y")` lands as the text it is.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from compiler.model import CompileReport, ParticipantResult, Problem, SourceInfo
from compiler.write.lean_worksheet import worksheet_class
from compiler.write.styles import (
    FAIL_TEXT,
    PASS_TEXT,
    TEST_COLOURS,
    Formats,
    Worksheet,
    test_colour,
    text_width,
    write_header,
    write_number,
    write_text,
)
from compiler.write.summary_sheet import write_summary_sheet

__all__ = ["SHEET_NAMES", "TEST_COLOURS", "test_colour", "write_workbook"]

SHEET_NAMES = ("Results", "Summary", "Issues", "Sources")
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

ISSUE_HEADERS = ["File", "Row", "Person", "Found", "Action", "Kind"]
SAME_PERSON_KIND = "possibly-same-person"
SAME_PERSON_ACTION = (
    "not merged: say whether they are one person (the bot asks; the command line takes "
    "--same or --different)"
)
NO_ISSUES_TEXT = "No problems were found in the files."

SOURCE_HEADERS = [
    "File",
    "Test",
    "Test number from",
    "Platform",
    "Sheet",
    "Name column",
    "First name column",
    "Last name column",
    "E-mail column",
    "Score column",
    "Time column",
    "Out of",
    "Maximum from",
    "Rows read",
    "Rows kept",
    "Rows rejected",
    "Title",
    "Weight",
    "Category",
    "Id column",
    "Columns that are not tests",
]


def write_workbook(report: CompileReport) -> bytes:
    """The .xlsx bytes of `report`: sheets Results, Summary, Issues and Sources, in that order.

    Results holds one row per participant, sorted by name (case-insensitive), with each test's
    percent in the test's colour and the policy's columns; the others explain how it was made.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    # The class add_worksheet makes its sheets of: lean on a tested XlsxWriter, else stock.
    workbook.worksheet_class = worksheet_class(xlsxwriter.__version__)
    formats = Formats(workbook)
    _write_results_sheet(workbook, report, formats)
    write_summary_sheet(workbook, report, formats)
    _write_issues_sheet(workbook, report, formats)
    _write_sources_sheet(workbook, report, formats)
    workbook.close()
    return buffer.getvalue()


def _write_results_sheet(workbook: Any, report: CompileReport, formats: Formats) -> None:
    sheet = workbook.add_worksheet(SHEET_NAMES[0])
    headers = report.results_header()
    people = sorted(report.participants, key=ParticipantResult.shown_order)
    write_header(sheet, 0, headers, formats.header)
    first_test_col = 2
    for offset, number in enumerate(report.tests):
        col = first_test_col + offset
        write_text(sheet, 0, col, headers[col], formats.for_test_header(number))
    _write_result_rows(sheet, people, report, formats)
    _finish_results_sheet(sheet, report, people, len(headers), formats)


def _write_result_rows(
    sheet: Worksheet, people: list[ParticipantResult], report: CompileReport, formats: Formats
) -> None:
    score_columns = [
        (col, number, formats.for_test_cell(number))
        for col, number in enumerate(report.tests, start=2)
    ]
    with_assignment = report.policy.participation_assignment
    with_letters = report.letters is not None
    for row, person in enumerate(people, start=1):
        write_text(sheet, row, 0, person.name)
        write_text(sheet, row, 1, person.email)
        dropped = person.dropped
        for col, number, fmt in score_columns:
            if dropped and number in dropped:
                fmt = formats.for_dropped_cell(number)
            write_number(sheet, row, col, person.scores.get(number), fmt)
        col = 2 + len(score_columns)
        if with_assignment:
            write_number(sheet, row, col, person.assignment, formats.number)
            col += 1
        write_number(sheet, row, col, person.final_average, formats.average)
        if with_letters:
            col += 1
            write_text(sheet, row, col, person.letter)
        sheet.text_at(row, col + 1, PASS_TEXT if person.passed else FAIL_TEXT)


def _finish_results_sheet(
    sheet: Worksheet,
    report: CompileReport,
    people: list[ParticipantResult],
    column_count: int,
    formats: Formats,
) -> None:
    last_row, status_col = len(people), column_count - 1
    average_col = status_col - (2 if report.letters is not None else 1)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, last_row, column_count - 1)
    sheet.set_column(0, 0, text_width([p.name for p in people], 14, 40))
    sheet.set_column(1, 1, text_width([p.email or "" for p in people], 10, 40))
    sheet.set_column(2, average_col - 1, 9)
    sheet.set_column(average_col, average_col, 14)
    sheet.set_column(average_col + 1, status_col, 9)
    if not people:
        return
    pass_mark = report.policy.pass_mark
    for criteria, fmt in (("<", formats.bad), (">=", formats.good)):
        sheet.conditional_format(
            1,
            average_col,
            last_row,
            average_col,
            {"type": "cell", "criteria": criteria, "value": pass_mark, "format": fmt},
        )
    for text, fmt in ((PASS_TEXT, formats.good), (FAIL_TEXT, formats.bad)):
        sheet.conditional_format(
            1,
            status_col,
            last_row,
            status_col,
            {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": fmt},
        )


def issue_rows(report: CompileReport) -> list[Problem]:
    """The Issues sheet's rows: every problem, then every 'possibly the same person' pair."""
    pairs = [
        Problem(
            kind=SAME_PERSON_KIND,
            found=f"possibly the same person: {pair.a.name} / {pair.b.name} ({pair.why})",
            action=SAME_PERSON_ACTION,
            person=f"{pair.a.name} / {pair.b.name}",
        )
        for pair in report.possible_same_person
    ]
    return [*report.problems, *pairs]


def _write_issues_sheet(workbook: Any, report: CompileReport, formats: Formats) -> None:
    sheet = workbook.add_worksheet(SHEET_NAMES[2])
    write_header(sheet, 0, ISSUE_HEADERS, formats.header)
    rows = issue_rows(report) or [Problem(kind="none", found=NO_ISSUES_TEXT, action="nothing")]
    for row, problem in enumerate(rows, start=1):
        write_text(sheet, row, 0, problem.file, formats.wrapped)
        write_number(sheet, row, 1, problem.row, formats.integer)
        write_text(sheet, row, 2, problem.person, formats.wrapped)
        write_text(sheet, row, 3, problem.found, formats.wrapped)
        write_text(sheet, row, 4, problem.action, formats.wrapped)
        write_text(sheet, row, 5, problem.kind)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(ISSUE_HEADERS) - 1)
    for col, width in enumerate((24, 7, 24, 60, 36, 22)):
        sheet.set_column(col, col, width)


def source_row(source: SourceInfo) -> list[str | float | None]:
    """One Sources row: the file, its test, its layout, the columns used and the row counts."""
    cols = source.columns
    return [
        source.file_name,
        source.test.number,
        source.test.how,
        source.platform,
        source.sheet,
        cols.name,
        cols.first_name,
        cols.last_name,
        cols.email,
        cols.score,
        cols.submitted_at,
        source.out_of,
        source.max_source,
        source.rows_read,
        source.rows_kept,
        source.rows_rejected,
        source.title,
        source.weight,
        source.category,
        cols.person_id,
        "; ".join(f"{c.header}: {c.why}" for c in source.skipped) or None,
    ]


def _write_sources_sheet(workbook: Any, report: CompileReport, formats: Formats) -> None:
    sheet = workbook.add_worksheet(SHEET_NAMES[3])
    write_header(sheet, 0, SOURCE_HEADERS, formats.header)
    for row, source in enumerate(report.sources, start=1):
        for col, value in enumerate(source_row(source)):
            if isinstance(value, str) or value is None:
                write_text(sheet, row, col, value)
            else:
                write_number(sheet, row, col, value)
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(report.sources), len(SOURCE_HEADERS) - 1)
    sheet.set_column(0, 0, text_width([s.file_name for s in report.sources], 16, 40))
    sheet.set_column(1, len(SOURCE_HEADERS) - 1, 14)
