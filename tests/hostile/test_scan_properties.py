"""Properties of the scan that guards calamine, checked against calamine itself: for any sheet,
however its cells and rows are written (xlsx) or repeated (ods), the extent the scan counts is
never smaller than the one calamine lays out, and the text it counts never less than calamine
builds beyond what the file spells out."""

from __future__ import annotations

import io

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineError, CalamineWorkbook

from compiler.model import Limits, UploadedFile
from compiler.read.guards.shared_strings import read_shared_strings
from compiler.read.guards.sheets import (
    Budget,
    Measure,
    measure_xlsx_part,
    scan_ods_content,
    scan_xlsx_part,
)
from compiler.read.guards.zip_archive import repack_zip
from tests.hostile.broken import column_letters, ordinary_export, sheet_xml
from tests.hostile.zips import parts_of, zip_of
from tests.support.exports.files import ods_bytes

STRINGS = ["Amara Okonkwo-Test", "x" * 300, "", "émoji 🙂", "8"]
TABLE = (
    b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main">'
    + b"".join(f"<si><t>{text}</t></si>".encode() for text in STRINGS)
    + b"</sst>"
)
VALUES = st.sampled_from(
    [
        ("n", "<v>12.5</v>"),
        (None, "<v>3</v>"),
        ("b", "<v>1</v>"),
        ("inlineStr", "<is><t>inline</t></is>"),
        ("str", "<f>A1</f><v>formula text</v>"),
        ("e", "<v>#N/A</v>"),
        *[("s", f"<v>{index}</v>") for index in range(len(STRINGS))],
    ]
)


@st.composite
def cells(draw: st.DrawFn, canonical: bool) -> str:
    """A cell as writers write it (`<c r="B7" s="0" t="s">`), or, when not `canonical`, in any
    order, quoting and spacing XML allows, with or without its position."""
    kind, inner = draw(VALUES)
    reference = f"{column_letters(draw(st.integers(0, 60)))}{draw(st.integers(1, 400))}"
    attributes = [f'r="{reference}"']
    if not canonical:
        quote = draw(st.sampled_from(['"', "'"]))
        spacing = draw(st.sampled_from(["", " ", "\t"]))
        attributes = [f"r{spacing}={spacing}{quote}{reference}{quote}"] * draw(st.integers(0, 1))
    if draw(st.booleans()):
        attributes.append('s="0"')
    if kind is not None:
        attributes.append(f't="{kind}"')
    if not canonical:
        attributes = draw(st.permutations(attributes))
    return "<c" + "".join(" " + attribute for attribute in attributes) + f">{inner}</c>"


@st.composite
def sheets(draw: st.DrawFn) -> bytes:
    canonical = draw(st.booleans())
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        number = draw(st.integers(1, 400))
        opening = f'<row r="{number}">' if canonical or draw(st.booleans()) else "<row>"
        row_cells = draw(st.lists(cells(canonical), max_size=6))
        rows.append(opening + "".join(row_cells) + "</row>")
    return sheet_xml("".join(rows).encode())


class RecordingBudget(Budget):
    """Records each extent counted, measured or estimated."""

    def __init__(self) -> None:
        super().__init__(UploadedFile("p.xlsx", b""), Limits())
        self.extents: list[tuple[int, int]] = []

    def add_sheet(self, height: int, width: int, sheet: str | None = None) -> None:
        self.extents.append((height, width))
        super().add_sheet(height, width, sheet)

    def add_estimate(self, height: int, width: int, text: int, measure: Measure) -> None:
        self.extents.append((height, width))
        super().add_estimate(height, width, text, measure)


def calamine_view(sheet: bytes) -> tuple[tuple[int, int], int]:
    """The extent calamine lays the sheet out to, and the UTF-8 size of the text its
    shared-string cells show."""
    parts = parts_of(ordinary_export())
    parts["xl/sharedStrings.xml"] = TABLE
    parts["xl/worksheets/sheet1.xml"] = sheet
    data = repack_zip(UploadedFile("p.xlsx", zip_of(parts)), Limits())
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        grid = book.get_sheet_by_name("Responses")
        end = grid.end
        values = grid.to_python(skip_empty_area=False)
    extent = (0, 0) if end is None else (end[0] + 1, end[1] + 1)
    shown = sum(len(value.encode()) for row in values for value in row if value in STRINGS)
    return extent, shown


@given(sheets(), st.booleans())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_scan_never_counts_less_than_calamine_builds(sheet: bytes, measured: bool) -> None:
    try:
        (height, width), shown = calamine_view(sheet)
    except CalamineError:
        assume(False)  # calamine refuses this sheet: nothing is built
        raise
    strings = read_shared_strings([TABLE])
    if measured:
        counted_height, counted_width, text = measure_xlsx_part(sheet, strings)
    else:
        budget = RecordingBudget()
        scan_xlsx_part(sheet, strings, budget)
        [(counted_height, counted_width)] = budget.extents
        text = budget.text
    assert counted_height >= height and counted_width >= width
    assert text >= shown  # inline and formula text are spelled out in the file itself


ODS_CELLS = st.sampled_from(
    [
        "<table:table-cell/>",
        '<table:table-cell office:value-type="float" office:value="8"><text:p>8</text:p>'
        "</table:table-cell>",
        '<table:table-cell office:value-type="string"><text:p>Amara</text:p></table:table-cell>',
        '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="40"/>b</text:p>'
        "<text:p>second line</text:p></table:table-cell>",
        '<table:table-cell office:value-type="string"><text:p>x<text:s/>y<text:tab/>z'
        "<text:line-break/>w</text:p></table:table-cell>",
        "<table:covered-table-cell/>",
    ]
)


@st.composite
def ods_tables(draw: st.DrawFn) -> str:
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        cells = []
        for cell in draw(st.lists(ODS_CELLS, max_size=5)):
            repeat = draw(st.sampled_from([1, 1, 2, 7, 30]))
            if repeat > 1:
                repeated = f'-cell table:number-columns-repeated="{repeat}"'
                cell = cell.replace("-cell", repeated, 1)
            cells.append(cell)
        repeat = draw(st.sampled_from([1, 1, 3, 40]))
        attribute = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
        rows.append(f"<table:table-row{attribute}>{''.join(cells)}</table:table-row>")
    return "".join(rows)


@given(ods_tables())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_ods_scan_never_counts_less_than_calamine_builds(rows: str) -> None:
    data = ods_bytes([("Grades", [["Name"]])])
    parts = parts_of(data)
    content = parts["content.xml"]
    start = content.index(b"<table:table-row>")
    end = content.index(b"</table:table>")
    parts["content.xml"] = content[:start] + rows.encode() + content[end:]
    upload = UploadedFile("p.ods", zip_of(parts))
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(repack_zip(upload, Limits()))) as book:
            grid = book.get_sheet_by_name("Grades")
            end_cell, values = grid.end, grid.to_python(skip_empty_area=False)
    except CalamineError:
        assume(False)
        raise
    budget = RecordingBudget()
    scan_ods_content(parts["content.xml"], budget)
    [(height, width)] = budget.extents
    if end_cell is not None:
        assert height >= end_cell[0] + 1 and width >= end_cell[1] + 1
    shown = sum(len(value.encode()) for row in values for value in row if isinstance(value, str))
    assert budget.text >= shown
