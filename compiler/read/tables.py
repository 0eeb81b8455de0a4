"""Turning one uploaded file's bytes into tables of cells, whatever its name claims.

The format is decided from the bytes: a zip (xlsx, xlsm, ods), an OLE2 compound file (xls, or a
password-protected Office file), otherwise text read as CSV. Every library error is turned into
one of the compiler's own errors here, so nothing past this module sees `BadZipFile` or calamine.

Zips are never handed to calamine as uploaded: `read.guards.zip_archive` checks and repacks
them. An .xls is measured by `read.guards.xls` before calamine opens it (calamine lays out all
its sheets on opening), and each sheet is checked again after.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from compiler.errors import CompilerError, CorruptFile, FileTooLarge, UnsupportedFormat
from compiler.model import Limits, Table, UploadedFile
from compiler.read.guards.sheets import Budget
from compiler.read.guards.zip_archive import (
    ENCRYPTED,
    ENCRYPTED_ADVICE,
    SAVE_AGAIN,
    SUPPORTED,
    megabytes,
    repack_zip,
)

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_NOT_SPREADSHEETS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"RIFF", "an image or media file"),
    (b"BM", "a bitmap image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document"),
)
DEFAULT_LIMITS = Limits()

Cell = str | int | float | bool | datetime | None
Rows = list[list[object]]


def read_tables(file: UploadedFile, limits: Limits = DEFAULT_LIMITS) -> list[Table]:
    """Read every worksheet of `file` into tables of plain cells (str, int, float, bool,
    datetime or None), deciding the format from the bytes.

    Raises UnsupportedFormat (not a spreadsheet), CorruptFile (damaged, encrypted, empty) or
    FileTooLarge (bytes, rows, columns or a zip that would expand too far), each naming the file
    and saying what to do.
    """
    data = file.data
    if len(data) > limits.max_bytes:
        raise FileTooLarge(
            file.name,
            f"is {megabytes(len(data))}, more than the {megabytes(limits.max_bytes)} allowed.",
            "Send only the results sheet, or split it into smaller files.",
        )
    if not data:
        raise CorruptFile(file.name, "is empty (0 bytes).", "Export the results again and send it.")
    if data.startswith(_ZIP_MAGICS):
        return _read_workbook(file, repack_zip(file, limits), limits)
    if data.startswith(_OLE2_MAGIC):
        from compiler.read.guards.xls import (
            scan_xls,  # imported for an .xls only, as csv_text below
        )

        _refuse_non_workbook_ole2(file)
        scan_xls(file, limits)
        return _read_workbook(file, data, limits)
    from compiler.read.csv_text import read_csv_rows

    _refuse_known_binary(file)
    return [Table(sheet=None, rows=read_csv_rows(file, limits))]


def _refuse_known_binary(file: UploadedFile) -> None:
    head = file.data[:16]
    for magic, what in _NOT_SPREADSHEETS:
        if head.startswith(magic) and (magic != b"BM" or _looks_binary(file.data)):
            raise UnsupportedFormat(
                file.name,
                f"is {what}, not a spreadsheet.",
                f"Send the results exported as {SUPPORTED}.",
            )
    if head[4:8] == b"ftyp":
        raise UnsupportedFormat(
            file.name, "is a photo or video, not a spreadsheet.", f"Send {SUPPORTED}."
        )


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls > len(sample) * 0.03


# --- OLE2 (.xls, or an encrypted Office file) ------------------------------------------------


def _refuse_non_workbook_ole2(file: UploadedFile) -> None:
    # Directory entry names of a compound file are UTF-16LE; finding them in the bytes is enough
    # to tell an encrypted OOXML package or a Word document from an Excel 97-2003 workbook.
    data = file.data
    if (
        "EncryptionInfo".encode("utf-16-le") in data
        or "EncryptedPackage".encode("utf-16-le") in data
    ):
        raise CorruptFile(file.name, ENCRYPTED, ENCRYPTED_ADVICE)
    if "WordDocument".encode("utf-16-le") in data:
        raise UnsupportedFormat(
            file.name, "is a Word document, not a spreadsheet.", f"Send {SUPPORTED}."
        )
    if "PowerPoint Document".encode("utf-16-le") in data:
        raise UnsupportedFormat(
            file.name, "is a PowerPoint file, not a spreadsheet.", f"Send {SUPPORTED}."
        )


# --- calamine ---------------------------------------------------------------------------------


def _read_workbook(file: UploadedFile, payload: bytes, limits: Limits) -> list[Table]:
    budget = Budget(file, limits)
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(payload)) as workbook:
            return [
                Table(sheet=meta.name, rows=_sheet_rows(workbook, meta.name, budget))
                for meta in workbook.sheets_metadata
                if meta.typ == SheetTypeEnum.WorkSheet
            ]
    except (CompilerError, MemoryError):
        raise  # running out of memory is no sign of damage: the caller's limits decide
    except PasswordError as exc:
        raise CorruptFile(file.name, ENCRYPTED, ENCRYPTED_ADVICE) from exc
    except Exception as exc:  # calamine raises its own errors, ValueError, OverflowError ...
        raise _unreadable(file) from exc
    except BaseException as exc:
        # pyo3 turns a panic inside the Rust reader into PanicException, a BaseException.
        if type(exc).__name__ == "PanicException":
            raise _unreadable(file) from exc
        raise


def _unreadable(file: UploadedFile) -> CorruptFile:
    return CorruptFile(file.name, "is damaged and cannot be read as a spreadsheet.", SAVE_AGAIN)


def _sheet_rows(workbook: CalamineWorkbook, sheet_name: str, budget: Budget) -> Rows:
    sheet = workbook.get_sheet_by_name(sheet_name)
    end = sheet.end
    if end is None:
        return []
    budget.add_sheet(end[0] + 1, end[1] + 1, sheet_name)
    # skip_empty_area=False keeps leading blank rows, so list index + 1 is the sheet's row number.
    rows: Rows = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]  # plain below
    _make_plain(rows)
    return rows


_PLAIN_TYPES = frozenset({str, float, int, bool, datetime, type(None)})


def _make_plain(rows: Rows) -> None:
    """Make calamine's cells plain, in place (its lists are new and ours): an empty cell ("")
    becomes None, a date a datetime, a time or a duration its text."""
    # Most rows hold only plain cells and a few blanks: finding those is left to C.
    for row in rows:
        if "" in row:
            position = 0
            for _ in range(row.count("")):
                position = row.index("", position)
                row[position] = None
        if not _PLAIN_TYPES.issuperset(map(type, row)):
            row[:] = [cell if type(cell) in _PLAIN_TYPES else _plain(cell) for cell in row]


def _plain(cell: object) -> Cell:
    convert = _CONVERTERS.get(type(cell))
    return convert(cell) if convert else str(cell)


def _date_to_datetime(value: object) -> Cell:
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return str(value)


_CONVERTERS: dict[type, Callable[[object], Cell]] = {
    date: _date_to_datetime,
    time: lambda value: str(value),
    timedelta: lambda value: str(value),
}
