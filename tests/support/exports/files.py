"""The one writer of export files in the tests: xlsx through XlsxWriter, CSV through the csv
module, ODS by hand; plus the names and number texts exports use.

Cells are written as given: None is no cell at all, `""` an empty text cell, text is always text
(never a formula, number or link), booleans are booleans and datetimes are dated cells. Every
writer takes sheets as (name, rows) in order, so the same rows can become any of the formats.
"""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

import xlsxwriter

_FIXED_CREATED = datetime(2026, 1, 5, 8, 0, 0)  # fixed so the same rows give the same bytes
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Formatted:
    """A number or date with the number format Excel shows it in (e.g. `0.0%`)."""

    value: float | datetime
    num_format: str


Cell = str | bool | int | float | datetime | Formatted | None
Rows = Sequence[Sequence[Cell]]
Sheets = Sequence[tuple[str, Rows]]


def xlsx_bytes(sheets: Sheets, date_format: str = "dd/mm/yyyy hh:mm:ss") -> bytes:
    """An xlsx workbook holding `sheets` (name, rows) in order, datetimes shown in `date_format`."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"created": _FIXED_CREATED})
    formats = {date_format: workbook.add_format({"num_format": date_format})}
    for sheet_name, rows in sheets:
        sheet = workbook.add_worksheet(sheet_name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, formats[date_format])
                elif isinstance(value, Formatted):
                    if value.num_format not in formats:
                        formats[value.num_format] = workbook.add_format(
                            {"num_format": value.num_format}
                        )
                    sheet.write(r, c, value.value, formats[value.num_format])
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                else:
                    raise TypeError(value)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(
    rows: Rows, *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False
) -> bytes:
    """A CSV of `rows` (None as an empty field) in `encoding`, with a byte-order mark when asked."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(["" if value is None else str(value) for value in row] for row in rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


def ods_bytes(sheets: Sheets) -> bytes:
    """A minimal OpenDocument spreadsheet (mimetype, manifest, content.xml): numbers as floats,
    anything else as text."""
    tables = "".join(_ods_table(name, rows) for name, rows in sheets)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _ods_table(name: str, rows: Rows) -> str:
    body = []
    for row in rows:
        cells = []
        for value in row:
            if value is None:
                cells.append("<table:table-cell/>")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(
                    f'<table:table-cell office:value-type="float" office:value="{value}">'
                    f"<text:p>{value}</text:p></table:table-cell>"
                )
            else:
                cells.append(
                    '<table:table-cell office:value-type="string">'
                    f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
                )
        body.append(f"<table:table-row>{''.join(cells)}</table:table-row>")
    return f'<table:table table:name="{escape(name)}">{"".join(body)}</table:table>'


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
