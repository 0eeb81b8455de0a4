"""Shared pieces of the output workbook: test colours, cell formats, and safe cell writers.

Every text that can come from an upload (names, e-mails, file names, headers, problem texts)
goes through `write_text`, which uses `write_string` so that `=HYPERLINK(...)`, `+1` or `@SUM`
land as text and never as a formula, and which cuts texts to what an Excel cell can hold.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

# DejaVu Sans, shipped with the package (fonts/LICENSE-DejaVu.txt): Latin with any accents,
# Cyrillic, Greek, Arabic, so names print as written wherever the compiler runs.
FONT_FOLDER = Path(__file__).resolve().parent / "fonts"
UNICODE_FONT = FONT_FOLDER / "DejaVuSans.ttf"
UNICODE_BOLD_FONT = FONT_FOLDER / "DejaVuSans-Bold.ttf"

# The predecessor's palette, by test number: test 1 white, 2 sky blue, ... then it repeats.
TEST_COLOURS: tuple[str, ...] = (
    "FFFFFF",  # white
    "87CEEB",  # sky blue
    "FFFF00",  # yellow
    "FFFACD",  # lemon
    "FF0000",  # red
    "90EE90",  # light green
    "F08080",  # light coral
    "F0E68C",  # khaki
    "DDA0DD",  # plum
    "00FFFF",  # cyan
)

EXCEL_MAX_TEXT = 32_767  # characters (UTF-16 code units) one cell can hold
TRUNCATION_MARK = "…"

PASS_TEXT = "PASS"  # noqa: S105 (a status, not a password)
FAIL_TEXT = "FAIL"

# Excel's own "good" and "bad" cell styles, so the colours read as they do anywhere else.
GOOD_FILL, GOOD_FONT = "#C6EFCE", "#006100"
BAD_FILL, BAD_FONT = "#FFC7CE", "#9C0006"

# The distribution of final averages: its bars and its pass-mark line, in the Summary sheet's
# chart, the picture and the report cards alike.
CHART_BAR_COLOUR = "#4F81BD"
PASS_MARK_COLOUR = "#C81E1E"  # noqa: S105 (a colour, not a password)

PERCENT_FORMAT = "0.0"
AVERAGE_FORMAT = "0.00"  # final averages: two decimals, as graded

# A dropped result (one of a person's lowest, left out of the final average): hatched over its
# test's colour and crossed out, so that even a dropped blank (a missing test) shows.
DROPPED_HATCH = "#808080"
DROPPED_FONT = "#595959"
DROPPED_PATTERN = 13  # XlsxWriter's "lightDown": thin diagonal stripes

Worksheet = Any  # a `compiler.write.lean_worksheet.LeanWorksheet` (xlsxwriter ships no types)
Format = Any


def test_colour(number: int) -> str:
    """The fill colour of test `number` as six hex digits (`"87CEEB"`), cycling after ten."""
    return TEST_COLOURS[(number - 1) % len(TEST_COLOURS)]


test_colour.__test__ = False  # type: ignore[attr-defined]  # pytest must not collect it


def rgb(colour: str) -> tuple[int, int, int]:
    """`"#87CEEB"` or `"87CEEB"` as (135, 206, 235)."""
    digits = colour.removeprefix("#")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def excel_text(text: str) -> str:
    """`text` cut to what one Excel cell holds, ending in `…` when something was cut."""
    if len(text) <= EXCEL_MAX_TEXT // 2 or _utf16_length(text) <= EXCEL_MAX_TEXT:
        return text
    room = EXCEL_MAX_TEXT - len(TRUNCATION_MARK)
    kept: list[str] = []
    for ch in text:
        room -= 2 if ord(ch) > 0xFFFF else 1
        if room < 0:
            break
        kept.append(ch)
    return "".join(kept) + TRUNCATION_MARK


class Formats:
    """Every cell format the workbook uses, made once (never one format per cell).

    Plain text and plain numbers take no format at all (None): Excel's default style is the
    same, and a cell without one is written with one attribute less.
    """

    def __init__(self, workbook: Any) -> None:
        header_style = {"bold": True, "border": 1, "valign": "top", "text_wrap": True}
        add = workbook.add_format
        self.header: Format = add({**header_style, "bg_color": "#D9D9D9"})
        self.wrapped: Format = add({"text_wrap": True, "valign": "top"})
        self.number: Format = add({"num_format": PERCENT_FORMAT})
        self.average: Format = add({"num_format": AVERAGE_FORMAT})
        self.integer: Format = add({"num_format": "0"})
        self.bold: Format = add({"bold": True})
        self.title: Format = add({"bold": True, "font_size": 13})
        self.good: Format = add({"bg_color": GOOD_FILL, "font_color": GOOD_FONT})  # conditional
        self.bad: Format = add({"bg_color": BAD_FILL, "font_color": BAD_FONT})
        self.test_header: dict[str, Format] = {
            colour: add({**header_style, "bg_color": f"#{colour}"}) for colour in TEST_COLOURS
        }
        self.test_cell: dict[str, Format] = {
            colour: add({"bg_color": f"#{colour}", "num_format": PERCENT_FORMAT, "border": 1})
            for colour in TEST_COLOURS
        }
        self._add = add
        self._dropped_cell: dict[str, Format] = {}  # made when a result is dropped

    def for_test_header(self, number: int) -> Format:
        """The header format of test `number`, in its colour."""
        return self.test_header[test_colour(number)]

    def for_test_cell(self, number: int) -> Format:
        """The score format of test `number`, in its colour."""
        return self.test_cell[test_colour(number)]

    def for_dropped_cell(self, number: int) -> Format:
        """The format of a dropped score of test `number`: its colour, hatched, crossed out."""
        colour = test_colour(number)
        if colour not in self._dropped_cell:
            self._dropped_cell[colour] = self._add(
                {
                    "pattern": DROPPED_PATTERN,
                    "fg_color": DROPPED_HATCH,
                    "bg_color": f"#{colour}",
                    "num_format": PERCENT_FORMAT,
                    "border": 1,
                    "font_strikeout": True,
                    "font_color": DROPPED_FONT,
                }
            )
        return self._dropped_cell[colour]

    def places(self, places: int | None) -> Format | None:
        """The format of a figure rounded to `places` decimals (None: as it is)."""
        return {1: self.number, 2: self.average}.get(places) if places is not None else None


def write_text(
    sheet: Worksheet, row: int, col: int, text: str | None, fmt: Format | None = None
) -> None:
    """Write `text` as text (never a formula), or a blank cell when it is None."""
    if text is None:
        if fmt is not None:
            sheet.blank_at(row, col, fmt)
        return
    sheet.text_at(row, col, excel_text(text), fmt)


def write_number(
    sheet: Worksheet, row: int, col: int, value: float | None, fmt: Format | None = None
) -> None:
    """Write `value` as a number, or a blank cell when it is None or not finite."""
    if value is None or not math.isfinite(value):
        if fmt is not None:
            sheet.blank_at(row, col, fmt)
        return
    sheet.number_at(row, col, value, fmt)


def write_header(sheet: Worksheet, row: int, headers: list[str], fmt: Format) -> None:
    """Write one header row starting in column A."""
    for col, header in enumerate(headers):
        write_text(sheet, row, col, header, fmt)


def text_width(texts: list[str], minimum: int, maximum: int) -> int:
    """A column width that fits the longest of `texts`, kept between the two bounds."""
    longest = max((len(t) for t in texts), default=0)
    return max(minimum, min(maximum, longest + 2))
