"""Reading score cells, and finding a score column's maximum in the order docs/formats.md gives:
the cell itself (`8 / 10`), a percent, the header (`Total Marks (17)`), a Points Possible row,
otherwise unknown. Raw points are never taken for percents.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from compiler.errors import quoted
from compiler.model import MaxSource

ScoreKind = Literal["number", "fraction", "percent", "no-score", "blank", "unreadable"]

# Cells that say "no score here": excused, not graded yet, absent, not assigned.
NO_SCORE_TEXTS = frozenset(
    {
        "-",
        "–",
        "—",
        "--",
        "not yet graded",
        "requires grading",
        "needs grading",
        "ex",
        "excused",
        "n/a",
        "na",
        "absent",
        "abs",
        "not attempted",
        "not submitted",
    }
)
PERCENT_WORDS = ("percent", "percentage", "porcentaje", "pourcentage", "percentual", "prozent")

_NUM = r"[-+]?\d+(?:[.,]\d+)?"
_FRACTION = re.compile(rf"({_NUM})\s*(?:/|out of|of|de|sur|von|di)\s*({_NUM})", re.IGNORECASE)
_PERCENT = re.compile(rf"({_NUM})\s*%")
_NUMBER = re.compile(_NUM)
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_HEADER_MAXIMA = (
    # Total Marks (17), Score (out of 20), Total points (max 25), Points (20 pts)
    re.compile(
        r"\(\s*(?:out\s+of|max(?:imum)?\.?:?|of|/)?\s*(\d+(?:[.,]\d+)?)\s*"
        r"(?:marks?|points?|pts\.?)?\s*\)",
        re.IGNORECASE,
    ),
    re.compile(r"/\s*(\d+(?:[.,]\d+)?)\s*$"),  # Grade/10.00, Marks /20
    re.compile(r"\bout\s+of\s+(\d+(?:[.,]\d+)?)", re.IGNORECASE),  # Score out of 20
)


@dataclass(frozen=True, slots=True)
class CellScore:
    """One score cell as read. `text` is the cell's own text when it holds no score."""

    points: float | None
    out_of: float | None = None
    kind: ScoreKind = "number"
    text: str | None = None

    @property
    def has_score(self) -> bool:
        return self.points is not None


@dataclass(frozen=True, slots=True)
class ColumnNote:
    """Something odd about a whole score column, worded for the Issues sheet."""

    kind: str
    found: str
    action: str


@dataclass(frozen=True, slots=True)
class ScoreColumn:
    """A score column read whole: its cells, its maximum, where the maximum came from."""

    cells: tuple[CellScore, ...]
    out_of: float | None
    source: MaxSource
    notes: tuple[ColumnNote, ...] = ()


BLANK = CellScore(points=None, kind="blank", text="blank")


def parse_score_cell(value: object, *, decimal_comma: bool = False) -> CellScore:
    """Read one cell: a number, `8 / 10`, `8 out of 10`, `76.5%`, a no-score word or blank.

    `decimal_comma` says the column writes `8,5` for eight and a half (otherwise `1,500` with
    three digits after the comma is read as fifteen hundred).
    """
    if value is None:
        return BLANK
    if isinstance(value, bool):
        return _unreadable(str(value))
    if isinstance(value, int | float):
        number = float(value)
        return CellScore(points=number) if math.isfinite(number) else _unreadable(str(value))
    if not isinstance(value, str):
        return _unreadable(str(value))
    text = value.strip()
    if not text:
        return BLANK
    if text.casefold() in NO_SCORE_TEXTS:
        return CellScore(points=None, kind="no-score", text=text)
    return _parse_text(text, decimal_comma)


def _parse_text(text: str, decimal_comma: bool) -> CellScore:
    if match := _FRACTION.fullmatch(text):
        points, out_of = _decimal(match[1]), _decimal(match[2])
        if 0 < out_of < math.inf and math.isfinite(points):
            return CellScore(points=points, out_of=out_of, kind="fraction")
    elif (match := _PERCENT.fullmatch(text)) and math.isfinite(_decimal(match[1])):
        return CellScore(points=_decimal(match[1]), out_of=100.0, kind="percent")
    elif _NUMBER.fullmatch(text) or _THOUSANDS.fullmatch(text):
        number = _number(text, decimal_comma)
        if math.isfinite(number):
            return CellScore(points=number)
    return _unreadable(text)


def _unreadable(text: str) -> CellScore:
    return CellScore(points=None, kind="unreadable", text=text)


def _decimal(text: str) -> float:
    """A number inside a fraction or a percent: a comma there is always a decimal comma."""
    return float(text.replace(",", "."))


def _number(text: str, decimal_comma: bool) -> float:
    if "," in text and not decimal_comma and _THOUSANDS.fullmatch(text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def uses_decimal_comma(values: Sequence[object]) -> bool:
    """True when some plain number in the column can only be read with a decimal comma
    (`8,5`, `85,25`), so that `1,500` in the same column is one and a half."""
    for value in values:
        if isinstance(value, str) and "," in value:
            text = value.strip()
            if _NUMBER.fullmatch(text) and not _THOUSANDS.fullmatch(text):
                return True
    return False


def header_maximum(header: str) -> float | None:
    """The maximum a header states: `Total Marks (17)`, `Grade/10.00`, `Score (out of 20)`,
    `Marks /20`, `Total points (max 25)`; None when it states none."""
    for pattern in _HEADER_MAXIMA:
        if match := pattern.search(header):
            maximum = _decimal(match[1])
            # `Total Marks (999...)` of hundreds of digits is infinity: no maximum at all.
            return maximum if 0 < maximum < math.inf else None
    return None


def header_says_percent(header: str) -> bool:
    """True for `%`, `Score %`, `Percentage` and the like."""
    lowered = header.casefold()
    return "%" in lowered or any(word in lowered for word in PERCENT_WORDS)


def looks_like_score(value: object) -> bool:
    """True when a cell could sit in a score column (a score, a no-score word, or blank)."""
    return parse_score_cell(value).kind != "unreadable"


def read_score_column(
    header: str,
    values: Sequence[object],
    *,
    percent_header: bool = False,
    points_possible: object = None,
    header_may_state_maximum: bool = True,
    stated_maximum: float | None = None,
    stated_source: MaxSource = MaxSource.HEADER,
    row_maxima: Sequence[object] | None = None,
) -> ScoreColumn:
    """Read a score column and decide its maximum, in order: the cells (`8 / 10`), a percent
    (cells with `%`, a header that says percent, or `percent_header` for a header known to hold
    percents such as Canvas `Final Score`), the header (`Total Marks (17)`) or what the layout
    states (`stated_maximum`, from `stated_source`: Blackboard's `[Total Pts: 10 Score]`,
    Kahoot's questions played), a maximum column (`row_maxima`, each row's own: Moodle's
    `Maximum Grade`), the `points_possible` cell (Canvas), otherwise unknown.
    `header_may_state_maximum=False` is for layouts whose headers hold ids, not maxima
    (Canvas `Quiz 1 (1234)`), or whose maximum the layout already read."""
    decimal_comma = uses_decimal_comma(values)
    cells, kinds = _read_cells(values, decimal_comma)
    stated = header_maximum(header) if header_may_state_maximum else None
    if stated is None and stated_maximum is not None:
        stated = stated_maximum
    else:
        stated_source = MaxSource.HEADER
    if "fraction" in kinds:
        fraction_maxima = Counter(cell.out_of for cell in cells if cell.kind == "fraction")
        return _maximum_from_cells(cells, fraction_maxima, stated)
    if percent_header or header_says_percent(header) or "percent" in kinds:
        return _as_percents(cells, header, may_be_fractions=not percent_header)
    if stated is not None:
        return ScoreColumn(tuple(cells), stated, stated_source)
    if row_maxima is not None and (by_row := _maximum_by_row(cells, row_maxima)) is not None:
        return by_row
    possible = parse_score_cell(points_possible, decimal_comma=decimal_comma)
    if possible.kind == "number" and possible.points is not None and possible.points > 0:
        return ScoreColumn(tuple(cells), possible.points, MaxSource.POINTS_POSSIBLE)
    return ScoreColumn(tuple(cells), None, MaxSource.UNKNOWN)


def _maximum_by_row(cells: list[CellScore], maxima: Sequence[object]) -> ScoreColumn | None:
    """Each score out of its own row's maximum (Moodle's `Maximum Grade` column); None when
    no scored row states one."""
    read = [parse_score_cell(value) for value in maxima]
    out: list[CellScore] = []
    found: Counter[float | None] = Counter()
    for cell, maximum in zip(cells, read, strict=True):
        if cell.kind == "number" and maximum.kind == "number" and (maximum.points or 0) > 0:
            cell = replace(cell, out_of=maximum.points)
            found[maximum.points] += 1
        out.append(cell)
    if not found:
        return None
    column = _maximum_from_cells(out, found, None)
    return replace(column, source=MaxSource.MAXIMUM_COLUMN)


def _read_cells(values: Sequence[object], decimal_comma: bool) -> tuple[list[CellScore], set[str]]:
    """Every cell read, each distinct cell once (scores repeat: a test of 15 marks has 16
    scores), and the kinds of cell found. Plain cells are hashable; a cell is keyed with its
    type, since True, 1 and 1.0 are equal but read differently; zeros are read afresh, since
    0.0 and -0.0 are equal but keep their sign."""
    known: dict[tuple[type, object], CellScore] = {}
    cells: list[CellScore] = []
    kinds: set[str] = set()
    for value in values:
        key = (type(value), value)
        cell = known.get(key)
        if cell is None:
            cell = parse_score_cell(value, decimal_comma=decimal_comma)
            kinds.add(cell.kind)
            if value != 0:
                known[key] = cell
        cells.append(cell)
    return cells, kinds


def _maximum_from_cells(
    cells: list[CellScore], maxima: Counter[float | None], stated: float | None
) -> ScoreColumn:
    out_of = maxima.most_common(1)[0][0]
    notes: list[ColumnNote] = []
    if len(maxima) > 1:
        listed = ", ".join(format_number(m) for m in sorted(m for m in maxima if m is not None))
        notes.append(
            ColumnNote(
                "mixed-maximum",
                f"the score cells give different maxima ({listed})",
                "each score is taken out of the maximum in its own cell",
            )
        )
    if stated is not None and stated != out_of:
        notes.append(
            ColumnNote(
                "maximum-disagrees",
                f"the header says out of {format_number(stated)} but the cells say out of "
                f"{format_number(out_of)}",
                "the maximum in the cells is used",
            )
        )
    return ScoreColumn(tuple(cells), out_of, MaxSource.CELL, tuple(notes))


def _as_percents(cells: list[CellScore], header: str, *, may_be_fractions: bool) -> ScoreColumn:
    numbers = [cell.points for cell in cells if cell.kind == "number" and cell.points is not None]
    notes: tuple[ColumnNote, ...] = ()
    scale = 1.0
    # A cell formatted as a percentage stores 0.85 for 85%; the format is lost on reading.
    # Beside percent texts (`85%`), such a number is one too when those texts are above 1%.
    texts = [cell.points for cell in cells if cell.kind == "percent" and cell.points is not None]
    if (
        may_be_fractions
        and numbers
        and (not texts or max(texts) > 1)
        and all(0 <= n <= 1 for n in numbers)
        and max(numbers) > 0
    ):
        scale = 100.0
        notes = (
            ColumnNote(
                "percent-as-fraction",
                f"the column {quoted(header)} holds percentages written as fractions (like 0.85)",
                "they are read as percentages (0.85 is 85%)",
            ),
        )
    converted = tuple(
        replace(cell, points=cell.points * scale, out_of=100.0, kind="percent")
        if cell.kind == "number" and cell.points is not None
        else cell
        for cell in cells
    )
    return ScoreColumn(converted, 100.0, MaxSource.PERCENT, notes)


def format_number(value: float | None) -> str:
    """`17` for 17.0, `8.5` for 8.5: numbers as a teacher writes them."""
    if value is None:
        return "?"
    return str(int(value)) if value.is_integer() else f"{value:g}"
