"""Bytes and names of generated exports: xlsx through XlsxWriter, CSV through the csv module."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter

_FIXED_CREATED = datetime(2026, 1, 5, 8, 0, 0)  # fixed so the same seed gives the same bytes
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Formatted:
    """A number or date with the number format Excel shows it in (e.g. `0.0%`)."""

    value: float | datetime
    num_format: str


Cell = str | int | float | datetime | Formatted | None
Rows = Sequence[Sequence[Cell]]


def xlsx_bytes(
    sheets: Sequence[tuple[str, Rows]], date_format: str = "dd/mm/yyyy hh:mm:ss"
) -> bytes:
    """An xlsx workbook holding `sheets` (name, rows) in order; strings are always text."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"created": _FIXED_CREATED})
    formats = {date_format: workbook.add_format({"num_format": date_format})}
    for sheet_name, rows in sheets:
        sheet = workbook.add_worksheet(sheet_name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, formats[date_format])
                elif isinstance(value, Formatted):
                    if value.num_format not in formats:
                        formats[value.num_format] = workbook.add_format(
                            {"num_format": value.num_format}
                        )
                    sheet.write(r, c, value.value, formats[value.num_format])
                else:
                    sheet.write_number(r, c, value)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(rows: Rows, *, delimiter: str = ",", bom: bool = False) -> bytes:
    """UTF-8 CSV of `rows` (cells already text or numbers), optionally with a byte-order mark."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(["" if value is None else str(value) for value in row] for row in rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def number_text(value: float, decimals: int = 2, decimal_comma: bool = False) -> str:
    """`value` as an export prints it: `12.5`, `8`, or `12,5` where commas are decimal points."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if decimal_comma else text


def percent_text(percent: float) -> str:
    """A percentage as quiz sites print it: `76.47%`, `80%`."""
    return number_text(percent) + "%"


def file_name(rng: random.Random, templates: Sequence[str], test: int, day: date) -> str:
    """A real-looking file name for `test` taken on `day`, from one of `templates`.

    Placeholders: {t} test, {dd} two-digit day, {d} day, {month} February, {MONTH} FEBRUARY,
    {mon} Feb, {year}. A template gluing test and day together (`TEST 519 February`) is used
    only when that stays decidable: a one-digit test and a two-digit day.
    """
    usable = [t for t in templates if "{t}{dd}" not in t or (test <= 9 and day.day >= 10)]
    month = MONTHS[day.month - 1]
    return rng.choice(usable).format(
        t=test, dd=f"{day.day:02d}", d=day.day, month=month, MONTH=month.upper(),
        mon=month[:3], year=day.year,
    )  # fmt: skip
