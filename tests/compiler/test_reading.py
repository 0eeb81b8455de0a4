"""read_tables: the format from the bytes, the limits, and plain messages for bad files."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from datetime import datetime

import pytest
import xlsxwriter

from compiler.errors import CorruptFile, FileTooLarge, NoResultsFound, UnsupportedFormat
from compiler.model import Limits, UploadedFile
from compiler.read.guards.zip_archive import repack_zip
from compiler.read.tables import read_tables
from tests.support.exports.files import csv_bytes, ods_bytes, xlsx_bytes

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def upload(name: str, data: bytes) -> UploadedFile:
    return UploadedFile(name=name, data=data)


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# --- workbooks --------------------------------------------------------------------------


def test_xlsx_reads_every_sheet_with_source_row_numbers_and_plain_cells() -> None:
    when = datetime(2026, 2, 19, 10, 4, 5)
    data = xlsx_bytes(
        [
            ("Overview", [["Quiz"]]),
            ("Responses", [[], [None, "Name", "Score"], [None, "Amara Okonkwo-Test", 8.5, when]]),
        ],
        date_format="yyyy-mm-dd hh:mm:ss",
    )
    tables = read_tables(upload("results.xlsx", data))
    assert [t.sheet for t in tables] == ["Overview", "Responses"]
    rows = tables[1].rows
    # Leading blank rows and columns are kept: index + 1 is the row number in the sheet.
    assert rows[1][1:3] == ["Name", "Score"]
    assert rows[2] == [None, "Amara Okonkwo-Test", 8.5, when]
    assert rows[0] == [None, None, None, None]


def test_date_only_cells_become_datetimes() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("S")
    sheet.write_datetime(0, 0, datetime(2026, 2, 19), workbook.add_format({"num_format": "d/m/y"}))
    sheet.write_boolean(0, 1, True)
    workbook.close()
    assert read_tables(upload("d.xlsx", buffer.getvalue()))[0].rows == [
        [datetime(2026, 2, 19), True]
    ]


def test_times_and_durations_become_text_and_empty_cells_none() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("S")
    sheet.write_number(0, 0, 0.42, workbook.add_format({"num_format": "hh:mm:ss"}))
    sheet.write_number(0, 2, 1.5, workbook.add_format({"num_format": "[h]:mm:ss"}))
    sheet.write_string(0, 3, "x")
    sheet.write_datetime(1, 1, datetime(2026, 2, 19), workbook.add_format({"num_format": "d/m/y"}))
    sheet.write_string(2, 3, "y")
    workbook.close()
    assert read_tables(upload("t.xlsx", buffer.getvalue()))[0].rows == [
        ["10:04:48", None, "1 day, 12:00:00", "x"],
        [None, datetime(2026, 2, 19), None, None],
        [None, None, None, "y"],
    ]


def test_format_comes_from_the_bytes_not_the_name() -> None:
    data = xlsx_bytes([("Grades", [["Name", "Score"], ["Amara Okonkwo-Test", 9]])])
    tables = read_tables(upload("results.csv", data))
    assert tables[0].sheet == "Grades"
    assert tables[0].rows[1] == ["Amara Okonkwo-Test", 9.0]


def test_ods_is_read() -> None:
    data = ods_bytes([("Grades", [["Surname", "Grade/10.00"], ["Okonkwo-Test", 8.5]])])
    tables = read_tables(upload("grades.ods", data))
    assert tables[0].sheet == "Grades"
    assert tables[0].rows == [["Surname", "Grade/10.00"], ["Okonkwo-Test", 8.5]]


def test_macros_are_never_copied_to_the_reader() -> None:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet("Responses").write_row(0, 0, ["Name", "Score"])
    workbook.add_vba_project(io.BytesIO(b"fake macro project"), is_stream=True)
    workbook.close()
    data = buffer.getvalue()
    assert "xl/vbaProject.bin" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    repacked = zipfile.ZipFile(io.BytesIO(repack_zip(upload("m.xlsm", data), Limits())))
    assert not any("vba" in name.lower() for name in repacked.namelist())
    assert read_tables(upload("m.xlsm", data))[0].rows == [["Name", "Score"]]


# --- CSV --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", False), ("utf-8", True), ("utf-16", False), ("cp1252", False)],
)
def test_csv_encodings(encoding: str, bom: bool) -> None:
    rows: list[list[object]] = [["Nombre", "Puntuación"], ["José Núñez-Test", "8"]]
    tables = read_tables(upload("r.csv", csv_bytes(rows, encoding=encoding, bom=bom)))
    assert tables == [type(tables[0])(sheet=None, rows=rows)]


def test_utf16_without_bom_is_recognised() -> None:
    data = "Name,Score\r\nAmara Okonkwo-Test,8\r\n".encode("utf-16-le")
    assert read_tables(upload("r.csv", data))[0].rows[1] == ["Amara Okonkwo-Test", "8"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiter_is_sniffed(delimiter: str) -> None:
    rows: list[list[object]] = [
        ["Student", "Final Score"],
        ["Okonkwo-Test, Amara", "85,5"],
        ["Varga-Test, Esi", "62,25"],
    ]
    tables = read_tables(upload("g.csv", csv_bytes(rows, delimiter=delimiter)))
    assert tables[0].rows == rows


def test_csv_keeps_blank_cells_as_none_and_quoted_newlines() -> None:
    data = b'Name,Comment,Score\r\nAmara Okonkwo-Test,"two\nlines",\r\n,,\r\n'
    assert read_tables(upload("r.csv", data))[0].rows == [
        ["Name", "Comment", "Score"],
        ["Amara Okonkwo-Test", "two\nlines", None],
        [None, None, None],
    ]


# --- refused files ----------------------------------------------------------------------


def assert_names_file_and_advice(error: pytest.ExceptionInfo[Exception], name: str) -> None:
    message = str(error.value)
    assert message.startswith(f"{name}: ")
    assert len(message) > len(name) + 40


def test_empty_file_is_refused() -> None:
    with pytest.raises(CorruptFile, match="empty") as error:
        read_tables(upload("empty.xlsx", b""))
    assert_names_file_and_advice(error, "empty.xlsx")


def test_blank_text_has_no_rows() -> None:
    with pytest.raises(NoResultsFound, match="no rows"):
        read_tables(upload("blank.csv", b"  \r\n\r\n"))


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        (b"\xff\xd8\xff\xe0" + bytes(range(256)), "JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
        (b"\x00\x00\x00\x18ftypheic" + bytes(64), "photo or video"),
        (b"<!DOCTYPE html><html><body><table><tr><td>Name</td></tr></table>", "web page"),
        (b"  <html><head></head></html>", "web page"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "XML Spreadsheet 2003",
        ),
    ],
)
def test_non_spreadsheets_are_refused_saying_what_works(data: bytes, what: str) -> None:
    with pytest.raises(UnsupportedFormat, match=what) as error:
        read_tables(upload("results.xlsx", data))
    assert ".xlsx" in error.value.advice
    assert_names_file_and_advice(error, "results.xlsx")


def test_random_bytes_named_xlsx_are_refused() -> None:
    data = bytes((i * 7919 + 13) % 256 for i in range(5000))
    with pytest.raises(UnsupportedFormat, match=r"named \.xlsx but its contents"):
        read_tables(upload("results.xlsx", data))


def test_truncated_xlsx_is_corrupt() -> None:
    data = xlsx_bytes([("S", [["Name", "Score"]] * 50)])
    with pytest.raises(CorruptFile, match="damaged or incomplete") as error:
        read_tables(upload("cut.xlsx", data[: len(data) // 2]))
    assert "again" in error.value.advice


def test_zip_of_other_files_is_not_a_spreadsheet() -> None:
    with pytest.raises(UnsupportedFormat, match="zip archive"):
        read_tables(upload("results.xlsx", zip_of({"notes.txt": b"hello"})))


def test_workbook_zip_without_content_types_is_corrupt() -> None:
    data = xlsx_bytes([("S", [["Name", "Score"]])])
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: source.read(n) for n in source.namelist() if n != "[Content_Types].xml"}
    with pytest.raises(CorruptFile, match="parts of it are missing") as error:
        read_tables(upload("results.xlsx", zip_of(parts)))
    assert "save it again as .xlsx" in error.value.advice


def test_word_document_is_refused() -> None:
    data = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    with pytest.raises(UnsupportedFormat, match="is a Word document"):
        read_tables(upload("results.docx", data))


def test_damaged_workbook_parts_are_corrupt() -> None:
    data = zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<not really xml",
        }
    )
    with pytest.raises(CorruptFile, match="damaged"):
        read_tables(upload("results.xlsx", data))


def test_password_protected_office_file_is_refused_with_advice() -> None:
    data = OLE2_MAGIC + bytes(500) + "EncryptionInfo".encode("utf-16-le") + bytes(500)
    with pytest.raises(CorruptFile) as error:
        read_tables(upload("results.xlsx", data))
    assert "without a password" in error.value.advice


def test_ole2_that_is_not_a_workbook_is_corrupt() -> None:
    data = OLE2_MAGIC + bytes(2000)
    with pytest.raises(CorruptFile, match="damaged"):
        read_tables(upload("results.xls", data))


def test_word_97_document_is_refused() -> None:
    data = OLE2_MAGIC + bytes(100) + "WordDocument".encode("utf-16-le") + bytes(100)
    with pytest.raises(UnsupportedFormat, match="Word document"):
        read_tables(upload("results.xls", data))


# --- limits -----------------------------------------------------------------------------


def test_too_many_bytes() -> None:
    with pytest.raises(FileTooLarge, match=r"more than the 0\.0 MB allowed"):
        read_tables(upload("big.csv", b"a,b\n" * 100), Limits(max_bytes=10))


def test_too_many_zip_entries() -> None:
    data = zip_of({f"xl/part{i}.xml": b"<a/>" for i in range(30)})
    with pytest.raises(FileTooLarge, match="30 parts"):
        read_tables(upload("many.xlsx", data), Limits(max_zip_entries=20))


def test_huge_declared_size_is_refused_before_reading() -> None:
    data = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b" " * 3_000_000})
    with pytest.raises(FileTooLarge, match=r"would expand to 2\.9 MB"):
        read_tables(upload("bomb.xlsx", data), Limits(max_uncompressed_bytes=1_000_000))


def test_suspicious_compression_ratio_is_refused() -> None:
    data = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b" " * 3_000_000})
    with pytest.raises(FileTooLarge, match="times when opened"):
        read_tables(upload("bomb.xlsx", data), Limits(max_compression_ratio=50))


def lie_about_size(data: bytes, entry: str, claimed: int) -> bytes:
    """Rewrite the uncompressed size of `entry` in its local header and the central directory."""
    patched = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(entry)
    struct.pack_into("<I", patched, info.header_offset + 22, claimed)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == entry.encode():
            struct.pack_into("<I", patched, central + 24, claimed)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(patched)


def test_entry_lying_about_its_size_is_stopped_at_the_declared_size() -> None:
    honest = xlsx_bytes([("S", [["Name", "Score"], ["Amara Okonkwo-Test", 8]])])
    source = zipfile.ZipFile(io.BytesIO(honest))
    parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<sheetData>", b"<sheetData>" + b" " * 40_000_000)
    lying = lie_about_size(zip_of(parts), sheet, 5_000)
    assert zipfile.ZipFile(io.BytesIO(lying)).getinfo(sheet).file_size == 5_000
    limits = Limits(max_uncompressed_bytes=1_000_000)
    started = time.perf_counter()
    with pytest.raises(CorruptFile, match="damaged"):
        read_tables(upload("liar.xlsx", lying), limits)
    assert time.perf_counter() - started < 2.0  # nothing inflated the 40 MB


def test_csv_row_and_column_limits() -> None:
    rows: list[list[object]] = [["Name", "Score"]] + [["x", "1"]] * 20
    with pytest.raises(FileTooLarge, match="more than 10 rows"):
        read_tables(upload("r.csv", csv_bytes(rows)), Limits(max_rows=10))
    with pytest.raises(FileTooLarge, match="more than 1 columns"):
        read_tables(upload("r.csv", csv_bytes(rows)), Limits(max_columns=1))


def test_xlsx_row_and_column_limits() -> None:
    data = xlsx_bytes([("Responses", [["Name", "Score", "Extra"]] + [["x", 1, 2]] * 20)])
    with pytest.raises(FileTooLarge, match="has more than 10 rows"):
        read_tables(upload("r.xlsx", data), Limits(max_rows=10))
    with pytest.raises(FileTooLarge, match="more than 2 columns"):
        read_tables(upload("r.xlsx", data), Limits(max_columns=2))


def sparse_xlsx(row: int, column: int) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("S")
    sheet.write_string(0, 0, "Name")
    sheet.write_string(row, column, "far away")
    workbook.close()
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (99_999, 999, "too many cells"),  # within the row and column limits, 100M cells
        (1_048_575, 16_383, "more than 100,000 rows"),  # calamine alone would abort the process
        (5, 16_383, "more than 1,000 columns"),
    ],
)
def test_sparse_sheet_is_refused_before_calamine_lays_it_out(
    row: int, column: int, message: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(FileTooLarge, match=message):
        read_tables(upload("sparse.xlsx", sparse_xlsx(row, column)))
    assert time.perf_counter() - started < 1.0


def ods_with_repeated_rows(rows: int, columns: int, filled: bool) -> bytes:
    cell = (
        '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
        if filled
        else "<table:table-cell/>"
    )
    repeated_row = (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}"/>{cell}</table:table-row>'
    )
    data = ods_bytes([("S", [["Name", "Score"], ["Amara Okonkwo-Test", 8]])])
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    parts["content.xml"] = parts["content.xml"].replace(
        b"</table:table>", repeated_row.encode() + b"</table:table>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    return buffer.getvalue()


def test_ods_repeated_rows_bomb_is_refused() -> None:
    started = time.perf_counter()
    with pytest.raises(FileTooLarge, match="more than 100,000 rows"):
        read_tables(upload("bomb.ods", ods_with_repeated_rows(1_048_000, 10, filled=True)))
    with pytest.raises(FileTooLarge, match="more than 1,000 columns"):
        read_tables(upload("bomb.ods", ods_with_repeated_rows(1, 16_000, filled=True)))
    assert time.perf_counter() - started < 1.0


def test_ods_trailing_empty_repeated_rows_are_harmless() -> None:
    # LibreOffice writes a million empty rows after the data; they are not a bomb.
    tables = read_tables(upload("lo.ods", ods_with_repeated_rows(1_048_000, 1_000, filled=False)))
    assert tables[0].rows == [["Name", "Score"], ["Amara Okonkwo-Test", 8.0]]


def test_xlsb_is_refused_with_advice() -> None:
    data = zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"})
    with pytest.raises(UnsupportedFormat, match=r"\.xlsb") as error:
        read_tables(upload("results.xlsb", data))
    assert "save it again as .xlsx" in error.value.advice


def with_sheet_xml(replace: tuple[bytes, bytes]) -> bytes:
    honest = xlsx_bytes([("S", [["Name", "Score"], ["Amara Okonkwo-Test", 8]])])
    source = zipfile.ZipFile(io.BytesIO(honest))
    parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert replace[0] in parts[sheet]
    parts[sheet] = parts[sheet].replace(*replace)
    return zip_of(parts)


@pytest.mark.parametrize(
    "replacement",
    [
        b"<c r='Z5000' t=\"inlineStr\">",  # other quoting
        b'<c\tr="Z5000" t="inlineStr">',  # other spacing
        b'<c r = "Z5000" t="inlineStr">',
    ],
)
def test_unusually_written_cell_positions_are_still_found(replacement: bytes) -> None:
    data = with_sheet_xml((b'<c r="B2">', replacement + b"<is><t>far</t></is></c><c>"))
    # Found while repacking, before calamine would lay the sheet out.
    with pytest.raises(FileTooLarge, match="more than 1,000 rows"):
        repack_zip(upload("odd.xlsx", data), Limits(max_rows=1_000))
    assert read_tables(upload("odd.xlsx", data))[0].rows[4999][25] == "far"


def test_cells_without_positions_are_counted_along_their_row() -> None:
    bare_cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * 30
    data = with_sheet_xml((b"</row></sheetData>", bare_cells + b"</row></sheetData>"))
    with pytest.raises(FileTooLarge, match="more than 20 columns"):
        repack_zip(upload("bare.xlsx", data), Limits(max_columns=20))
    assert len(read_tables(upload("bare.xlsx", data))[0].rows[1]) == 32


def test_positions_on_other_elements_do_not_stand_in_for_cells_without_one() -> None:
    # As many `r="A1"` on an element calamine ignores as there are cells without a position:
    # counting every `r="` would let the bare cells through, and with a far row calamine would
    # then ask for rows x 16,384 cells and abort the process.
    bare_cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * 30
    decoys = b'<ignored r="A1"/>' * 40
    data = with_sheet_xml(
        (b"</row></sheetData>", bare_cells + b"</row></sheetData>" + decoys),
    )
    with pytest.raises(FileTooLarge, match="more than 20 columns"):
        repack_zip(upload("decoys.xlsx", data), Limits(max_columns=20))


@pytest.mark.parametrize(
    "start", [b'<c r="B2" t="inlineStr">', b'<c t="inlineStr" r="B2">', b'<c  r="B2">']
)
def test_cells_positioned_other_than_first_are_still_measured(start: bytes) -> None:
    far = start.replace(b"B2", b"Z5000") + b'<is><t>far</t></is></c><c r="B2">'
    data = with_sheet_xml((b'<c r="B2">', far))
    with pytest.raises(FileTooLarge, match="more than 1,000 rows"):
        repack_zip(upload("odd.xlsx", data), Limits(max_rows=1_000))


def test_zip_with_encrypted_entries_is_refused_with_advice() -> None:
    data = bytearray(xlsx_bytes([("S", [["Name", "Score"]])]))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = data.find(signature)
        while position != -1:
            data[position + flag_offset] |= 0x1  # the "encrypted" bit of each entry
            position = data.find(signature, position + 4)
    with pytest.raises(CorruptFile, match="password-protected") as error:
        read_tables(upload("locked.xlsx", bytes(data)))
    assert "without a password" in error.value.advice
