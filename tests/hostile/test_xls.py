"""Excel 97-2003 workbooks are measured before calamine opens them: calamine lays out every
sheet of an .xls densely the moment it opens one (a 5 KB file with three sheets reaching IV65536
took 1.5 GB; ten aborted the process), and copies a shared string into each cell showing it."""

from __future__ import annotations

import struct
import time

import pytest

from compiler.errors import CorruptFile, FileTooLarge
from compiler.model import Limits, UploadedFile
from compiler.read.guards.xls import scan_xls
from compiler.read.tables import read_tables
from compiler.understand.intake import read_export
from tests.hostile import biff
from tests.hostile.ole2 import compound_file

ROWS = [["Name", "Email", "Score /10"], ["Amara Okonkwo-Test", "amara@example.test", 8]]


def upload(data: bytes) -> UploadedFile:
    return UploadedFile("legacy.xls", data)


def test_an_ordinary_xls_is_read_from_a_mini_stream_or_whole_sectors() -> None:
    small = biff.workbook({"Responses": biff.sheet_cells(ROWS)})
    rows = [*ROWS, *[[f"Person {i}-Test", f"p{i}@example.test", i % 10] for i in range(200)]]
    large = biff.workbook({"Responses": biff.sheet_cells(rows)})  # over 4 KiB: whole sectors
    for data, count in ((small, 1), (large, 201)):
        export = read_export(upload(data))
        assert len(export.submissions) == count
        assert export.submissions[0].name == "Amara Okonkwo-Test"


def test_shared_strings_across_continue_records_are_read() -> None:
    cells = [*biff.sheet_cells(ROWS), biff.string_cell(2, 0, 0), biff.number(2, 2, 7)]
    data = biff.workbook({"Responses": cells}, strings=["Esi Varga-Test", "x" * 9_000])
    assert read_tables(upload(data))[0].rows[2][0] == "Esi Varga-Test"


def far_sheets(count: int, row: int = 65_535, column: int = 255) -> bytes:
    sheets = {
        f"S{i}": [biff.label(0, 0, "Name"), biff.number(row, column, 1)] for i in range(count)
    }
    return biff.workbook(sheets)


def test_sheets_reaching_iv65536_are_refused_before_calamine_opens_them() -> None:
    started = time.perf_counter()
    with pytest.raises(FileTooLarge, match="a sheet in it spans 65,536 rows by 256 columns"):
        read_tables(upload(biff.far_sheets(10)))  # calamine alone: 5 GB, then an abort
    assert time.perf_counter() - started < 0.5


def test_one_substream_read_as_many_sheets_counts_for_each() -> None:
    cells = [biff.label(0, 0, "Name"), biff.number(2_999, 999, 1)]  # 3,000,000 cells
    scan_xls(upload(biff.workbook({"S": cells})), Limits())
    with pytest.raises(FileTooLarge, match="sheets together span more than 5,000,000 cells"):
        scan_xls(upload(biff.workbook({"S": cells}, same_substream=2)), Limits())


@pytest.mark.parametrize(("cells", "refused"), [(100, False), (400, True)])
def test_a_shared_string_repeated_by_many_cells_counts_each_time(cells: int, refused: bool) -> None:
    strings = ["Name", "x" * 1_000]  # counted at 3 KB a cell, 3 bytes a character at most
    records = [biff.string_cell(0, 0, 0), *[biff.string_cell(r, 1, 1) for r in range(1, cells)]]
    data = biff.workbook({"S": records}, strings=strings)
    small = Limits(max_uncompressed_bytes=1_000_000)
    if refused:
        with pytest.raises(FileTooLarge, match="repeats the same text"):
            scan_xls(upload(data), small)
    else:
        scan_xls(upload(data), small)


def test_a_sheet_pointing_into_the_middle_of_a_record_is_damaged() -> None:
    data = bytearray(biff.workbook({"S": biff.sheet_cells(ROWS)}))
    stream_start = data.find(b"\x85\x00")  # the BOUNDSHEET record
    position = int.from_bytes(data[stream_start + 4 : stream_start + 8], "little")
    data[stream_start + 4 : stream_start + 8] = (position + 2).to_bytes(4, "little")
    with pytest.raises(CorruptFile, match="damaged Excel 97-2003 workbook"):
        scan_xls(upload(bytes(data)), Limits())


def test_an_encrypted_xls_is_refused_as_password_protected() -> None:
    data = biff.workbook({"S": biff.sheet_cells(ROWS)}, encrypted=True)
    with pytest.raises(CorruptFile, match="password-protected"):
        read_tables(upload(data))


@pytest.mark.parametrize(
    "data",
    [
        compound_file({"Something": b"x" * 100}),  # no workbook stream
        biff.workbook({"S": []})[:600],  # cut off
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(300),
    ],
)
def test_containers_that_cannot_be_followed_are_damaged(data: bytes) -> None:
    with pytest.raises(CorruptFile, match="damaged"):
        read_tables(upload(data))


def test_a_difat_chain_pointing_at_itself_is_damaged_not_endless() -> None:
    # Found by fuzzing: a DIFAT sector naming itself as the next one, and a count of four
    # billion, had the FAT grow by 127 sectors a turn until memory ran out.
    data = bytearray(biff.workbook({"S": biff.sheet_cells(ROWS)}))
    loop = len(data) // 512 - 1  # the number the appended sector will have
    data += struct.pack("<128I", *([0] * 127 + [loop]))
    struct.pack_into("<II", data, 68, loop, 0xFFFFFFF0)  # first DIFAT sector, their count
    started = time.perf_counter()
    with pytest.raises(CorruptFile, match="damaged Excel 97-2003 workbook"):
        scan_xls(upload(bytes(data)), Limits())
    assert time.perf_counter() - started < 0.5
