"""Making an uploaded zip (xlsx, xlsm, ods) safe to hand to calamine.

calamine limits nothing: it inflates whatever an entry holds, and it lays a sheet out as one
dense block from its first to its last cell, so a 10 KB file with one cell in A1 and one in
XFD1048576 makes it ask for hundreds of gigabytes and abort the whole process. So before calamine
sees a zip: the declared sizes, entry count and ratio are checked against `Limits`; the parts a
reader needs are inflated by Python's zipfile, which stops at each entry's declared size and
checks its CRC (an entry lying about its size cannot expand further); every sheet's cell
positions are scanned for its extent; and the parts are stored, uncompressed and without macros,
media or anything else, in a fresh zip that calamine reads.
"""

from __future__ import annotations

import io
import re
import zipfile

from defusedxml.ElementTree import iterparse

from compiler.errors import CompilerError, CorruptFile, FileTooLarge, UnsupportedFormat
from compiler.model import Limits, UploadedFile

SUPPORTED = "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or CSV"
SAVE_AGAIN = "Open it in Excel, LibreOffice or Google Sheets and save it again as .xlsx."
ENCRYPTED = "is password-protected, so it cannot be read."
ENCRYPTED_ADVICE = "Open it, save it without a password, and send it again."

# The most cells one sheet may span (rows times columns, empty cells included): a sheet with one
# value in A1 and one in ALL100000 passes the row and column limits but still unfolds into a
# hundred million cells.
MAX_CELLS_PER_SHEET = 5_000_000

_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
# Cell and row positions (`<c r="AB12">`, `<row r="12">`) are looked for in a squeezed copy of
# the sheet XML: whitespace removed and quotes made double, so `<c\tr = 'AB12'>` reads
# `<cr="AB12">` and one literal `r="` finds every way of writing a position (and a few other
# attributes ending in r, which only make the extent larger than it is). That is only trusted
# when every cell opens with its position, `<c r="`, as all known writers write it: cells are
# looked at before squeezing, while `<c ` still ends the element's name (an `r="` elsewhere,
# on some other element, says nothing about a cell without one).
_NORMALISE = bytes.maketrans(b"\t\r\n'", b'   "')
_UNPOSITIONED_CELL = re.compile(rb'<c(?! r=")[ >/]')
_ROW_NUMBER = re.compile(rb'r="[A-Za-z]*([0-9]+)"')
_COLUMN = re.compile(rb'r="([A-Za-z]+)[0-9]')
_PREFIXED_CELL = re.compile(rb":(?:c|row)[ >/]")
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def megabytes(size: int) -> str:
    """A byte count as a person reads it."""
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(
    file: UploadedFile, height: int, width: int, limits: Limits, sheet: str | None = None
) -> None:
    """Raise FileTooLarge when a sheet spans more rows, columns or cells than allowed."""
    where = f"the sheet {sheet!r}" if sheet else "a sheet in it"
    if height > limits.max_rows:
        raise FileTooLarge(
            file.name,
            f"{where} has more than {limits.max_rows:,} rows.",
            "Send a file with only the results rows.",
        )
    if width > limits.max_columns:
        raise FileTooLarge(
            file.name,
            f"{where} has more than {limits.max_columns:,} columns.",
            "Send a file with only the results columns.",
        )
    if height * width > MAX_CELLS_PER_SHEET:
        raise FileTooLarge(
            file.name,
            f"{where} spans {height:,} rows by {width:,} columns, too many cells to read.",
            "Delete stray cells far below or right of the results, or send only the results.",
        )


def repack_zip(file: UploadedFile, limits: Limits) -> bytes:
    """Check the zip in `file` against `limits` and that it is an xlsx/xlsm/ods workbook, then
    copy the parts a reader needs (XML and relationships; never macros, pictures or other
    files) into a new uncompressed zip, reading each part no further than its declared size."""
    try:
        with zipfile.ZipFile(io.BytesIO(file.data)) as archive:
            infos = archive.infolist()
            _check_declared_sizes(file, infos, limits)
            is_ods = _check_is_spreadsheet(file, archive, infos)
            return _copy_needed_parts(file, archive, infos, limits, is_ods)
    except CompilerError:
        raise
    except NotImplementedError as exc:  # a compression method zipfile does not know
        raise CorruptFile(file.name, "uses a zip feature that cannot be read.", SAVE_AGAIN) from exc
    except Exception as exc:  # BadZipFile, zlib.error, EOFError, ParseError, OSError ...
        raise CorruptFile(
            file.name,
            "is damaged or incomplete (the download may have been cut off).",
            f"Export or download it again. {SAVE_AGAIN}",
        ) from exc


def _check_declared_sizes(file: UploadedFile, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_zip_entries:
        raise FileTooLarge(
            file.name,
            f"holds {len(infos):,} parts, more than the {limits.max_zip_entries:,} allowed.",
            SAVE_AGAIN,
        )
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed_bytes:
        raise FileTooLarge(
            file.name,
            f"would expand to {megabytes(declared)} when opened, more than the "
            f"{megabytes(limits.max_uncompressed_bytes)} allowed.",
            "Send only the results sheet, without pictures or other sheets.",
        )
    ratio = declared / max(len(file.data), 1)
    if ratio > limits.max_compression_ratio:
        raise FileTooLarge(
            file.name,
            f"would expand {ratio:,.0f} times when opened, which no real results sheet does.",
            SAVE_AGAIN,
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise CorruptFile(file.name, ENCRYPTED, ENCRYPTED_ADVICE)


def _check_is_spreadsheet(
    file: UploadedFile, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]
) -> bool:
    """Raise unless the zip is an xlsx/xlsm or ods workbook; True for ods."""
    names = {info.filename for info in infos}
    if "[Content_Types].xml" in names:
        if "xl/workbook.xml" in names:
            return False
        what = "an Office document"
        if "xl/workbook.bin" in names:
            what = "an Excel binary workbook (.xlsb)"
        elif "word/document.xml" in names:
            what = "a Word document"
        elif "ppt/presentation.xml" in names:
            what = "a PowerPoint presentation"
        raise UnsupportedFormat(
            file.name, f"is {what}, which cannot be read.", f"{SAVE_AGAIN} Or send {SUPPORTED}."
        )
    if "mimetype" in names:
        with archive.open("mimetype") as mimetype:
            if mimetype.read(200).strip() == _ODS_MIME:
                return True
        raise UnsupportedFormat(
            file.name, "is an OpenDocument file that is not a spreadsheet.", f"Send {SUPPORTED}."
        )
    if "xl/workbook.xml" in names or "content.xml" in names:
        raise CorruptFile(file.name, "is a damaged workbook (parts of it are missing).", SAVE_AGAIN)
    raise UnsupportedFormat(
        file.name,
        "is a zip archive, not a spreadsheet.",
        f"Unzip it and send the {SUPPORTED} file inside.",
    )


def _is_needed(name: str) -> bool:
    lower = name.lower()
    # Only XML parts and their relationships: macros (vbaProject.bin) are never copied.
    return lower == "mimetype" or lower.endswith((".xml", ".rels"))


def _copy_needed_parts(
    file: UploadedFile,
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    limits: Limits,
    is_ods: bool,
) -> bytes:
    budget = limits.max_uncompressed_bytes
    copied: set[str] = set()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as repacked:
        # ODS readers expect `mimetype` first; sorting puts it ahead of the other parts.
        for info in sorted(infos, key=lambda i: i.filename != "mimetype"):
            if info.filename in copied or not _is_needed(info.filename):
                continue
            copied.add(info.filename)
            with archive.open(info) as source:
                part = source.read(budget + 1)  # zipfile stops at the declared size anyway
            budget -= len(part)
            if budget < 0:
                raise FileTooLarge(
                    file.name,
                    f"expands to more than {megabytes(limits.max_uncompressed_bytes)} when opened.",
                    SAVE_AGAIN,
                )
            if is_ods and info.filename == "content.xml":
                _check_ods_extent(file, part, limits)
            elif not is_ods and info.filename.lower().endswith(".xml"):
                _check_xlsx_extent(file, part, limits)
            repacked.writestr(info.filename, part)
    return out.getvalue()


def _check_xlsx_extent(file: UploadedFile, xml: bytes, limits: Limits) -> None:
    """Find how far an xlsx part's cells reach (`<c r="AB12">`, `<row r="12">`) and check it."""
    if b"sheetData" not in xml:
        return  # not a worksheet: shared strings, styles, theme, relationships ...
    height, width = _quick_extent(xml) or _walked_extent(xml)
    check_size(file, height, width, limits)


def _quick_extent(xml: bytes) -> tuple[int, int] | None:
    """The extent from a few quick scans, when every cell opens with its position
    (`<c r="AB12"`) as all known writers write it; None when a cell without one, one written
    otherwise, or a prefixed tag needs a closer look.
    """
    normalised = xml.translate(_NORMALISE)
    if _PREFIXED_CELL.search(normalised):
        return None
    if _UNPOSITIONED_CELL.search(normalised):
        return None
    squeezed = normalised.replace(b" ", b"")
    # A row number is written once per cell, a column once per row: converting the distinct
    # ones is enough.
    height = max(map(int, set(_ROW_NUMBER.findall(squeezed))), default=0)
    return height, max(map(_column_number, set(_COLUMN.findall(squeezed))), default=0)


def _walked_extent(xml: bytes) -> tuple[int, int]:
    height = width = row = column = 0
    for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
        name = element.tag.rsplit("}", 1)[-1]
        if event == "end":
            if name == "row":
                element.clear()
        elif name == "row":
            position = element.get("r")
            row = int(position) if position else row + 1
            column = 0
        elif name == "c":
            position = element.get("r")
            if position:
                letters = position.rstrip("0123456789")
                column = _column_number(letters.encode())
                row = max(row, int(position[len(letters) :] or "0"))
            else:
                column += 1
            height, width = max(height, row), max(width, column)
    return height, width


def _column_number(letters: bytes) -> int:
    if len(letters) > 4:
        return 26**4  # past any column limit
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_ods_extent(file: UploadedFile, xml: bytes, limits: Limits) -> None:
    """Walk an ods content.xml, counting repeated rows and columns, for each sheet's extent.

    Repeated empty rows and cells (LibreOffice writes a million of them after the data) do not
    count unless something filled follows them; that is what calamine unfolds."""
    height = width = row = column = 0
    row_filled = False
    for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{_TABLE}table":
                row = 0
            elif tag == f"{_TABLE}table-row":
                column, row_filled = 0, False
            continue
        if tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            repeat = int(element.get(f"{_TABLE}number-columns-repeated", "1"))
            if element.get(f"{_OFFICE}value-type") or len(element):
                width, row_filled = max(width, column + repeat), True
            column += repeat
            element.clear()
        elif tag == f"{_TABLE}table-row":
            repeat = int(element.get(f"{_TABLE}number-rows-repeated", "1"))
            if row_filled:
                height = max(height, row + repeat)
            row += repeat
            element.clear()
        if height > limits.max_rows or width > limits.max_columns:
            break
    check_size(file, height, width, limits)
