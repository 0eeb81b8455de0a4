"""Files that are not spreadsheets, broken ones, and bombs, built in code: each small on disk
and quick to make (`tests.hostile.catalogue` says what must come of each)."""

from __future__ import annotations

import functools
import random
import struct
import zlib

from tests.hostile.ole2 import encrypted_workbook
from tests.hostile.zips import HugeEntry, parts_of, zip_of, zip_with_huge_entry
from tests.support.exports.files import ods_bytes, xlsx_bytes
from tests.support.exports.samples import person

LONGEST_CELL = 32_767  # the most characters Excel lets a cell hold


def class_rows(names: list[str], tag: str = "") -> list[list[object]]:
    """A header and a row per name; the e-mails are invented people's, or `<tag><n>@...`."""
    emails = [f"{tag}{i}@example.test" if tag else person(i)[2] for i in range(len(names))]
    rows: list[list[object]] = [["Name", "Email", "Score /10"]]
    pairs = enumerate(zip(names, emails, strict=True))
    rows += [[name, email, 5 + i % 5] for i, (name, email) in pairs]
    return rows


ORDINARY_PEOPLE = tuple(" ".join(person(i)[:2]) for i in range(12))


@functools.cache
def ordinary_export() -> bytes:
    """An ordinary small export, the base of the damaged ones."""
    return xlsx_bytes([("Responses", class_rows(list(ORDINARY_PEOPLE)))])


def sheet_xml(cells: bytes, before: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + before
        + b"<sheetData>"
        + cells
        + b"</sheetData></worksheet>"
    )


def inline_cell(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


# --- not spreadsheets, or broken ones ------------------------------------------------------


def truncated() -> bytes:
    data = ordinary_export()
    return data[: len(data) * 6 // 10]


def random_bytes() -> bytes:
    return random.Random(11).randbytes(64 * 1024)


def web_page() -> bytes:
    rows = "".join(f"<tr><td>{' '.join(person(i)[:2])}</td><td>8</td></tr>" for i in range(5))
    return (
        "<!DOCTYPE html><html><head><title>Quiz results</title></head><body><table>"
        f"<tr><th>Name</th><th>Score</th></tr>{rows}</table></body></html>"
    ).encode()


def png_picture() -> bytes:
    """A real 16 x 16 grey PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + bytes([128] * 16) for _ in range(16)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def without_content_types() -> bytes:
    parts = parts_of(ordinary_export())
    del parts["[Content_Types].xml"]
    return zip_of(parts)


# --- bombs ---------------------------------------------------------------------------------

_LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
        for i in range(1, 10)
    )
    + b"]>"
)


def entity_bomb() -> bytes:
    """A billion laughs: nine levels of ten entities, a gigabyte of `lol` in one string."""
    parts = parts_of(ordinary_export())
    strings = parts["xl/sharedStrings.xml"]
    head, _, rest = strings.partition(b"?>")
    parts["xl/sharedStrings.xml"] = head + b"?>" + _LAUGHS + rest.replace(b"Amara", b"&lol9;", 1)
    return zip_of(parts)


def entity_bomb_ods() -> bytes:
    parts = parts_of(ods_bytes([("Grades", class_rows(["Amara Okonkwo-Test", "Esi Varga-Test"]))]))
    content = parts["content.xml"]
    head, _, rest = content.partition(b"?>")
    parts["content.xml"] = head + b"?>" + _LAUGHS + rest.replace(b"Amara", b"&lol9;", 1)
    return zip_of(parts)


_SHEET = "xl/worksheets/sheet1.xml"
_SHEET_HEAD = sheet_xml(b"").split(b"<sheetData>")[0] + b"<sheetData>"


def _huge_sheet(
    declared: int | None, crc_of_declared: bool = False, filler_mib: int = 1024
) -> bytes:
    parts = parts_of(ordinary_export())
    del parts[_SHEET]
    tail = b"</sheetData></worksheet>"
    entry = HugeEntry(_SHEET, _SHEET_HEAD, filler_mib, tail, declared, crc_of_declared)
    return zip_with_huge_entry(parts, entry)


@functools.cache
def zip_bomb_honest() -> bytes:
    """A sheet of 1 GiB of spaces, declared as such: a 1 MB file."""
    return _huge_sheet(declared=None)


@functools.cache
def zip_bomb_lying() -> bytes:
    """The same gigabyte declared as 4 KiB, with the CRC of those 4 KiB, so that a reader
    trusting the CRC rather than stopping at the declared size would inflate it all."""
    return _huge_sheet(declared=4096, crc_of_declared=True)


@functools.cache
def zip_bomb_ratio() -> bytes:
    """Within the declared-size limit, but expanding 1,000 times: no sheet compresses so."""
    return _huge_sheet(declared=None, filler_mib=100)


def shared_strings_bomb() -> bytes:
    """Ten thousand cells all showing one 32,767-character shared string: 26 KB on disk,
    330 MB in the reader and as much again in Python."""
    parts = parts_of(ordinary_export())
    strings = parts["xl/sharedStrings.xml"]
    parts["xl/sharedStrings.xml"] = strings.replace(
        b"</sst>", b"<si><t>" + b"x" * LONGEST_CELL + b"</t></si></sst>"
    )
    index = str(strings.count(b"<si>")).encode()
    rows = b"".join(
        f'<row r="{r}">'.encode()
        + b"".join(
            f'<c r="{column_letters(c)}{r}" t="s"><v>'.encode() + index + b"</v></c>"
            for c in range(100)
        )
        + b"</row>"
        for r in range(1, 101)
    )
    parts[_SHEET] = sheet_xml(rows)
    return zip_of(parts)


def column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _ods_with_rows(extra_rows: str) -> bytes:
    parts = parts_of(ods_bytes([("Grades", class_rows(["Amara Okonkwo-Test", "Esi Varga-Test"]))]))
    parts["content.xml"] = parts["content.xml"].replace(
        b"</table:table>", extra_rows.encode() + b"</table:table>"
    )
    return zip_of(parts)


def repeated_text_ods() -> bytes:
    """One 32,767-character cell repeated over 100 columns and 100 rows: a 1 KB file."""
    return _ods_with_rows(
        '<table:table-row table:number-rows-repeated="100">'
        '<table:table-cell table:number-columns-repeated="100" office:value-type="string">'
        f"<text:p>{'x' * LONGEST_CELL}</text:p></table:table-cell></table:table-row>"
    )


def spaces_ods() -> bytes:
    """`<text:s text:c="N"/>` stands for N spaces: one cell of 300 million."""
    return _ods_with_rows(
        '<table:table-row><table:table-cell office:value-type="string">'
        '<text:p>Amara<text:s text:c="300000000"/>Okonkwo</text:p></table:table-cell>'
        "</table:table-row>"
    )


def many_sparse_sheets() -> bytes:
    """Forty sheets, each with a cell in A1 and one in ALL5000: each sheet alone within the
    limits, together 200 million cells (2 GB and 24 s before the workbook budget)."""
    far = sheet_xml(
        b'<row r="1">' + inline_cell("A1", "Name") + b"</row>"
        b'<row r="5000">' + inline_cell("ALL5000", "far") + b"</row>"
    )
    parts = parts_of(xlsx_bytes([(f"S{i}", [["Name"]]) for i in range(40)]))
    for i in range(1, 41):
        parts[f"xl/worksheets/sheet{i}.xml"] = far
    return zip_of(parts)


def password_protected() -> bytes:
    return encrypted_workbook()
