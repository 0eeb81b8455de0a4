"""What a workbook's XML would make calamine build, measured before calamine reads it.

calamine lays each sheet out as one dense block from its first to its last cell, and it gives
every cell its own copy of the text it shows. Both can be made enormous by a tiny file: one cell
in A1 and one in ALL5000 is five million cells; a 32,767-character shared string used by ten
thousand cells is 330 MB, twice (once in calamine, once in Python); an OpenDocument cell
repeated a million times, or `<text:s text:c="300000000"/>` (that many spaces), the same.

So each sheet's extent and the text its cells would hold are counted here, with a `Budget` per
workbook: each sheet within `Limits` rows and columns and `MAX_CELLS_PER_SHEET`, all sheets
together within `MAX_CELLS_PER_WORKBOOK`, and the text within the uncompressed-size limit (a
shared string counts every time a cell uses it, as if it were written out in each cell).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from compiler.errors import CorruptFile, FileTooLarge, quoted
from compiler.model import Limits, UploadedFile
from compiler.read.guards.shared_strings import SharedStrings

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

# The most cells one sheet may span (rows times columns, empty cells included): a sheet with one
# value in A1 and one in ALL100000 passes the row and column limits but still unfolds into a
# hundred million cells.
MAX_CELLS_PER_SHEET = 5_000_000
# ... and all sheets of a workbook together: forty such sheets were 2 GB and 24 s.
MAX_CELLS_PER_WORKBOOK = MAX_CELLS_PER_SHEET

_RESAVE = "Open it in Excel, LibreOffice or Google Sheets and save it again as .xlsx."
# In ASCII and UTF-16 (little- and big-endian: each ASCII byte with a NUL after or before it),
# spelt out rather than encoded, which would load the UTF-16 codecs at every start.
_ENTITY_DECLARATIONS = tuple(
    spelling
    for marker in (b"<!DOCTYPE", b"<!ENTITY")
    for spelling in (
        marker,
        b"".join(bytes((byte, 0)) for byte in marker),
        b"".join(bytes((0, byte)) for byte in marker),
    )
)

# Measuring a sheet exactly: cell and row positions (`<c r="AB12">`, `<row r="12">`) are looked
# for in a squeezed copy of the sheet XML: whitespace removed and quotes made double, so
# `<c\tr = 'AB12'>` reads `<cr="AB12">` and one literal `r="` finds every way of writing a
# position (and a few other attributes ending in r, which only make the extent larger than it
# is). That is only trusted when every cell opens with its position, `<c r="`, as all known
# writers write it: cells are looked at before squeezing, while `<c ` still ends the element's
# name (an `r="` elsewhere, on some other element, says nothing about a cell without one).
_NORMALISE = bytes.maketrans(b"\t\r\n'", b'   "')
_UNPOSITIONED_CELL = re.compile(rb'<c(?! r=")[ >/]')
_ROW_NUMBER = re.compile(rb'r="[A-Za-z]*([0-9]+)"')
_COLUMN = re.compile(rb'r="([A-Za-z]+)[0-9]')
_PREFIXED_CELL = re.compile(rb":(?:c|row)[\s>/]")
# A shared-string cell (`t="s"`) whose one child is its value, the string's index (calamine
# takes a cell's last child, so `<v>0</v><v>5</v>` must not pass for string 0). Trusted only
# when every `t="s"` in the sheet is one of these.
_SHARED_TYPE = b't="s"'
_SHARED_CELL = re.compile(rb't="s"[^>]*><v>([0-9]+)</v></c>')

# Estimating a sheet: the far corner it claims (its `<dimension ref="A1:W2754">`, its last
# cell) gives bounds, trusted when one search finds no cell tag but `<c r="POSITION"` with a
# position within them and then only attributes other than r (calamine places a cell by its
# last r), each ` name="value"`: the form all known writers use. Every unprefixed cell tag is
# `<c` and whitespace, `>` or `/`; a prefixed one (`<x:c `) sends the sheet to be measured.
# With every cell positioned, rows' own positions do not matter: calamine uses them only for
# cells without one.
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"')
_POSITION = re.compile(rb'([A-Z]{1,3})([0-9]{1,7})"')
_LAST_CELL = b'<c r="'
_OTHER_ATTRIBUTES = (  # the usual endings first, as plain branches: loops cost at every cell
    rb'(?: [st]="[^"]*+"(?:>| t="[^"]*+">)|>|(?: [a-qs-z][a-z]?+="[^"]*+")*+/?+>)'
)
# The fewest bytes a cell showing a shared string takes: its tag, value and end are its own.
_SMALLEST_SHARED_CELL = len(b'<c r="A1" t="s"><v>0</v></c>')
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT_SPACES = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}s"


def check_size(
    file: UploadedFile, height: int, width: int, limits: Limits, sheet: str | None = None
) -> None:
    """Raise FileTooLarge when a sheet spans more rows, columns or cells than allowed."""
    where = f"the sheet {quoted(sheet)}" if sheet else "a sheet in it"
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


class Budget:
    """The cells and text one workbook's sheets may make the reader build, counted as each
    sheet is measured; raises FileTooLarge as soon as one is spent.

    A sheet may be counted by an estimate (upper bounds, cheap to find) with a way to measure it
    exactly; the estimates are measured only when the budget would otherwise be spent, so an
    estimate never refuses a workbook that exact counts would let through."""

    def __init__(self, file: UploadedFile, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.cells = 0
        self.text = 0
        # (height, width, text, measure) of each sheet counted by its estimate: plain tuples,
        # as a frozen dataclass would cost 0.4 ms at every start.
        self._estimates: list[tuple[int, int, int, Measure]] = []

    def fits(self, height: int, width: int) -> bool:
        """Whether a sheet this size is within the limits for one sheet."""
        limits = self.limits
        return (
            height <= limits.max_rows
            and width <= limits.max_columns
            and height * width <= MAX_CELLS_PER_SHEET
        )

    def add_sheet(self, height: int, width: int, sheet: str | None = None) -> None:
        """Count one sheet's extent, after checking it alone."""
        check_size(self.file, height, width, self.limits, sheet)
        self.cells += height * width
        self._check()

    def add_text(self, characters: int) -> None:
        """Count text that cells will hold beyond what the file spells out."""
        self.text += characters
        self._check()

    def add_estimate(self, height: int, width: int, text: int, measure: Measure) -> None:
        """Count a sheet by upper bounds of its extent and of its cells' text; `measure` gives
        the exact (height, width, text), asked for only if these bounds are too much."""
        if not self.fits(height, width):
            height, width, text = measure()
            self.add_sheet(height, width)
            self.add_text(text)
            return
        self._estimates.append((height, width, text, measure))
        self.cells += height * width
        self.text += text
        self._check()

    def _check(self) -> None:
        most_text = self.limits.max_uncompressed_bytes
        if self._estimates and (self.cells > MAX_CELLS_PER_WORKBOOK or self.text > most_text):
            self._measure_estimates()
        if self.cells > MAX_CELLS_PER_WORKBOOK:
            raise FileTooLarge(
                self.file.name,
                f"its sheets together span more than {MAX_CELLS_PER_WORKBOOK:,} cells, too "
                "many to read.",
                "Delete the sheets other than the results (and stray cells far from them), or "
                "send only the results sheet.",
            )
        if self.text > most_text:
            raise FileTooLarge(
                self.file.name,
                "repeats the same text in so many cells that it would fill more than "
                f"{most_text / (1024 * 1024):.1f} MB when opened.",
                _RESAVE,
            )

    def _measure_estimates(self) -> None:
        for height, width, text, measure in self._estimates:
            measured_height, measured_width, measured_text = measure()
            # Both are upper bounds of what calamine builds: the smaller one is kept.
            kept = min(height, measured_height) * min(width, measured_width)
            self.cells += kept - height * width
            self.text += min(text, measured_text) - text
        self._estimates.clear()


Measure = Callable[[], tuple[int, int, int]]


def refuse_entity_declarations(file: UploadedFile, part: bytes) -> None:
    """Raise CorruptFile for an XML part declaring entities: no spreadsheet program writes a
    DOCTYPE, and entities are how an XML "billion laughs" bomb expands."""
    if b"!" not in part:
        return  # every declaration has one, in any of these encodings: a quick way out
    utf16 = part[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in part[:4]
    suspect = b"<!" in part or (utf16 and b"<\x00!" in part)
    if suspect and any(marker in part for marker in _ENTITY_DECLARATIONS):
        raise CorruptFile(
            file.name,
            "contains XML entity declarations (a DOCTYPE), which spreadsheet programs never "
            "write, so it is not read.",
            _RESAVE,
        )


# --- xlsx -------------------------------------------------------------------------------------


def scan_xlsx_part(xml: bytes, strings: SharedStrings, budget: Budget) -> None:
    """Count a worksheet part's extent and the shared-string text its cells use (other parts:
    shared strings, styles, theme, relationships ... have no `sheetData` and are skipped)."""
    if b"sheetData" not in xml:
        return
    bounds = _claimed_bounds(xml)
    if bounds is not None and budget.fits(*bounds) and _within(xml, *bounds):
        # Every shared-string cell shows at most the longest string.
        text = len(xml) // _SMALLEST_SHARED_CELL * strings.longest
        budget.add_estimate(*bounds, text, lambda: measure_xlsx_part(xml, strings))
        return
    height, width, text = measure_xlsx_part(xml, strings)
    budget.add_sheet(height, width)
    budget.add_text(text)


def measure_xlsx_part(xml: bytes, strings: SharedStrings) -> tuple[int, int, int]:
    """A worksheet's extent (rows, columns) and the shared-string text its cells hold."""
    squeezed = _squeezed(xml)
    quick = None if squeezed is None else _quick_scan(squeezed, strings)
    return quick or _walked_scan(xml, strings)


def _claimed_bounds(xml: bytes) -> tuple[int, int] | None:
    """Rows and columns bounding the far corner the sheet claims, rounded up to what one
    pattern can check: rows to all nines (2754 to 9999), columns to the end of their first
    letter (AK to AZ); None when it claims none, or more than two letters of columns."""
    corners = []
    dimension = _DIMENSION.search(xml, 0, xml.find(b"sheetData"))
    last_cell = xml.rfind(_LAST_CELL)
    if dimension:
        corners.append(dimension.groups())
    if last_cell >= 0 and (position := _POSITION.match(xml, last_cell + len(_LAST_CELL))):
        corners.append(position.groups())
    if not corners:
        return None
    rows = max(int(row) for _, row in corners)
    columns = max(_column_number(letters) for letters, _ in corners)
    if columns > 26 * 27:
        return None
    return 10 ** len(str(rows)) - 1, columns if columns <= 26 else (columns - 1) // 26 * 26 + 26


def _within(xml: bytes, height: int, width: int) -> bool:
    """Whether every cell tag is written `<c r="B7" s="1" t="s">` (any attributes but r after
    the position, double quotes, single spaces) with a position within these bounds, from
    `_claimed_bounds`. Not for XML in UTF-16, whose tags these byte patterns cannot see."""
    if b"\x00" in xml or _PREFIXED_CELL.search(xml):
        return False
    if width <= 26:
        letters = b"[A-%c]" % (ord("A") + width - 1)
    else:  # two letters at most, the first no later than the one `width` ends with
        letters = b"[A-Z][A-Z]?+"
        if width < 26 * 27:
            letters += b"(?<![%c-Z][A-Z])" % (ord("A") + width // 26 - 1)
    rows = b"[0-9]{1,%d}+" % len(str(height))
    cell = b'<c(?! r="' + letters + rows + b'"' + _OTHER_ATTRIBUTES + rb")[\s>/]"
    return re.search(cell, xml) is None


def _squeezed(xml: bytes) -> bytes | None:
    """The sheet XML squeezed, when every cell opens with its position (`<c r="AB12"`) as all
    known writers write it; None when a cell without one, one written otherwise, or a prefixed
    tag needs a closer look."""
    normalised = xml.translate(_NORMALISE)
    if _PREFIXED_CELL.search(normalised) or _UNPOSITIONED_CELL.search(normalised):
        return None
    return normalised.replace(b" ", b"")


def _quick_scan(squeezed: bytes, strings: SharedStrings) -> tuple[int, int, int] | None:
    """The extent and the shared-string text, from a few quick scans; None when a shared-string
    cell holds more than its value and needs a closer look."""
    # A row number is written once per cell, a column once per row: converting the distinct
    # ones is enough.
    height = max(map(int, set(_ROW_NUMBER.findall(squeezed))), default=0)
    width = max(map(_column_number, set(_COLUMN.findall(squeezed))), default=0)
    used = _SHARED_CELL.findall(squeezed)
    if len(used) != squeezed.count(_SHARED_TYPE):
        return None
    return height, width, strings.text_of(map(int, used))


def _walked_scan(xml: bytes, strings: SharedStrings) -> tuple[int, int, int]:
    from defusedxml.ElementTree import iterparse  # rarely needed: 2 ms of imports saved at start

    height = width = row = column = 0
    uses: list[int] = []
    for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
        name = element.tag.rsplit("}", 1)[-1]
        if event == "end":
            if name == "c" and element.get("t") == "s":
                _count_shared_use(element, uses)
            elif name == "row":
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
    return height, width, strings.text_of(uses)


def _count_shared_use(cell: Element, uses: list[int]) -> None:
    for child in cell:
        index = (child.text or "").strip()
        if child.tag.rsplit("}", 1)[-1] == "v" and index.isdigit() and len(index) < 12:
            uses.append(int(index))


def _column_number(letters: bytes) -> int:
    if len(letters) > 4:
        return 26**4  # past any column limit
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - ord("A") + 1
    return number


# --- ods --------------------------------------------------------------------------------------


def scan_ods_content(xml: bytes, budget: Budget) -> None:
    """Walk an ods content.xml, counting each sheet's repeated rows and columns for its extent,
    and the text repeated cells (and `<text:s text:c="N"/>`, N spaces) would hold.

    Repeated empty rows and cells (LibreOffice writes a million of them after the data) do not
    count unless something filled follows them; that is what calamine unfolds."""
    from defusedxml.ElementTree import iterparse  # ods only: 2 ms of imports saved at start

    limits = budget.limits
    height = width = row = column = row_text = 0
    row_filled = False
    for event, element in iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{_TABLE}table":
                height = width = row = 0
            elif tag == f"{_TABLE}table-row":
                column, row_filled, row_text = 0, False, 0
            continue
        if tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            repeat = _repeat(element, "number-columns-repeated")
            if element.get(f"{_OFFICE}value-type") or len(element):
                width, row_filled = max(width, column + repeat), True
                row_text += _cell_text_size(element) * repeat
            column += repeat
            element.clear()
        elif tag == f"{_TABLE}table-row":
            repeat = _repeat(element, "number-rows-repeated")
            if row_filled:
                height = max(height, row + repeat)
                budget.add_text(row_text * repeat)
            row += repeat
            element.clear()
        elif tag == f"{_TABLE}table":
            budget.add_sheet(height, width)
            element.clear()
        if height > limits.max_rows or width > limits.max_columns:
            check_size(budget.file, height, width, limits)


def _repeat(element: Element, attribute: str) -> int:
    return int(element.get(f"{_TABLE}{attribute}", "1"))


def _cell_text_size(cell: Element) -> int:
    """An upper bound of the text calamine makes of one cell: its text, its attribute values,
    one character per element inside it, and the spaces each `<text:s text:c="N"/>` stands for."""
    size = sum(len(value) for value in cell.attrib.values())
    for inner in cell.iter():
        size += len(inner.text or "") + len(inner.tail or "") + 1
        if inner.tag == _TEXT_SPACES:
            count = inner.get("{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c", "1")
            if count.isdigit():
                size += int(count) if len(count) < 12 else 10**12
    return size
