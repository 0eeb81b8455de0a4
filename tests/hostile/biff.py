"""Excel 97-2003 (.xls, BIFF8) workbooks built in code: a globals substream (BOF, CODEPAGE,
the shared-string table, a BOUNDSHEET per sheet, EOF), then each sheet's substream of cell
records, in the `Workbook` stream of an OLE2 file. Only what calamine needs to read cells."""

from __future__ import annotations

import struct
from collections.abc import Sequence

from tests.hostile.ole2 import compound_file

Row = Sequence[object]
_MAX_RECORD = 8224  # the most a BIFF8 record holds; the rest goes in CONTINUE records


def record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def bof(substream: int) -> bytes:
    """A BIFF8 BOF: 0x0005 for the workbook globals, 0x0010 for a worksheet."""
    return record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 6))


EOF = record(0x000A, b"")
FILEPASS = record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48))  # RC4, as Excel 97 writes


def number(row: int, column: int, value: float) -> bytes:
    return record(0x0203, struct.pack("<HHHd", row, column, 0, value))


def label(row: int, column: int, text: str) -> bytes:
    encoded = text.encode("utf-16-le")
    return record(0x0204, struct.pack("<HHHHB", row, column, 0, len(text), 1) + encoded)


def string_cell(row: int, column: int, index: int) -> bytes:
    """LABELSST: the cell shows item `index` of the shared-string table."""
    return record(0x00FD, struct.pack("<HHHI", row, column, 0, index))


def sheet_cells(rows: Sequence[Row]) -> list[bytes]:
    """Cell records for rows of str and numbers (None: no cell)."""
    cells = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells.append(label(r, c, value))
            elif isinstance(value, int | float):
                cells.append(number(r, c, float(value)))
    return cells


def shared_strings(strings: Sequence[str]) -> bytes:
    """An SST record and its CONTINUEs, a string split where a record fills, the rest of its
    characters after a flags byte, as Excel writes them."""
    records: list[bytes] = []
    body = bytearray(struct.pack("<II", len(strings), len(strings)))
    for text in strings:
        if len(body) + 3 > _MAX_RECORD:
            records.append(bytes(body))
            body = bytearray()
        body += struct.pack("<HB", len(text), 1)
        encoded = text.encode("utf-16-le")
        while encoded:
            room = (_MAX_RECORD - len(body)) // 2 * 2
            body += encoded[:room]
            encoded = encoded[room:]
            if encoded:
                records.append(bytes(body))
                body = bytearray(b"\x01")  # the continued characters are 16-bit
    records.append(bytes(body))
    kinds = [0x00FC] + [0x003C] * (len(records) - 1)
    return b"".join(record(kind, part) for kind, part in zip(kinds, records, strict=True))


def workbook(
    sheets: dict[str, list[bytes]],
    *,
    strings: Sequence[str] = (),
    same_substream: int = 1,
    encrypted: bool = False,
) -> bytes:
    """An .xls whose sheets hold these cell records; `same_substream` BOUNDSHEETs point at
    each substream (more than one: sheets calamine reads twice)."""
    head = bof(0x0005) + (FILEPASS if encrypted else b"") + record(0x0042, struct.pack("<H", 1200))
    head += shared_strings(strings) if strings else b""
    names = [f"{name}{copy or ''}" for name in sheets for copy in range(same_substream)]
    sheet_records_size = sum(len(_boundsheet(0, name)) for name in names)
    position = len(head) + sheet_records_size + len(EOF)
    substreams, offsets = [], {}
    for name, cells in sheets.items():
        offsets[name] = position
        substream = bof(0x0010) + b"".join(cells) + EOF
        substreams.append(substream)
        position += len(substream)
    boundsheets = b"".join(
        _boundsheet(offsets[name], f"{name}{copy or ''}")
        for name in sheets
        for copy in range(same_substream)
    )
    stream = head + boundsheets + EOF + b"".join(substreams)
    return compound_file({"Workbook": stream})


def _boundsheet(position: int, name: str) -> bytes:
    encoded = name.encode("utf-16-le")
    return record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(name), 1) + encoded)


def far_sheets(count: int) -> bytes:
    """Sheets with a cell in A1 and one in IV65536, the last cell an .xls has: calamine lays
    each out as 16.7 million cells (512 MB) the moment it opens the file."""
    cells = [label(0, 0, "Name"), number(65_535, 255, 1)]
    return workbook({f"S{i}": cells for i in range(count)})


def class_workbook(names: Sequence[str]) -> bytes:
    """An ordinary class in an .xls: Name, Email, Score /10."""
    rows: list[Row] = [["Name", "Email", "Score /10"]]
    rows += [[name, f"xls{i}@example.test", 5 + i % 5] for i, name in enumerate(names)]
    return workbook({"Responses": sheet_cells(rows)})
