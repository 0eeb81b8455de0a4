"""LeanWorksheet writes byte for byte what XlsxWriter's own worksheet writes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from typing import Any
from unittest import mock

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

import compiler.write.workbook as workbook_module
from compiler.model import CompileReport, Problem
from compiler.write.lean_worksheet import (
    LeanWorksheet,
    StockWorksheet,
    worksheet_class,
)
from compiler.write.workbook import write_workbook
from tests.support.sample_reports import (
    ASSIGNMENT_POLICY,
    AVERAGE_POLICY,
    large_report,
    person,
    report,
    source,
)


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of an .xlsx but its creation time."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}


def written_by_xlsxwriter(rep: CompileReport) -> bytes:
    with mock.patch.object(workbook_module, "worksheet_class", lambda version: StockWorksheet):
        return write_workbook(rep)


def sheet_xml(fill: Callable[[Any, Any], None], sheet_class: type) -> dict[str, bytes]:
    """The parts of a one-sheet workbook that `fill(workbook, sheet)` wrote into."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    fill(book, book.add_worksheet("Data", sheet_class))
    book.close()
    return parts(buffer.getvalue())


texts = st.text(max_size=12)
special = st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e-300, 1e300, -0.0])
averages = st.floats(-1e6, 1e6) | special  # as a mean, a huge one would overflow the Summary's
numbers = st.none() | averages | st.integers(-(10**6), 10**6).map(float)


@st.composite
def reports(draw: st.DrawFn) -> CompileReport:
    tests = tuple(draw(st.lists(st.integers(1, 24), unique=True, max_size=5)))
    policy = draw(st.sampled_from([AVERAGE_POLICY, ASSIGNMENT_POLICY]))
    people = [
        person(
            draw(texts),
            {t: draw(numbers) for t in tests if draw(st.booleans())},
            draw(averages),
            email=draw(st.none() | texts),
            assignment=draw(numbers),
        )
        for _ in range(draw(st.integers(0, 40)))
    ]
    problems = tuple(
        Problem(draw(texts), draw(texts), draw(texts), draw(st.none() | texts), row, None)
        for row in draw(st.lists(st.none() | st.integers(1, 10**5), max_size=20))
    )
    sources = tuple(source(draw(texts), t, out_of=draw(numbers)) for t in tests)
    pairs = tuple(draw(st.lists(st.tuples(texts, texts, texts), max_size=3)))
    return report(
        people,
        tests,
        policy=policy,
        sources=sources,
        problems=problems,
        possible_same_person=pairs,
    )


@settings(max_examples=40, deadline=None)
@given(reports())
def test_workbook_is_the_same_as_xlsxwriter_writes_it(rep: CompileReport) -> None:
    assert parts(write_workbook(rep)) == parts(written_by_xlsxwriter(rep))


def test_large_workbook_is_the_same_as_xlsxwriter_writes_it() -> None:
    rep = large_report(500, 6)
    assert parts(write_workbook(rep)) == parts(written_by_xlsxwriter(rep))


def test_other_cells_and_formats_are_left_to_xlsxwriter() -> None:
    def fill(book: Any, sheet: Any) -> None:
        bold, dated = book.add_format({"bold": True}), book.add_format({"num_format": "d mmm"})
        sheet.set_column(2, 3, 12, bold)  # plain cells here take the column's format
        sheet.write_string(40, 5, "last row first")
        sheet.write_number(3, 2, 1.25)
        sheet.write_blank(3, 3, None, bold)
        sheet.write_formula(3, 4, "=SUM(C4:C5)", None, 1.25)
        sheet.write_datetime(4, 2, dt.datetime(2026, 3, 1), dated)
        sheet.write_boolean(4, 3, True)
        sheet.write_rich_string(4, 4, "a ", bold, "bold", " word")
        sheet.write_url(17, 1, "https://example.test/", string="a link")
        sheet.write_string(17, 30, "wide", bold)
        sheet.write_number(18, 0, float(10**20))
        sheet.merge_range(20, 0, 21, 2, "merged", bold)

    assert sheet_xml(fill, LeanWorksheet) == sheet_xml(fill, Worksheet)


def test_sheets_with_only_column_formats_are_the_same() -> None:
    def fill(book: Any, sheet: Any) -> None:
        sheet.set_column(0, 4, 10, book.add_format({"italic": True}))

    assert sheet_xml(fill, LeanWorksheet) == sheet_xml(fill, Worksheet)


def test_sheets_with_comments_or_row_formats_are_the_same() -> None:
    def fill(book: Any, sheet: Any) -> None:
        sheet.set_row(2, 20, book.add_format({"italic": True}))
        sheet.write_string(2, 1, "in a formatted row")
        sheet.write_number(5, 1, 3.0)
        sheet.write_comment(30, 9, "a note")

    assert sheet_xml(fill, LeanWorksheet) == sheet_xml(fill, Worksheet)


formula_parts = st.sampled_from(["{", "}", "=", "(", ")", '"', "XLOOKUP", "SUM", "_xlfn.", "A1"])


@given(st.lists(formula_parts | st.text(max_size=3), max_size=8).map("".join))
def test_formulas_are_prepared_as_xlsxwriter_prepares_them(formula: str) -> None:
    for expand in (False, True):
        lean = LeanWorksheet()._prepare_formula(formula, expand)
        assert lean == Worksheet()._prepare_formula(formula, expand)


def test_the_lean_worksheet_serves_only_the_releases_it_was_compared_on() -> None:
    assert worksheet_class(xlsxwriter.__version__) is LeanWorksheet  # the installed one is tested
    assert worksheet_class("3.3.9") is LeanWorksheet
    assert worksheet_class("3.4.0") is StockWorksheet
    assert worksheet_class("4.0") is StockWorksheet
    assert worksheet_class("nightly") is StockWorksheet
