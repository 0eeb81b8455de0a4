"""A sheet written as all known writers write it is counted by an estimate (the far corner it
claims, rounded up, checked by one search) instead of being measured. The estimate is never
below what calamine lays out or what measuring finds; every other way of writing a cell, and a
claim the cells break, is measured; and estimates decide nothing measured counts would not."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineError, CalamineWorkbook

from compiler.errors import FileTooLarge
from compiler.model import Limits, UploadedFile
from compiler.read.guards import sheets as workbook_scan
from compiler.read.guards.shared_strings import read_shared_strings
from compiler.read.guards.sheets import Budget, Measure, measure_xlsx_part, scan_xlsx_part
from compiler.read.guards.zip_archive import repack_zip
from tests.hostile.broken import column_letters, ordinary_export, sheet_xml
from tests.hostile.zips import parts_of, zip_of
from tests.support.classes import make_surveyheart_benchmark
from tests.support.exports.files import xlsx_bytes

STRINGS = ["Amara Okonkwo-Test", "x" * 300, "", "8"]
TABLE = (
    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main">'
    + b"".join(f"<si><t>{text}</t></si>".encode() for text in STRINGS)
    + b"</sst>"
)
SHEET = "xl/worksheets/sheet1.xml"


class RecordingBudget(Budget):
    """Records whether each sheet was estimated or measured, and the extent counted."""

    def __init__(self, limits: Limits | None = None) -> None:
        super().__init__(UploadedFile("p.xlsx", b""), limits or Limits())
        self.counted: list[tuple[str, int, int]] = []

    def add_sheet(self, height: int, width: int, sheet: str | None = None) -> None:
        self.counted.append(("measured", height, width))
        super().add_sheet(height, width, sheet)

    def add_estimate(self, height: int, width: int, text: int, measure: Measure) -> None:
        self.counted.append(("estimated", height, width))
        super().add_estimate(height, width, text, measure)


def counted(sheet: bytes) -> tuple[str, int, int, int]:
    """How the scan counts `sheet`: estimated or measured, its extent, its text."""
    budget = RecordingBudget()
    scan_xlsx_part(sheet, read_shared_strings([TABLE]), budget)
    [(how, height, width)] = budget.counted
    return how, height, width, budget.text


def calamine_view(sheet: bytes) -> tuple[int, int, int]:
    """The extent calamine lays `sheet` out to, and the size of the shared strings it shows."""
    parts = parts_of(ordinary_export())
    parts["xl/sharedStrings.xml"] = TABLE
    parts[SHEET] = sheet
    with CalamineWorkbook.from_filelike(io.BytesIO(zip_of(parts))) as book:
        grid = book.get_sheet_by_name("Responses")
        end, values = grid.end, grid.to_python(skip_empty_area=False)
    shown = sum(len(value.encode()) for row in values for value in row if value in STRINGS)
    return (0, 0, shown) if end is None else (end[0] + 1, end[1] + 1, shown)


def cell(row: int, column: int, kind: int) -> bytes:
    position = f"{column_letters(column)}{row}"
    return [
        f'<c r="{position}" t="s"><v>{kind % len(STRINGS)}</v></c>',
        f'<c r="{position}" s="1" t="s"><v>1</v></c>',
        f'<c r="{position}" s="2"><v>{kind}.5</v></c>',
        f'<c r="{position}"><v>{kind}</v></c>',
        f'<c r="{position}" t="inlineStr"><is><t>inline</t></is></c>',
        f'<c r="{position}" s="3"/>',
    ][kind % 6].encode()


def rows_of(cells: list[tuple[int, int, int]]) -> bytes:
    by_row: dict[int, list[bytes]] = {}
    for row, column, kind in sorted(cells):
        by_row.setdefault(row, []).append(cell(row, column, kind))
    return b"".join(b'<row r="%d">' % row + b"".join(cs) + b"</row>" for row, cs in by_row.items())


# Ways of writing a cell that the estimate must not trust: each hides a far position (or, for
# cells without one, a long row) that calamine would lay out.
SNEAKY = {
    "a second position": b'<c r="A2" r="{far}"><v>1</v></c>',
    "a second position, no space": b'<c r="A2"r="{far}"><v>1</v></c>',
    "a second position, quoted and spaced": b'<c r="A2" t="n" r = \'{far}\'><v>1</v></c>',
    "a second position after a tab": b'<c r="A2"\tr="{far}"><v>1</v></c>',
    "a second position after a newline": b'<c r="A2" s="1"\n r="{far}"><v>1</v></c>',
    "a tab after the name": b'<c\tr="{far}"><v>1</v></c>',
    "single quotes": b"<c r='{far}'><v>1</v></c>",
    "lower-case letters": b'<c r="{far_lower}"><v>1</v></c>',
    "a prefix": b'<x:c xmlns:x="urn:x" r="{far}"><x:v>1</x:v></x:c>',
    "cells without positions": b'<c r="A2"/>' + b"<c><v>1</v></c>" * 60,
    "styled cells without positions": b'<c r="A2"/>' + b'<c s="1" t="n"><v>1</v></c>' * 60,
}


def sneaky_cell(way: str, row: int, column: int) -> bytes:
    far = f"{column_letters(column)}{row}"
    return SNEAKY[way].replace(b"{far}", far.encode()).replace(b"{far_lower}", far.lower().encode())


@st.composite
def written_sheets(draw: st.DrawFn) -> tuple[bytes, str]:
    """A sheet as writers write it (cells sorted, every cell positioned), with or without a
    `<dimension>` (true, too small or too large), perhaps with one sneaky cell in a far row;
    and which: the dimension's kind, or "sneaky"."""
    cells = draw(
        st.lists(
            st.tuples(st.integers(1, 2_000), st.integers(0, 60), st.integers(0, 5)),
            min_size=1,
            max_size=25,
            unique_by=lambda c: c[:2],
        )
    )
    bottom = max(row for row, _, _ in cells)
    right = max(column for _, column, _ in cells)
    claim = draw(st.sampled_from(["none", "true", "small", "large"]))
    corner = {
        "none": None,
        "true": (bottom, right),
        "small": (max(1, bottom // 10), right // 2),
        "large": (bottom + draw(st.integers(0, 9_000)), right + draw(st.integers(0, 40))),
    }[claim]
    dimension = (
        b""
        if corner is None
        else b'<dimension ref="A1:%s%d"/>'
        % (
            column_letters(corner[1]).encode(),
            corner[0],
        )
    )
    body = rows_of(cells)
    if draw(st.booleans()):  # calamine places a cell by its position, wherever it is written
        body = (
            b"".join(draw(st.permutations(body.split(b"</row>")[:-1]))).replace(
                b"<row", b"</row><row"
            )[6:]
            + b"</row>"
        )
    way = draw(st.sampled_from([None, *SNEAKY]))
    if way is not None:
        far_row = draw(st.integers(bottom + 1, 9_999))
        sneaky = sneaky_cell(way, far_row, draw(st.integers(0, 200)))
        body += b'<row r="%d">' % far_row + sneaky + b"</row>"
    return sheet_xml(body, before=dimension), claim if way is None else "sneaky"


@given(written_sheets())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_an_estimate_is_never_below_what_calamine_builds_or_measuring_finds(
    written: tuple[bytes, str],
) -> None:
    sheet, kind = written
    try:
        height, width, shown = calamine_view(sheet)
    except CalamineError:
        assume(False)  # calamine refuses the sheet: nothing is built
        raise
    how, counted_height, counted_width, text = counted(sheet)
    assert counted_height >= height and counted_width >= width
    assert text >= shown
    measured_height, measured_width, measured_text = measure_xlsx_part(
        sheet, read_shared_strings([TABLE])
    )
    if how == "estimated":
        assert counted_height >= measured_height and counted_width >= measured_width
        assert text >= measured_text
    if kind in ("true", "large"):  # claims that cover every cell are trusted
        assert how == "estimated"
    if kind == "true":  # ... and rounded up no further than to all nines, the end of a letter
        assert counted_height < 10 * measured_height and counted_width < measured_width + 26


@pytest.mark.parametrize(
    ("far", "corner"),
    [
        ((1_500, 3), "D100"),  # a row past the claimed one's number of digits
        ((50, 7), "D100"),  # a column past the claimed one, one letter
        ((50, 60), "AK100"),  # a first letter past the claimed one (BI after AK)
        ((50, 800), "AK100"),  # three letters
        ((50, 40), "Z100"),  # two letters after one
    ],
)
def test_a_cell_past_the_claimed_corner_is_measured(far: tuple[int, int], corner: str) -> None:
    # The cell furthest out comes first, where neither the dimension nor the last cell shows it.
    body = rows_of([(far[0], far[1], 3)]) + rows_of([(1, 0, 0), (100, 3, 3)])
    sheet = sheet_xml(body, before=b'<dimension ref="A1:%s"/>' % corner.encode())
    how, height, width, _ = counted(sheet)
    calamine_height, calamine_width, _ = calamine_view(sheet)
    assert how == "measured"
    assert (calamine_height, calamine_width) == (max(far[0], 100), max(far[1] + 1, 4))
    assert height >= calamine_height and width >= calamine_width


@pytest.mark.parametrize("way", SNEAKY)
def test_each_sneaky_way_of_writing_a_cell_is_measured(way: str) -> None:
    body = rows_of([(1, 0, 0), (1, 1, 3), (2, 0, 3)])
    body += b'<row r="3">' + sneaky_cell(way, 9_000, 150) + b"</row>"
    sheet = sheet_xml(body, before=b'<dimension ref="A1:B3"/>')
    how, height, width, _ = counted(sheet)
    calamine_height, calamine_width, _ = calamine_view(sheet)
    assert how == "measured"
    assert height >= calamine_height and width >= calamine_width
    assert calamine_height == 9_000 or calamine_width > 60  # the sneaky cell is laid out far


@pytest.mark.parametrize("way", [w for w in SNEAKY if "without" not in w])
def test_a_far_cell_written_sneakily_is_refused_before_calamine_sees_it(way: str) -> None:
    # 99,999 rows by 702 columns: 70 million cells, which calamine would lay out.
    body = rows_of([(1, 0, 0), (2, 1, 3)]) + b'<row r="3">' + sneaky_cell(way, 99_999, 701)
    parts = parts_of(ordinary_export())
    parts[SHEET] = sheet_xml(body + b"</row>", before=b'<dimension ref="A1:B3"/>')
    with pytest.raises(FileTooLarge, match="too many cells"):
        repack_zip(UploadedFile("far.xlsx", zip_of(parts)), Limits())


def test_a_sheet_with_nul_bytes_is_measured() -> None:
    # As UTF-16 would have: byte patterns cannot see such a sheet's tags, only text that looks
    # like them (calamine reads no UTF-16 sheet today; the estimate does not rely on that).
    sheet = sheet_xml(rows_of([(1, 0, 3), (40, 3, 4)]), before=b'<dimension ref="A1:D40"/>')
    assert counted(sheet)[0] == "estimated"
    assert counted(sheet.replace(b"inline", b"in\x00line"))[0] == "measured"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(lambda: make_surveyheart_benchmark(40, 1)[0].data, id="benchmark export"),
        pytest.param(
            lambda: xlsx_bytes([("S", [["Name", "Score"], ["Amara", 8]])]), id="xlsxwriter"
        ),
        pytest.param(lambda: openpyxl_export(), id="openpyxl"),
    ],
)
def test_ordinary_exports_are_estimated_never_measured(
    data: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def measured(*_: object) -> tuple[int, int, int]:
        raise AssertionError("an ordinary sheet was measured")

    monkeypatch.setattr(workbook_scan, "measure_xlsx_part", measured)
    assert callable(data)
    repacked = repack_zip(UploadedFile("ok.xlsx", data()), Limits())
    with CalamineWorkbook.from_filelike(io.BytesIO(repacked)) as book:
        assert book.get_sheet_by_index(0).to_python()


def openpyxl_export() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Email", *(f"Question {i}" for i in range(40))])
    for i in range(30):
        sheet.append([f"Amara Okonkwo-Test {i}", f"p{i}@example.test", *range(40)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the budget: estimates decide nothing measured counts would not ---------------------------


def measure_as(height: int, width: int, text: int, calls: list[int]) -> Measure:
    def measure() -> tuple[int, int, int]:
        calls.append(1)
        return height, width, text

    return measure


def test_estimates_too_large_together_are_measured_rather_than_refused() -> None:
    budget, calls = Budget(UploadedFile("b.xlsx", b""), Limits()), []
    for _ in range(12):  # 12 x 9,999 x 52 cells estimated: 6.2 million; 360,000 measured
        budget.add_estimate(9_999, 52, 20_000_000, measure_as(1_000, 30, 1_000, calls))
    assert len(calls) == 12 - 2  # measured once the budget would be spent, the rest later
    assert budget.cells < 2 * 9_999 * 52 + 10 * 30_000 + 1 and budget.text < 50_000_000


def test_an_estimate_past_one_sheets_limits_is_measured_at_once() -> None:
    budget, calls = Budget(UploadedFile("b.xlsx", b""), Limits()), []
    budget.add_estimate(99_999, 702, 0, measure_as(2_000, 40, 0, calls))
    assert calls == [1] and budget.cells == 80_000


@pytest.mark.parametrize(
    ("measured", "says"),
    [
        ((9_000, 200, 0), "sheets together span more than 5,000,000 cells"),
        ((100, 10, 90_000_000), "repeats the same text in so many cells"),
    ],
)
def test_estimates_still_too_large_when_measured_are_refused(
    measured: tuple[int, int, int], says: str
) -> None:
    budget, calls = Budget(UploadedFile("b.xlsx", b""), Limits()), []
    with pytest.raises(FileTooLarge, match=says):
        for _ in range(3):
            budget.add_estimate(9_999, 260, 90_000_000, measure_as(*measured, calls))
    assert calls
