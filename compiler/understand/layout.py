"""Finding where the results are in a workbook: the sheet, the header row, the platform that made
the export, and the columns that hold names, e-mails, scores and submission times.

Columns are chosen by exact header names first (the platform's own, then any export's), then by
header patterns, and only then by looking at a sample of the cells. Question columns (numbered,
long, `Points - <Q>`) are never taken for a score or a name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from operator import itemgetter

from compiler.errors import NoResultsFound, NoScoreColumn, quoted
from compiler.model import ColumnChoice, MaxSource, Platform, SkippedColumn, Table
from compiler.understand.headers import (
    CANVAS_META_ROWS,
    EMAIL_HEADERS,
    FIRST_NAME_HEADERS,
    FOOTER_LABELS,
    LAST_NAME_HEADERS,
    NAME_HEADERS,
    NOT_ROW_LABEL_STARTS,
    RESULT_SHEETS,
    SCORE_HEADERS,
    SCORE_WORDS,
    STATE_HEADERS,
    TIME_HEADERS,
    is_known_header,
    is_question,
    normalise_header,
    without_stated_maximum,
)
from compiler.understand.platforms import GENERIC_LAYOUT, PlatformLayout, recognise_layout
from compiler.understand.scores import header_maximum, looks_like_score

HEADER_SEARCH_ROWS = 20
CONTENT_SAMPLE_ROWS = 30

Row = Sequence[object]

_NAME_WORD = re.compile(r"\bnames?\b|\bnombre\b|\bnom\b")
_NOT_A_PERSON_NAME = re.compile(
    r"user|file|school|class|course|teacher|quiz|test|group|parent|guardian|father|mother|company"
)
_NAME_PART = re.compile(r"[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?")
_EMAIL_WORD = re.compile(r"e-?mail|correo|username")
_NOT_NAMES = frozenset({"true", "false", "yes", "no", "correct", "incorrect"})


@dataclass(frozen=True, slots=True)
class ScoreItem:
    """One test's score column in a table: a one-test export has one, a gradebook one per
    graded item. `stated_maximum` is what the header (or the platform) states, None if nothing;
    `points_possible` is the Canvas Points Possible cell under it."""

    column: int
    title: str | None = None
    holds_percents: bool = False  # known to hold percents (Canvas Final Score, D2L Percentage)
    stated_maximum: float | None = None
    max_source: MaxSource = MaxSource.HEADER
    points_possible: object = None
    weight: float | None = None
    category: str | None = None
    category_weight: float | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the results of one table are: header row, platform, columns, data rows."""

    sheet: str | None
    platform: Platform
    header_row: int  # 1-based
    headers: tuple[str, ...]
    items: tuple[ScoreItem, ...]  # the tests, in column order; empty: no score column
    description: PlatformLayout = GENERIC_LAYOUT
    name: int | None = None
    first_name: int | None = None
    last_name: int | None = None
    email: int | None = None
    person_id: int | None = None  # the platform's own id of a person
    email_is_login: bool = False  # the e-mail column is a login (Canvas SIS Login ID)
    maximum_column: int | None = None  # a column stating each row's maximum (Moodle)
    submitted_at: int | None = None
    state: int | None = None  # Moodle's attempt state
    percent_twin: int | None = None  # SurveyHeart's `Result`: the same scores as percents
    data_rows: tuple[tuple[int, Row], ...] = ()  # (1-based row number, cells)
    footer_rows: tuple[int, ...] = ()
    recognised_headers: int = 0
    skipped: tuple[SkippedColumn, ...] = ()  # grade-like columns that are not tests

    @property
    def score(self) -> int:
        """The first test's score column."""
        return self.items[0].column

    @property
    def has_identity(self) -> bool:
        """True when some column can say who a row belongs to."""
        columns = (self.name, self.first_name, self.last_name, self.email, self.person_id)
        return any(column is not None for column in columns)

    @property
    def name_is_last_first(self) -> bool:
        """Canvas writes `Student` as `Last, First`."""
        return self.description.names_are_last_first and self.name is not None

    def column_choice(self, item: ScoreItem | None = None) -> ColumnChoice:
        """The headers taken for each role, as written in the file (the score of `item`, by
        default the first test's)."""
        return ColumnChoice(
            name=self._header(self.name),
            first_name=self._header(self.first_name),
            last_name=self._header(self.last_name),
            email=self._header(self.email),
            score=self._header((item or self.items[0]).column) if self.items else None,
            submitted_at=self._header(self.submitted_at),
            person_id=self._header(self.person_id),
        )

    def _header(self, index: int | None) -> str | None:
        return None if index is None else self.headers[index]


def find_layout(tables: Sequence[Table], file_name: str) -> Layout:
    """Choose the table holding the results and describe its layout.

    A sheet named like a results sheet (Kahoot `Final Scores`, SurveyHeart `Responses`, Google
    `Form Responses 1`) wins when it has a score column and names people; otherwise the
    strongest sheet does (it names people, its platform is recognised, it has more known
    headers, then more rows).
    Raises NoResultsFound when no sheet has a score column or none names the participants.
    """
    layouts = [layout for table in tables if (layout := analyse_table(table)) is not None]
    candidates = [layout for layout in layouts if layout.items]
    if not candidates:
        if any(map(_has_score_like_column, layouts)):  # a score heading, but no scores
            raise NoResultsFound(file_name, *_no_score_column(layouts))
        raise NoScoreColumn(file_name, *_no_score_column(layouts))
    preferred = [
        layout for layout in candidates if layout.has_identity and _is_results_sheet(layout.sheet)
    ]
    chosen = max(preferred or candidates, key=_strength)
    if not chosen.has_identity:
        raise NoResultsFound(
            file_name,
            "no column holds the participants' names or e-mails; expected headers like Name, "
            "Full names, Email address.",
            "Collect names or e-mails in the quiz (or add a name column), export again and send "
            "it.",
        )
    if chosen.description.maximum_elsewhere is not None:
        chosen = _with_maximum_elsewhere(chosen, tables)
    return chosen


def _has_score_like_column(layout: Layout) -> bool:
    """True when a column is graded-looking (skipped as letters or text) or headed like a
    score: such a file is a test read wrong, never a class roster."""
    return bool(layout.skipped) or any(map(_is_score_heading, layout.headers))


def _is_score_heading(header: str) -> bool:
    bare = normalise_header(header)
    return bare in SCORE_HEADERS or SCORE_WORDS.search(bare) is not None


def _score_headed(layout: Layout) -> list[tuple[str, str]]:
    """Each column headed like a score, with what its first cells hold instead (`'B+', 'A'`,
    or `nothing`)."""
    found = []
    for index, header in enumerate(layout.headers):
        if not _is_score_heading(header):
            continue
        cells = [cell_at(row, index) for _, row in layout.data_rows[:CONTENT_SAMPLE_ROWS]]
        texts = list(
            dict.fromkeys(str(c).strip() for c in cells if c is not None and str(c).strip())
        )
        held = ", ".join(quoted(text, 20) for text in texts[:3]) if texts else "nothing"
        found.append((header, held))
    return found


def _no_score_column(layouts: Sequence[Layout]) -> tuple[str, str]:
    """The refusal of a file with no score column, naming the grade-like columns it has."""
    skipped = [column for layout in layouts for column in layout.skipped]
    headed = [found for layout in layouts for found in _score_headed(layout)]
    if not skipped and headed:
        listed = "; ".join(
            f"the column {quoted(header)} holds {held}" for header, held in headed[:4]
        )
        return (
            f"no column holds scores in points or percent ({listed}).",
            "Export the scores as points (or percentages), then send the file again.",
        )
    if not skipped:
        return (
            "no column looks like a score; expected headers like Score, Total Marks (N), "
            "Grade/10.00.",
            "Send the sheet with the quiz results, and check its score column has a heading.",
        )
    listed = "; ".join(f"{quoted(c.header)}: {c.why}" for c in skipped[:4])
    return (
        f"no column holds scores in points or percent (found {listed}).",
        "Export the grades as points (or percentages), then send the file again.",
    )


def _with_maximum_elsewhere(layout: Layout, tables: Sequence[Table]) -> Layout:
    """The layout with its one test's maximum taken from another sheet (Kahoot's Overview)."""
    find = layout.description.maximum_elsewhere
    maximum = find(tables) if find is not None else None
    if maximum is None or len(layout.items) != 1:
        return layout
    item = replace(layout.items[0], stated_maximum=maximum, max_source=MaxSource.QUESTIONS_PLAYED)
    return replace(layout, items=(item,))


def _is_results_sheet(sheet: str | None) -> bool:
    return sheet is not None and normalise_header(sheet).startswith(RESULT_SHEETS)


def _strength(layout: Layout) -> tuple[bool, bool, int, int]:
    return (
        layout.has_identity,
        layout.platform is not Platform.GENERIC,
        layout.recognised_headers,
        len(layout.data_rows),
    )


def analyse_table(table: Table) -> Layout | None:
    """Describe one table's layout; None when it has no header row. A layout without items
    has no score column (its `skipped` says which grade-like columns it has instead)."""
    header_index = find_header_row(table.rows)
    if header_index is None:
        return None
    headers = tuple(_header_text(cell) for cell in table.rows[header_index])
    normalised = [normalise_header(header) for header in headers]
    description = recognise_layout(normalised)
    platform = description.platform
    data, footers, points_row = _split_body(table.rows, header_index)
    sample = [row for _, row in data[:CONTENT_SAMPLE_ROWS]]
    items, skipped = _gradebook_items(headers, normalised, description, points_row)
    if not items and not _has_item_columns(normalised, description):
        items = _one_test(headers, normalised, description, sample, points_row)
    taken = {item.column for item in items}
    logins = {i for i, header in enumerate(normalised) if header in description.logins}
    person_id = _first_exact(normalised, description.person_ids, set())
    name, first, last = _choose_name(normalised, platform, sample, taken | logins)
    taken |= {column for column in (name, first, last) if column is not None}
    email = _choose_email(normalised, sample, taken)
    return Layout(
        sheet=table.sheet,
        platform=platform,
        header_row=header_index + 1,
        headers=headers,
        items=items,
        description=description,
        name=name,
        first_name=first,
        last_name=last,
        email=email,
        person_id=person_id,
        email_is_login=email is not None and normalised[email] in description.logins,
        maximum_column=_first_exact(normalised, (description.maximum_column or "",), taken),
        submitted_at=_first_exact(normalised, TIME_HEADERS, taken),
        state=_first_exact(normalised, STATE_HEADERS, taken)
        if platform is Platform.MOODLE
        else None,
        percent_twin=_first_exact(normalised, ("result",), taken)
        if platform is Platform.SURVEYHEART
        else None,
        data_rows=tuple(data),
        footer_rows=tuple(footers),
        recognised_headers=sum(is_known_header(header) for header in normalised),
        skipped=skipped,
    )


def cell_at(row: Row, index: int | None) -> object:
    """The cell at `index`, or None when the row is shorter (CSV rows can be ragged)."""
    if index is None or index >= len(row):
        return None
    return row[index]


def column_cells(rows: Sequence[Row], index: int | None) -> list[object]:
    """The cells at `index` of every row, None where a row is shorter or `index` is None."""
    if index is None:
        return [None] * len(rows)
    if rows and min(map(len, rows)) > index:
        return list(map(itemgetter(index), rows))
    return [cell_at(row, index) for row in rows]


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    return " ".join(str(cell).split())


# --- the header row -----------------------------------------------------------------------


def find_header_row(rows: Sequence[Row]) -> int | None:
    """The 0-based index of the header row among the first rows: the row made of text cells
    (at least two, no e-mail among them) that names the most known headers. Title lines and
    blank rows above it are skipped."""
    best_index, best_score = None, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [cell for cell in row if isinstance(cell, str) and cell.strip()]
        filled = sum(cell is not None for cell in row)
        if len(texts) < 2 or len(texts) < filled * 0.6 or any("@" in text for text in texts):
            continue
        known = sum(is_known_header(normalise_header(text)) for text in texts)
        score = known * 10 + len(texts)
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def _split_body(
    rows: Sequence[Row], header_index: int
) -> tuple[list[tuple[int, Row]], list[int], Row | None]:
    """Split the rows under the header into data rows, footer rows and Canvas' Points Possible
    row. Blank rows are dropped; everything from the first footer (`Overall average`,
    `Total`, ...) down is footer."""
    data: list[tuple[int, Row]] = []
    footers: list[int] = []
    points_possible: Row | None = None
    starts = NOT_ROW_LABEL_STARTS
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        # Most rows' first two cells are filled and neither can start a label: `_row_label`
        # would find them a data row from those two cells alone.
        first, second = row[:2] if len(row) > 1 else (None, None)
        if (
            not footers
            and first is not None
            and second is not None
            and (not isinstance(first, str) or first[:1] in starts)
            and (not isinstance(second, str) or second[:1] in starts)
        ):
            data.append((number, row))
            continue
        label = _row_label(row)
        if label is None:  # a blank row
            continue
        if footers:
            footers.append(number)
            continue
        if label in CANVAS_META_ROWS and not data:
            if label == "points possible":
                points_possible = row
        elif label in FOOTER_LABELS:
            footers.append(number)
        else:
            data.append((number, row))
    return data, footers, points_possible


def _row_label(row: Row) -> str | None:
    """None for a blank row (its cells empty or whitespace); otherwise the row's label when one
    of its first two filled cells is a footer or Canvas label, else ""."""
    filled = 0
    blank = True
    for cell in row:
        if cell is None:
            continue
        filled += 1
        if isinstance(cell, str):
            if filled <= 2 and cell[:1] not in NOT_ROW_LABEL_STARTS:
                label = normalise_header(cell).rstrip(":")
                if label in FOOTER_LABELS or label in CANVAS_META_ROWS:
                    return label
            blank = blank and not cell.strip()
        else:
            blank = False
        if filled >= 2 and not blank:
            return ""
    return None if blank else ""


# --- the columns --------------------------------------------------------------------------


def _first_exact(headers: Sequence[str], names: Sequence[str], taken: set[int]) -> int | None:
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        if header and index not in taken:
            positions.setdefault(header, index)
    for name in names:
        if name in positions:
            return positions[name]
    return None


def _column(sample: Sequence[Row], index: int) -> list[object]:
    return [value for row in sample if (value := cell_at(row, index)) is not None]


def _computed_why(header: str, description: PlatformLayout) -> str | None:
    """Why a column is computed by the platform (never a test), or None when it is not."""
    for pattern, why in description.computed:
        if pattern.fullmatch(header):
            return why
    return None


def _has_item_columns(headers: Sequence[str], description: PlatformLayout) -> bool:
    """True when the table has gradebook item columns (even if none holds points)."""
    items = description.items
    return items is not None and any(
        items.pattern.fullmatch(h) and _computed_why(h, description) is None for h in headers
    )


def _gradebook_items(
    headers: Sequence[str],
    normalised: Sequence[str],
    description: PlatformLayout,
    points_row: Row | None,
) -> tuple[tuple[ScoreItem, ...], tuple[SkippedColumn, ...]]:
    """A gradebook's graded items, each a test, and the grade-like columns that are not."""
    items: list[ScoreItem] = []
    skipped: list[SkippedColumn] = []
    for index, header in enumerate(normalised):
        why = _computed_why(header, description)
        possible = cell_at(points_row, index) if points_row is not None else None
        if why is None and isinstance(possible, str) and possible.strip().startswith("("):
            why = f"computed by the platform ({possible.strip()} in Points Possible)"
        if why is not None:
            skipped.append(SkippedColumn(headers[index], why))
            continue
        if description.items is None:
            continue
        match = description.items.pattern.fullmatch(headers[index].replace("\ufeff", ""))
        if match is not None:
            items.append(_item(index, match, description.items.percent_kinds, possible))
    return _without_twins(items, headers, skipped)


def _item(
    index: int, match: re.Match[str], percent_kinds: frozenset[str], possible: object
) -> ScoreItem:
    found = match.groupdict()
    percent = (found.get("kind") or "").casefold() in percent_kinds
    maximum = _number(found.get("max"))
    return ScoreItem(
        column=index,
        title=found["title"].strip(),
        holds_percents=percent,
        stated_maximum=None if percent or not maximum else maximum,
        points_possible=possible,
        weight=_number(found.get("weight")),
        category=(found.get("category") or "").strip() or None,
        category_weight=_number(found.get("category_weight")),
    )


def _number(text: str | None) -> float | None:
    return float(text) if text else None


def _without_twins(
    items: list[ScoreItem], headers: Sequence[str], skipped: list[SkippedColumn]
) -> tuple[tuple[ScoreItem, ...], tuple[SkippedColumn, ...]]:
    """One test per item: an item exported both in points and in percent (Moodle's `(Real)`
    and `(Percentage)` of one title) is the percent one, which states its maximum. Items that
    only share a title are kept."""
    in_percent = {(i.title or "").casefold(): i for i in items if i.holds_percents}
    kept = []
    for item in items:
        twin = None if item.holds_percents else in_percent.get((item.title or "").casefold())
        if twin is None:
            kept.append(item)
        else:
            why = f"the same item as {quoted(headers[twin.column])}"
            skipped.append(SkippedColumn(headers[item.column], why))
    return tuple(kept), tuple(skipped)


def _one_test(
    headers: Sequence[str],
    normalised: Sequence[str],
    description: PlatformLayout,
    sample: Sequence[Row],
    points_row: Row | None,
) -> tuple[ScoreItem, ...]:
    """The score column of a one-test export, as one item; () when there is none."""
    score = _choose_score(normalised, description, sample)
    if score is None:
        return ()
    index, holds_percents = score
    stated = header_maximum(headers[index]) if description.header_states_maximum else None
    return (
        ScoreItem(
            column=index,
            holds_percents=holds_percents,
            stated_maximum=stated,
            points_possible=cell_at(points_row, index) if points_row is not None else None,
        ),
    )


def _choose_score(
    headers: Sequence[str], description: PlatformLayout, sample: Sequence[Row]
) -> tuple[int, bool] | None:
    for pattern, holds_percents in description.scores:
        for index, header in enumerate(headers):
            if pattern.fullmatch(header):
                return index, holds_percents
    ranked: list[tuple[int, int]] = []
    for index, header in enumerate(headers):
        if not header or is_question(header) or _computed_why(header, description):
            continue
        bare = without_stated_maximum(header)
        if bare in SCORE_HEADERS:
            rank = SCORE_HEADERS.index(bare)
        elif SCORE_WORDS.search(header):
            rank = len(SCORE_HEADERS)
        else:
            continue
        if _holds_scores(_column(sample, index)):
            ranked.append((rank, index))
    return (min(ranked)[1], False) if ranked else None


def _holds_scores(values: Sequence[object]) -> bool:
    readable = sum(looks_like_score(value) for value in values)
    return readable >= 0.6 * len(values)


def _choose_name(
    headers: Sequence[str], platform: Platform, sample: Sequence[Row], taken: set[int]
) -> tuple[int | None, int | None, int | None]:
    """(name, first name, last name) columns: one name column, or first + last; in a
    hand-made sheet, failing any name header, a column of distinct two-to-six-word names."""
    name = _first_exact(headers, NAME_HEADERS, taken)
    if name is not None:
        return name, None, None
    first = _first_exact(headers, FIRST_NAME_HEADERS, taken)
    last = _first_exact(headers, LAST_NAME_HEADERS, taken)
    if first is not None or last is not None:
        return None, first, last
    for index, header in enumerate(headers):
        if (
            index not in taken
            and _NAME_WORD.search(header)
            and not _NOT_A_PERSON_NAME.search(header)
            and not is_question(header)
            and _holds_names(_column(sample, index))
        ):
            return index, None, None
    if platform is not Platform.GENERIC:
        return None, None, None  # a platform's name column has a known or a "name" header
    for index, header in enumerate(headers):
        if index not in taken and not is_question(header):
            values = _column(sample, index)
            distinct = len({str(value).casefold() for value in values})
            if _holds_names(values, min_words=2) and distinct >= 0.8 * len(values):
                return index, None, None
    return None, None, None


def _holds_names(values: Sequence[object], min_words: int = 1) -> bool:
    if not values:
        return False
    names = sum(_looks_like_name(value, min_words) for value in values)
    return names >= 0.6 * len(values)


def _looks_like_name(value: object, min_words: int) -> bool:
    if not isinstance(value, str) or value.strip().casefold() in _NOT_NAMES:
        return False
    words = value.replace(",", " ").split()
    return min_words <= len(words) <= 6 and all(_NAME_PART.fullmatch(word) for word in words)


def _choose_email(headers: Sequence[str], sample: Sequence[Row], taken: set[int]) -> int | None:
    exact = _first_exact(headers, EMAIL_HEADERS, taken)
    if exact is not None:
        return exact
    for index, header in enumerate(headers):
        if index not in taken and _EMAIL_WORD.search(header):
            values = _column(sample, index)
            if not values or _holds_emails(values):
                return index
    for index in range(len(headers)):
        if index not in taken:
            values = _column(sample, index)
            if values and _holds_emails(values):
                return index
    return None


def _holds_emails(values: Sequence[object]) -> bool:
    addresses = sum(isinstance(value, str) and "@" in value for value in values)
    return addresses >= 0.5 * len(values)
