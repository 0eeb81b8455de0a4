"""The Summary sheet: per-test statistics, the class as a whole, how it was graded, the letter
grades, and a chart of final averages."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from compiler.model import CompileReport
from compiler.write.figures import (
    DUPLICATE_RULE_TEXT,
    Figure,
    class_figures,
    grading_figures,
    letter_rows,
)
from compiler.write.styles import (
    CHART_BAR_COLOUR,
    Formats,
    Worksheet,
    write_header,
    write_number,
    write_text,
)

__all__ = ["DUPLICATE_RULE_TEXT", "SUMMARY_SHEET", "bin_labels", "final_average_bins"]

SUMMARY_SHEET = "Summary"
TEST_HEADERS = [
    "Test", "Count", "Mean", "Median", "Min", "Max", "Pass rate (%)", "Weight", "Weight from",
]  # fmt: skip
LETTER_HEADERS = ["Grade", "From (%)", "Participants", "Share (%)"]
BIN_WIDTH = 10
BIN_COUNT = 10


def bin_labels() -> list[str]:
    """`0-10`, `10-20`, ... `90-100`: the ranges of the final-average distribution."""
    return [f"{i * BIN_WIDTH}-{(i + 1) * BIN_WIDTH}" for i in range(BIN_COUNT)]


def final_average_bins(averages: Sequence[float]) -> list[int]:
    """How many averages fall in each range of ten; 100 (and above) counts in 90-100.

    A range includes its lower bound only, except the last which also holds 100. Anything
    below 0 counts in the first range; averages that are not finite (NaN, infinity) are not counted.
    """
    counts = [0] * BIN_COUNT
    for average in _finite(averages):
        index = int(average // BIN_WIDTH) if average > 0 else 0
        counts[min(index, BIN_COUNT - 1)] += 1
    return counts


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if math.isfinite(v)]


def write_summary_sheet(workbook: Any, report: CompileReport, formats: Formats) -> None:
    """Add the Summary sheet to `workbook`."""
    sheet = workbook.add_worksheet(SUMMARY_SHEET)
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 7, 13)
    sheet.set_column(8, 8, 40)
    row = _write_test_table(sheet, report, formats)
    row = _write_figures(sheet, "The class as a whole", class_figures(report), formats, row + 1)
    row = _write_figures(sheet, "How it was graded", grading_figures(report), formats, row + 1)
    if report.letters is not None:
        row = _write_letters(sheet, report, formats, row + 1)
    _write_distribution(workbook, sheet, report, formats, row + 1)


def _write_test_table(sheet: Worksheet, report: CompileReport, formats: Formats) -> int:
    sheet.write_string(0, 0, "Per test", formats.title)
    write_header(sheet, 1, TEST_HEADERS, formats.header)
    sources = {w.test: w.source for w in report.weights}
    row = 2
    for stats in report.test_stats:
        label = report.test_label(stats.test)
        write_text(sheet, row, 0, label, formats.for_test_header(stats.test))
        sheet.write_number(row, 1, stats.count, formats.integer)
        values = (stats.mean, stats.median, stats.minimum, stats.maximum, stats.pass_rate)
        for col, value in enumerate(values, start=2):
            write_number(sheet, row, col, value, formats.number)
        write_number(sheet, row, 7, report.weight_of(stats.test))
        write_text(sheet, row, 8, sources.get(stats.test, "the default"))
        row += 1
    return row


def _write_figures(
    sheet: Worksheet, title: str, figures: list[Figure], formats: Formats, first_row: int
) -> int:
    sheet.write_string(first_row, 0, title, formats.title)
    row = first_row + 1
    for figure in figures:
        sheet.write_string(row, 0, figure.label, formats.bold)
        value = figure.value
        if isinstance(value, str):
            write_text(sheet, row, 1, value)
        elif isinstance(value, int):
            sheet.write_number(row, 1, value, formats.integer)
        else:
            write_number(sheet, row, 1, value, formats.places(figure.places))
        row += 1
    return row


def _write_letters(
    sheet: Worksheet, report: CompileReport, formats: Formats, first_row: int
) -> int:
    sheet.write_string(first_row, 0, "Letters given", formats.title)
    write_header(sheet, first_row + 1, LETTER_HEADERS, formats.header)
    row = first_row + 2
    for letter, minimum, count, share in letter_rows(report):
        write_text(sheet, row, 0, letter)
        write_number(sheet, row, 1, minimum)
        sheet.write_number(row, 2, count, formats.integer)
        write_number(sheet, row, 3, share, formats.number)
        row += 1
    return row


def _write_distribution(
    workbook: Any, sheet: Worksheet, report: CompileReport, formats: Formats, first_row: int
) -> None:
    sheet.write_string(first_row, 0, "Distribution of final averages", formats.title)
    write_header(sheet, first_row + 1, ["Final average (%)", "Participants"], formats.header)
    counts = final_average_bins([p.final_average for p in report.participants])
    top = first_row + 2
    for offset, (label, count) in enumerate(zip(bin_labels(), counts, strict=True)):
        sheet.write_string(top + offset, 0, label)
        sheet.write_number(top + offset, 1, count, formats.integer)
    bottom = top + BIN_COUNT - 1
    chart = workbook.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "Participants",
            "categories": [SUMMARY_SHEET, top, 0, bottom, 0],
            "values": [SUMMARY_SHEET, top, 1, bottom, 1],
            "fill": {"color": CHART_BAR_COLOUR},
            "gap": 30,
        }
    )
    chart.set_title({"name": "Final averages"})
    chart.set_x_axis({"name": "Final average (%)"})
    chart.set_y_axis({"name": "Participants", "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 640, "height": 360})
    sheet.insert_chart(first_row, 3, chart)
