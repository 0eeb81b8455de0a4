"""Making an uploaded zip (xlsx, xlsm, ods) safe to hand to calamine.

calamine limits nothing: it inflates whatever an entry holds, lays a sheet out as one dense
block from its first to its last cell, and copies a shared string into every cell that uses it,
so a 10 KB file can make it ask for hundreds of gigabytes and abort the whole process. So before
calamine sees a zip: the declared sizes, entry count and ratio are checked against `Limits`; the
parts a reader needs are inflated by Python's zipfile, which stops at each entry's declared size
and checks its CRC (an entry lying about its size cannot expand further); a part declaring XML
entities is refused; every sheet's extent and the text its cells would hold are measured
(`compiler.read.guards.sheets`); and the parts are stored, uncompressed and without macros, media or
anything else, in a fresh zip that calamine reads.
"""

from __future__ import annotations

import io
import struct
import zipfile

from compiler.errors import CompilerError, CorruptFile, FileTooLarge, UnsupportedFormat
from compiler.model import Limits, UploadedFile
from compiler.read.guards.shared_strings import read_shared_strings
from compiler.read.guards.sheets import (
    Budget,
    refuse_entity_declarations,
    scan_ods_content,
    scan_xlsx_part,
)

SUPPORTED = "Excel (.xlsx, .xlsm, .xls), OpenDocument (.ods) or CSV"
SAVE_AGAIN = "Open it in Excel, LibreOffice or Google Sheets and save it again as .xlsx."
ENCRYPTED = "is password-protected, so it cannot be read."
ENCRYPTED_ADVICE = "Open it, save it without a password, and send it again."

_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def megabytes(size: int) -> str:
    """A byte count as a person reads it."""
    return f"{size / (1024 * 1024):.1f} MB"


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
    except (CompilerError, MemoryError):
        raise  # running out of memory is no sign of damage: the caller's limits decide
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
    reader = _PartReader(file, archive, limits)
    budget = Budget(file, limits)
    needed = _needed_parts(infos)
    # Shared strings are measured first: a sheet's cells are counted with the text they use.
    early = {
        info.filename: reader.read(info)
        for info in needed
        if info.filename.lower().endswith("sharedstrings.xml")
    }
    strings = read_shared_strings(early.values())
    copied = []
    for info in needed:
        part = early.pop(info.filename, None)
        if part is None:
            part = reader.read(info)
        if is_ods and info.filename == "content.xml":
            scan_ods_content(part, budget)
        elif not is_ods and info.filename.lower().endswith(".xml"):
            scan_xlsx_part(part, strings, budget)
        copied.append((info.filename, info.CRC, part))
    return _stored_zip(copied)


def _stored_zip(parts: list[tuple[str, int, bytes]]) -> bytes:
    """A zip holding `parts` (name, CRC-32 of the data, data) uncompressed, in that order.

    Written directly rather than by zipfile, which would copy every part twice and compute each
    CRC again: the CRC of a part read to its end was already checked by zipfile as it read it
    (a wrong one would only make calamine call the file damaged)."""
    named = [(*_encoded_name(name), crc, data) for name, crc, data in parts]
    headers = _LOCAL_HEADER.size + _CENTRAL_HEADER.size
    size = sum(headers + 2 * len(encoded) + len(data) for encoded, _, _, data in named)
    if len(parts) > 0xFFFF or size + _END_RECORD.size > _ZIP32_BYTES:
        return _stored_zip64(parts)  # past the classic format's limits, never with defaults
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for encoded, flags, crc, data in named:
        sizes = (crc, len(data), len(data), len(encoded))
        local = _LOCAL_HEADER.pack(b"PK\x03\x04", 20, flags, 0, 0, _DOS_DATE, *sizes, 0)
        directory += (
            _CENTRAL_HEADER.pack(
                b"PK\x01\x02", 20, 20, flags, 0, 0, _DOS_DATE, *sizes, 0, 0, 0, 0, 0, offset
            ),
            encoded,
        )
        chunks += (local, encoded, data)
        offset += len(local) + len(encoded) + len(data)
    central = b"".join(directory)
    end = _END_RECORD.pack(b"PK\x05\x06", 0, 0, len(parts), len(parts), len(central), offset, 0)
    return b"".join([*chunks, central, end])


_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_CENTRAL_HEADER = struct.Struct("<4s6H3L5H2L")
_END_RECORD = struct.Struct("<4s4H2LH")
_DOS_DATE = (1 << 5) | 1  # 1980-01-01: the same bytes for the same parts
_UTF8_NAME = 0x800
_ZIP32_BYTES = 0xFFFFFFFF  # offsets and sizes in 32 bits


def _encoded_name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8_NAME


def _stored_zip64(parts: list[tuple[str, int, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as repacked:
        for name, _, data in parts:
            repacked.writestr(name, data)
    return out.getvalue()


def _needed_parts(infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The parts a reader needs, each name once (the first), `mimetype` first as ODS readers
    expect."""
    seen: set[str] = set()
    needed = []
    for info in sorted(infos, key=lambda i: i.filename != "mimetype"):
        if info.filename not in seen and _is_needed(info.filename):
            seen.add(info.filename)
            needed.append(info)
    return needed


class _PartReader:
    """Inflates parts within the uncompressed-size limit, all parts together, refusing any that
    declares XML entities."""

    def __init__(self, file: UploadedFile, archive: zipfile.ZipFile, limits: Limits) -> None:
        self.file = file
        self.archive = archive
        self.limit = limits.max_uncompressed_bytes
        self.budget = limits.max_uncompressed_bytes

    def read(self, info: zipfile.ZipInfo) -> bytes:
        # zipfile stops at the declared size, but only after inflating as much as it is asked
        # for: asking for no more than the declared size keeps a lying entry from being
        # inflated up to the whole budget before it is cut.
        with self.archive.open(info) as source:
            part = source.read(min(info.file_size, self.budget) + 1)
        self.budget -= len(part)
        if self.budget < 0:
            raise FileTooLarge(
                self.file.name,
                f"expands to more than {megabytes(self.limit)} when opened.",
                SAVE_AGAIN,
            )
        refuse_entity_declarations(self.file, part)
        return part
