"""A worksheet that writes the same XML as XlsxWriter's own, with less work per cell.

A Results sheet of 3,000 people is 33,000 cells, and XlsxWriter writes each through general
code: the cell's reference worked out afresh, a list of attributes, each escaped in turn (an
integer style index by catching a TypeError), then a writer per kind of cell; and it finds each
block of rows' span by testing every column of every row. That was a third of the workbook's
time. `LeanWorksheet` writes the rows of plain sheets (no comments, no row formats) itself: the
three kinds of cell the workbook uses (numbers, shared strings, blanks) with one f-string each,
a row's number and a format's style attribute worked out once, a block's span from its rows'
first and last columns. Everything else (formulas, dates, rich or in-line strings, comments,
row formats) goes to XlsxWriter's own code. And a formula that calls no function is left as it
is without XlsxWriter's search for newer functions to rename.

Sound because nothing in these cells needs escaping: column letters and row numbers are what
they are, style and shared-string indexes are integers, and numbers are written with
XlsxWriter's own format. The tests compare the bytes with XlsxWriter's own worksheet.

It overrides private methods, so it is used only with the XlsxWriter releases it was compared
on (`TESTED_RELEASES`); with any other, `worksheet_class` gives `StockWorksheet`, XlsxWriter's
own worksheet with the same three writers through its public methods.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellNumberTuple, CellStringTuple, Worksheet

# XlsxWriter (major, minor) releases whose output LeanWorksheet was compared with, byte for byte.
TESTED_RELEASES = frozenset({(3, 3)})
LEAN_KINDS = (CellNumberTuple, CellStringTuple, CellBlankTuple)
ROWS_PER_SPAN = 16  # XlsxWriter gives each block of 16 rows one `spans` attribute


class LeanWorksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter ships no type information
    """XlsxWriter's worksheet, writing the rows of plain sheets with less work per cell."""

    # XlsxWriter's public writers pass each call through a decorator that first tries the row
    # as A1 text (`"B7"`); the workbook always gives numbers, so its cells go straight to the
    # writers behind them ("undecorated", as XlsxWriter calls them): a third of each call.

    def number_at(self, row: int, col: int, number: float, cell_format: Any = None) -> None:
        """`write_number` for a row and column given as numbers."""
        self._write_number(row, col, number, cell_format)

    def text_at(self, row: int, col: int, text: str, cell_format: Any = None) -> None:
        """`write_string` for a row and column given as numbers."""
        self._write_string(row, col, text, cell_format)

    def blank_at(self, row: int, col: int, cell_format: Any) -> None:
        """`write_blank` for a row and column given as numbers."""
        self._write_blank(row, col, None, cell_format)

    def _write_rows(self) -> None:
        if self.comments or self.row_info or self.constant_memory or self.dim_colmin is None:
            super()._write_rows()
            return
        self._calculate_spans()
        cells_of = _CellWriter(self)
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(row)
            if cells:
                self._write_row(row, self.row_spans.get(row // ROWS_PER_SPAN))
                cells_of.write(row, cells)
                self._xml_end_tag("row")

    def _calculate_spans(self) -> None:
        # XlsxWriter counts only cells within the sheet's dimensions, and comments widen a span
        # too: leave any sheet where that could matter to XlsxWriter.
        if self.comments:
            super()._calculate_spans()
            return
        first_row, last_row = self.dim_rowmin, self.dim_rowmax
        first_col, last_col = self.dim_colmin, self.dim_colmax
        bounds: dict[int, tuple[int, int]] = {}
        for row, cells in self.table.items():
            if not cells:
                continue
            low, high = min(cells), max(cells)
            if not (first_row <= row <= last_row and first_col <= low and high <= last_col):
                super()._calculate_spans()
                return
            block = row // ROWS_PER_SPAN
            if block in bounds:
                known_low, known_high = bounds[block]
                low, high = min(low, known_low), max(high, known_high)
            bounds[block] = (low, high)
        self.row_spans = {block: f"{low + 1}:{high + 1}" for block, (low, high) in bounds.items()}

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        # XlsxWriter renames newer functions (`XLOOKUP(` -> `_xlfn.XLOOKUP(`) with 155 regular
        # expressions, each compiled on its first use in a process: 2 ms for the conditional
        # formats' `"PASS"`, which calls nothing. Without a `(` none of them can match.
        if "(" in formula:
            return str(super()._prepare_formula(formula, expand_future_functions))
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")


class _CellWriter:
    """Writes the cells of one sheet's rows, with each column's letters and each format's style
    attribute worked out once."""

    def __init__(self, sheet: LeanWorksheet) -> None:
        self.sheet = sheet
        self.write_xml = sheet.fh.write
        self.cols = range(sheet.dim_colmin, sheet.dim_colmax + 1)
        self.letters = {col: xl_col_to_name(col) for col in self.cols}
        self.plain = {col: _column_style(sheet, col) for col in self.cols}  # cells without one
        self.styles: dict[Any, str] = {}  # Format -> its style attribute

    def write(self, row: int, cells: dict[int, Any]) -> None:
        """Write the cells of `row` (column -> cell), left to right."""
        number = str(row + 1)
        write_xml, letters, plain, styles = self.write_xml, self.letters, self.plain, self.styles
        for col in self.cols:
            cell = cells.get(col)
            if cell is None:
                continue
            kind = cell.__class__
            if kind not in LEAN_KINDS:
                self.sheet._write_cell(row, col, cell)  # XlsxWriter's own, for the rest
                continue
            ref = letters[col] + number
            fmt = cell.format
            style = (styles.get(fmt) or self._style(fmt)) if fmt else plain[col]
            if kind is CellNumberTuple:
                write_xml(f'<c r="{ref}"{style}><v>{cell.number:.16G}</v></c>')
            elif kind is CellStringTuple:
                write_xml(f'<c r="{ref}"{style} t="s"><v>{cell.string}</v></c>')
            else:
                write_xml(f'<c r="{ref}"{style}/>')

    def _style(self, cell_format: Any) -> str:
        style = self.styles[cell_format] = _style_attribute(cell_format)
        return style


def _style_attribute(cell_format: Any) -> str:
    return f' s="{cell_format._get_xf_index()}"'


def _column_style(sheet: LeanWorksheet, col: int) -> str:
    """The style of a cell without a format: its column's, or none (a sheet with row formats is
    written by XlsxWriter, which would take the row's first)."""
    info = sheet.col_info.get(col)
    if info is None or info.column_format is None:
        return ""
    return _style_attribute(info.column_format)


class StockWorksheet(Worksheet):  # type: ignore[misc]  # xlsxwriter ships no type information
    """XlsxWriter's own worksheet with `LeanWorksheet`'s writers, through the public methods."""

    def number_at(self, row: int, col: int, number: float, cell_format: Any = None) -> None:
        """`write_number` for a row and column given as numbers."""
        self.write_number(row, col, number, cell_format)

    def text_at(self, row: int, col: int, text: str, cell_format: Any = None) -> None:
        """`write_string` for a row and column given as numbers."""
        self.write_string(row, col, text, cell_format)

    def blank_at(self, row: int, col: int, cell_format: Any) -> None:
        """`write_blank` for a row and column given as numbers."""
        self.write_blank(row, col, None, cell_format)


def worksheet_class(version: str) -> type[Worksheet]:
    """`LeanWorksheet` for an XlsxWriter release it was tested on, else `StockWorksheet`."""
    try:
        release = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        return StockWorksheet
    return LeanWorksheet if release in TESTED_RELEASES else StockWorksheet
