"""The workbook budget: sheets' cells together, and text that cells repeat, are counted before
calamine reads a zip; ways of writing a shared-string cell that a quick scan would miss are
still counted; a file under the budget is read."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from compiler.errors import CorruptFile, FileTooLarge
from compiler.model import Limits, UploadedFile
from compiler.read.guards.zip_archive import repack_zip
from compiler.read.tables import read_tables
from tests.hostile.broken import (
    column_letters,
    inline_cell,
    ordinary_export,
    sheet_xml,
    zip_bomb_lying,
)
from tests.hostile.zips import parts_of, zip_of
from tests.support.exports.files import ods_bytes, xlsx_bytes

SMALL = Limits(max_uncompressed_bytes=1_000_000)
SHEET = "xl/worksheets/sheet1.xml"


def upload(data: bytes, name: str = "book.xlsx") -> UploadedFile:
    return UploadedFile(name, data)


def with_shared_string(text: str, cells: bytes) -> bytes:
    """The ordinary export, its shared strings ending with `text`, its sheet holding `cells`
    (where `{i}` stands for the index of `text`)."""
    parts = parts_of(ordinary_export())
    strings = parts["xl/sharedStrings.xml"]
    index = strings.count(b"<si>")
    parts["xl/sharedStrings.xml"] = strings.replace(
        b"</sst>", b"<si><t>" + text.encode() + b"</t></si></sst>"
    )
    parts[SHEET] = sheet_xml(cells.replace(b"{i}", str(index).encode()))
    return zip_of(parts)


def shared_cells(count: int, cell: bytes = b'<c r="{ref}" t="s"><v>{i}</v></c>') -> bytes:
    return b"".join(
        b'<row r="%d">' % (r + 1)
        + cell.replace(b"{ref}", f"{column_letters(0)}{r + 1}".encode())
        + b"</row>"
        for r in range(count)
    )


@pytest.mark.parametrize(("cells", "refused"), [(100, False), (300, True)])
def test_text_a_shared_string_repeats_is_counted_each_time(cells: int, refused: bool) -> None:
    data = with_shared_string("x" * 5_000, shared_cells(cells))  # 500 KB or 1.5 MB of text
    if refused:
        with pytest.raises(FileTooLarge, match="repeats the same text in so many cells"):
            repack_zip(upload(data), SMALL)
    else:
        repack_zip(upload(data), SMALL)


@pytest.mark.parametrize(
    "cell",
    [
        # calamine keeps a cell's last child: the tiny string 0 first must not hide the long one
        b'<c r="{ref}" t="s"><v>0</v><v>{i}</v></c>',
        b'<c t="s" r="{ref}" s="0"><v>{i}</v></c>',
        b'<c r="{ref}" t="s"><v xml:space="preserve">{i}</v></c>',
        b'<c r="{ref}" t="s"><f>A1</f><v>{i}</v></c>',
        b"<c r='{ref}' t='s'>\n  <v>{i}</v>\n</c>",
        b'<c t="s"><v>{i}</v></c>',  # no position: the slow, exact walk
    ],
)
def test_shared_string_cells_written_unusually_are_still_counted(cell: bytes) -> None:
    data = with_shared_string("x" * 5_000, shared_cells(300, cell))
    with pytest.raises(FileTooLarge, match="repeats the same text"):
        repack_zip(upload(data), SMALL)


def test_prefixed_shared_string_cells_are_still_counted() -> None:
    cells = b"".join(
        b'<x:row r="%d"><x:c r="A%d" t="s"><x:v>{i}</x:v></x:c></x:row>' % (r, r)
        for r in range(1, 301)
    )
    data = with_shared_string("x" * 5_000, cells)
    parts = parts_of(data)
    parts[SHEET] = (
        parts[SHEET]
        .replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=")
        .replace(b"<sheetData>", b"<x:sheetData>")
        .replace(b"</sheetData></worksheet>", b"</x:sheetData></x:worksheet>")
    )
    with pytest.raises(FileTooLarge, match="repeats the same text"):
        repack_zip(upload(zip_of(parts)), SMALL)


def sparse_sheets(count: int, last_cell: str) -> bytes:
    parts = parts_of(xlsx_bytes([(f"S{i}", [["Name"]]) for i in range(count)]))
    far = sheet_xml(
        b'<row r="1">' + inline_cell("A1", "Name") + b"</row>"
        b'<row r="3000">' + inline_cell(last_cell, "far") + b"</row>"
    )
    for i in range(1, count + 1):
        parts[f"xl/worksheets/sheet{i}.xml"] = far
    return zip_of(parts)


def test_sheets_together_may_not_span_more_cells_than_one_may() -> None:
    repack_zip(upload(sparse_sheets(1, "ALL3000")), Limits())  # 3,000,000 cells: allowed
    started = time.perf_counter()
    with pytest.raises(FileTooLarge, match="sheets together span more than 5,000,000 cells"):
        repack_zip(upload(sparse_sheets(2, "ALL3000")), Limits())
    assert time.perf_counter() - started < 1.0


def ods_with(row: str, tables: int = 1) -> bytes:
    data = ods_bytes(
        [(f"T{i}", [["Name", "Score"], ["Amara Okonkwo-Test", 8]]) for i in range(tables)]
    )
    parts = parts_of(data)
    parts["content.xml"] = parts["content.xml"].replace(
        b"</table:table>", row.encode() + b"</table:table>"
    )
    return zip_of(parts)


def repeated_row(rows: int, columns: int, text: str) -> str:
    return (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="string">'
        f"<text:p>{text}</text:p></table:table-cell></table:table-row>"
    )


def test_ods_repeated_text_within_the_budget_is_read() -> None:
    tables = read_tables(upload(ods_with(repeated_row(20, 5, "x" * 1_000)), "ok.ods"), SMALL)
    assert tables[0].rows[-1] == ["x" * 1_000] * 5


@pytest.mark.parametrize(
    "row",
    [
        repeated_row(40, 50, "x" * 1_000),  # 2 MB of one cell's text
        '<table:table-row><table:table-cell office:value-type="string"><text:p>a'
        '<text:s text:c="2000000"/>b</text:p></table:table-cell></table:table-row>',
        '<table:table-row><table:table-cell office:value-type="string"><text:p>a'
        '<text:s text:c="99999999999999999999"/>b</text:p></table:table-cell></table:table-row>',
    ],
)
def test_ods_text_repeated_past_the_budget_is_refused(row: str) -> None:
    with pytest.raises(FileTooLarge, match="repeats the same text"):
        repack_zip(upload(ods_with(row), "bomb.ods"), SMALL)


def test_ods_tables_together_may_not_span_too_many_cells() -> None:
    far = repeated_row(3_000, 1_000, "x").replace('office:value-type="string"', "")
    far = far.replace("<text:p>x</text:p>", "") + (
        '<table:table-row><table:table-cell table:number-columns-repeated="999"/>'
        '<table:table-cell office:value-type="float" office:value="1"/></table:table-row>'
    )
    repack_zip(upload(ods_with(far), "one.ods"), Limits())
    with pytest.raises(FileTooLarge, match="sheets together"):
        repack_zip(upload(ods_with(far, tables=2), "two.ods"), Limits())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_entity_declarations_are_refused_in_any_encoding(encoding: str) -> None:
    parts = parts_of(ordinary_export())
    declaration = '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaa">]><sst/>'
    bom = {"utf-8": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    parts["xl/sharedStrings.xml"] = bom + declaration.encode(encoding)
    with pytest.raises(CorruptFile, match="XML entity declarations"):
        repack_zip(upload(zip_of(parts)), Limits())


def test_comments_and_other_markup_declarations_are_not_entities() -> None:
    parts = parts_of(ordinary_export())
    parts[SHEET] = parts[SHEET].replace(b"<sheetData>", b"<!-- written by hand --><sheetData>")
    assert read_tables(upload(zip_of(parts)))[0].rows[1][0] == "Amara Okonkwo-Test"


def test_running_out_of_memory_is_not_called_damage(monkeypatch: pytest.MonkeyPatch) -> None:
    # A worker's memory ceiling surfaces as MemoryError: the worker pool must see it (and say
    # "too big"), not a CorruptFile telling the person their file is damaged.
    def exhausted(*_: object) -> object:
        raise MemoryError

    monkeypatch.setattr("compiler.read.tables.CalamineWorkbook.from_filelike", exhausted)
    with pytest.raises(MemoryError):
        read_tables(upload(ordinary_export()))
    monkeypatch.setattr("compiler.read.guards.zip_archive.zipfile.ZipFile.infolist", exhausted)
    with pytest.raises(MemoryError):
        repack_zip(upload(ordinary_export()), Limits())


def test_an_empty_shared_strings_table_is_read() -> None:
    parts = parts_of(ordinary_export())
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        b'2006/main" count="0" uniqueCount="0"/>'
    )
    parts[SHEET] = sheet_xml(
        b'<row r="1">' + inline_cell("A1", "Name") + inline_cell("B1", "Score") + b"</row>"
        b'<row r="2">' + inline_cell("A2", "Amara Okonkwo-Test") + b'<c r="B2"><v>8</v></c></row>'
    )
    assert read_tables(upload(zip_of(parts)))[0].rows == [
        ["Name", "Score"],
        ["Amara Okonkwo-Test", 8.0],
    ]


def test_an_entry_lying_about_its_size_is_never_inflated_past_it() -> None:
    # zipfile inflates as much as it is asked for before cutting at the declared size: asking
    # for the whole budget made a 4 KiB liar cost 200 MB and a quarter of a second.
    data = zip_bomb_lying()
    tracemalloc.start()
    try:
        with pytest.raises(CorruptFile):
            read_tables(upload(data))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000
