"""Files at the edges of what a spreadsheet may be: as wide, as long or as full as Excel allows,
text no Western writer expects, macros, other encodings. Each small on disk, quick to make."""

from __future__ import annotations

import functools
import io
import random

import xlsxwriter

from tests.hostile.broken import (
    LONGEST_CELL,
    class_rows,
    column_letters,
    inline_cell,
    ordinary_export,
    sheet_xml,
)
from tests.hostile.ole2 import vba_project
from tests.hostile.zips import parts_of, zip_of
from tests.support.exports.files import csv_bytes, xlsx_bytes
from tests.support.exports.samples import person

EXCEL_COLUMNS = 16_384
_SHEET = "xl/worksheets/sheet1.xml"

# --- as large as a sheet may be --------------------------------------------------------------


def all_columns() -> bytes:
    """A header across all 16,384 columns Excel has, and one row of data."""
    header = [b"Name", b"Email", b"Score"] + [f"Q{c}".encode() for c in range(4, EXCEL_COLUMNS + 1)]
    cells = b"".join(
        f'<c r="{column_letters(c)}1" t="inlineStr"><is><t>'.encode() + text + b"</t></is></c>"
        for c, text in enumerate(header)
    )
    data = inline_cell("A2", "Amara Okonkwo-Test") + b'<c r="C2"><v>8</v></c>'
    return _export_with_sheet(
        sheet_xml(b'<row r="1">' + cells + b'</row><row r="2">' + data + b"</row>")
    )


def all_columns_csv() -> bytes:
    header = ["Name", "Email", "Score"] + [f"Q{c}" for c in range(4, EXCEL_COLUMNS + 1)]
    return csv_bytes([list[object](header), ["Amara Okonkwo-Test", person(0)[2], "8"]])


def million_rows() -> bytes:
    """Real rows, and one cell a million rows down."""
    parts = parts_of(ordinary_export())
    parts[_SHEET] = parts[_SHEET].replace(
        b"</sheetData>",
        b'<row r="1000000">' + inline_cell("A1000000", "the end") + b"</row></sheetData>",
    )
    return zip_of(parts)


def million_rows_csv() -> bytes:
    return b"Score\n" + b"8\n" * 1_000_000


def declared_million_rows() -> bytes:
    """A sheet whose `<dimension>` claims A1:XFD1048576 over a dozen real rows: a stale
    dimension is harmless, and calamine lays out only the cells that are there."""
    parts = parts_of(ordinary_export())
    xml = parts[_SHEET]
    start = xml.index(b"<dimension ref=")
    end = xml.index(b"/>", start) + 2
    parts[_SHEET] = xml[:start] + b'<dimension ref="A1:XFD1048576"/>' + xml[end:]
    return zip_of(parts)


# --- legitimate, and as costly as the limits allow --------------------------------------------


def stray_cell_export() -> bytes:
    """A class, and one stray cell in ALL5000: exactly the 5,000,000 cells a sheet may span.
    Accepted by every check; reading it takes about 260 MB (calamine lays out every cell)."""
    rows = class_rows(list(MACRO_PEOPLE), tag="stray")
    cells = b"".join(
        f'<row r="{r + 1}">'.encode()
        + b"".join(inline_cell(f"{column_letters(c)}{r + 1}", str(v)) for c, v in enumerate(row))
        + b"</row>"
        for r, row in enumerate(rows)
    )
    far = b'<row r="5000">' + inline_cell("ALL5000", "stray") + b"</row>"
    return _export_with_sheet(sheet_xml(cells + far))


@functools.cache
def unpositioned_cells() -> bytes:
    """5,000 rows of 1,000 cells written without positions (`<c><v>1</v></c>`, which XML
    allows): 0.7 MB on disk, 75 MB of XML, and every cell must be walked to find the sheet's
    extent, about 15 s. Padded with a random part so that it expands only ~100 times."""
    head = b'<row r="1">' + inline_cell("A1", "Name") + inline_cell("B1", "Score") + b"</row>"
    row = (
        b'<row><c t="inlineStr"><is><t>Amara Okonkwo-Test</t></is></c><c><v>8</v></c>'
        + b"<c><v>1</v></c>" * 998
        + b"</row>"
    )
    xml = sheet_xml(head + row * 4_999)
    parts = parts_of(ordinary_export())
    parts[_SHEET] = xml
    parts["docProps/padding.bin"] = random.Random(5).randbytes(len(xml) // 100)
    return zip_of(parts)


# --- legitimate, and odd -----------------------------------------------------------------------

LONG_NAME = ("Amara Okonkwo-Test " * 2_000)[:LONGEST_CELL].rstrip("- ")
LONG_TEXT = ("x" * LONGEST_CELL)[:LONGEST_CELL]


def longest_cells() -> bytes:
    """Cells of 32,767 characters: a name, a question header, an answer, and a score cell
    holding text where a number should be (its Issues entry quotes it)."""
    rows: list[list[object]] = [
        ["Name", "Email", "Score /10", "1. " + LONG_TEXT],
        [LONG_NAME, "long0@example.test", 8, LONG_TEXT],
        ["Esi Varga-Test", "long1@example.test", LONG_TEXT, "A bone"],
        ["Bodhi Lindqvist-Test", "long2@example.test", 6, "A bone"],
    ]
    return xlsx_bytes([("Responses", rows)])


NUL_PEOPLE = ("Esi Varga-Test", "Bodhi Lindqvist-Test", "Chiara Okonkwo-Test")


def nul_bytes_csv() -> bytes:
    """NUL bytes inside a name and an e-mail, and a cell that is one NUL."""
    return csv_bytes(
        [
            ["Name", "Email", "Score /10", "Comment"],
            ["Esi\x00Varga-Test", "nul0@example.test", "7", "\x00"],
            ["Bodhi Lindqvist-Test", "bodhi\x00@example.test", "6", "fine"],
            ["Chiara Okonkwo-Test\x00", "nul2@example.test", "9", "fine"],
        ]
    )


def nul_bytes_xlsx() -> bytes:
    """The same in an xlsx, where XML cannot hold a NUL and writers escape it as `_x0000_`."""
    rows: list[list[object]] = [
        ["Name", "Email", "Score /10"],
        ["Esi\x00Varga-Test", "nul0@example.test", 7],
        ["Bodhi Lindqvist-Test", "bodhi\x00@example.test", 6],
        ["Chiara Okonkwo-Test\x00", "nul2@example.test", 9],
    ]
    return xlsx_bytes([("Responses", rows)])


RTL_EMOJI_PEOPLE = (
    "مريم الحسيني",
    "יוסי כהן",
    "\u202eTset-Akav\u202c Bodhi",  # a right-to-left override, as written
    "👩🏽\u200d🏫 Greta Nakamura-Test",
    "Zoë 🎉 Ørsted-Test",
    "علی\u200cرضا Farrukh",
)
FORMULA_LIKE = ('=HYPERLINK("http://example.test";"Amara")', "+Wanjiru Kamau-Test", "@Ines")
# As the Results sheet shows them: a name's `,` and `;` separate words.
FORMULA_LIKE_SHOWN = ('=HYPERLINK("http://example.test" "Amara")', "+Wanjiru Kamau-Test", "@Ines")


def rtl_and_emoji() -> bytes:
    """Arabic, Hebrew, a right-to-left override, emoji with joiners, Persian with a
    non-joiner, a sheet named in Arabic with an emoji, and names that look like formulas."""
    names = [*RTL_EMOJI_PEOPLE, *FORMULA_LIKE]
    return xlsx_bytes([("نتائج 📊", class_rows(names, tag="rtl"))])


def macro_workbook() -> bytes:
    """An .xlsm with a VBA project whose macro would run a program when the file opens."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Responses")
    for r, row in enumerate(class_rows([" ".join(person(i)[:2]) for i in range(4)])):
        sheet.write_row(r, 0, row)
    macro = 'Sub Workbook_Open()\r\n    Shell "cmd /c echo owned"\r\nEnd Sub\r\n'
    workbook.add_vba_project(io.BytesIO(vba_project(macro)), is_stream=True)
    workbook.close()
    return buffer.getvalue()


MACRO_PEOPLE = tuple(" ".join(person(i)[:2]) for i in range(4))


def _export_with_sheet(xml: bytes) -> bytes:
    parts = parts_of(ordinary_export())
    parts[_SHEET] = xml
    return zip_of(parts)


# --- other encodings ---------------------------------------------------------------------------


def shift_jis_csv() -> bytes:
    names = ["山田 太郎", "佐藤 花子", "鈴木 一郎"]
    return csv_bytes(class_rows(names), encoding="shift_jis")


def koi8_csv() -> bytes:
    names = ["Иван Петров", "Мария Иванова", "Олег Смирнов"]
    return csv_bytes(class_rows(names), encoding="koi8_r")
