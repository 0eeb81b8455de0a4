"""The compiler's intake: one uploaded file's bytes in, one `Export` out.

Reading (format, limits, cells), layout (sheet, header, platform, columns) and scores (cells and
their maximum) are combined here into submissions, and everything odd on the way becomes a
`Problem` a teacher can read. E-mails are left exactly as written: identity resolution decides
what they mean.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Sequence
from datetime import datetime

from compiler.errors import NoResultsFound, quoted
from compiler.model import (
    Export,
    Limits,
    MaxSource,
    Platform,
    Problem,
    Submission,
    UploadedFile,
)
from compiler.read.tables import DEFAULT_LIMITS, read_tables
from compiler.understand.headers import IN_PROGRESS_STATES
from compiler.understand.layout import Layout, Row, column_cells, find_layout
from compiler.understand.scores import (
    CellScore,
    ScoreColumn,
    format_number,
    parse_score_cell,
    read_score_column,
)
from compiler.understand.times import parse_times

ANONYMOUS = "anonymous"
_Note = tuple[str, str, str]  # a problem's kind, what was found, what was done
_PERCENT_CHECK_SAMPLE = 200  # scores compared with their percents to check the maximum


def read_export(file: UploadedFile, limits: Limits = DEFAULT_LIMITS) -> Export:
    """Parse one uploaded export into an `Export`: its platform, columns, maximum and one
    `Submission` per row that belongs to a person (1-based source row numbers).

    Raises the `compiler.errors.ExportError` subclasses: UnsupportedFormat, CorruptFile,
    FileTooLarge, or NoResultsFound when no score column, no name/e-mail column or no data
    rows are found.
    """
    layout = find_layout(read_tables(file, limits), file.name)
    if len(layout.assignments) > 1:
        listed = ", ".join(map(quoted, layout.assignments[:4])) + (
            ", ..." if len(layout.assignments) > 4 else ""
        )
        raise NoResultsFound(
            file.name,
            f"is a Canvas gradebook with {len(layout.assignments)} assignments ({listed}); "
            "I read one test per file.",
            "In Canvas, filter the gradebook to one assignment and export it, once per test "
            "(or delete the other assignment columns), then send each file.",
        )
    if not layout.data_rows:
        where = f" of the sheet {quoted(layout.sheet)}" if layout.sheet else ""
        raise NoResultsFound(
            file.name,
            f"has a header row (row {layout.header_row}{where}) but no results under it.",
            "Export the results again after people have taken the quiz.",
        )
    rows = [row for _, row in layout.data_rows]
    scores = read_score_column(
        layout.headers[layout.score],
        column_cells(rows, layout.score),
        percent_header=layout.score_is_percent,
        points_possible=layout.points_possible,
        header_may_state_maximum=layout.platform is not Platform.CANVAS,
    )
    times: Sequence[datetime | None] = (
        parse_times(column_cells(rows, layout.submitted_at))
        if layout.submitted_at is not None
        else [None] * len(rows)
    )
    collector = _SubmissionCollector(file.name, layout, scores)
    if disagreement := _maximum_disagreeing_with_percents(file.name, layout, rows, scores):
        collector.problems.append(disagreement)
    collector.add_rows(rows, times)
    if not collector.submissions:
        raise NoResultsFound(
            file.name,
            f"has {len(rows)} rows under the header, but none names a person.",
            "Check the name and e-mail columns are filled in, then send it again.",
        )
    return Export(
        file_name=file.name,
        sha256=hashlib.sha256(file.data).hexdigest(),
        platform=layout.platform,
        sheet=layout.sheet,
        header_row=layout.header_row,
        columns=layout.column_choice(),
        out_of=scores.out_of,
        max_source=scores.source,
        submissions=tuple(collector.submissions),
        rows_read=len(rows),
        rows_rejected=collector.rejected,
        problems=tuple(collector.problems),
    )


def _maximum_disagreeing_with_percents(
    file_name: str, layout: Layout, rows: Sequence[Row], scores: ScoreColumn
) -> Problem | None:
    """SurveyHeart writes each score twice, as marks (`Total Marks (17)`) and as a percent
    (`Result`): the maximum those percents imply should be the header's."""
    if layout.percent_twin is None or scores.source is not MaxSource.HEADER or not scores.out_of:
        return None
    implied: list[float] = []
    percents: dict[str, CellScore] = {}  # only text reads as a percent; percents repeat
    for cell, value in zip(scores.cells, column_cells(rows, layout.percent_twin), strict=True):
        if len(implied) == _PERCENT_CHECK_SAMPLE:
            break
        if not cell.points or not isinstance(value, str):
            continue
        if (percent := percents.get(value)) is None:
            percent = percents[value] = parse_score_cell(value)
        if percent.kind == "percent" and percent.points:
            implied.append(cell.points * 100 / percent.points)
    if not implied:
        return None
    maximum = statistics.median(implied)
    if abs(maximum - scores.out_of) <= 0.02 * scores.out_of:  # percents are rounded
        return None
    twin = quoted(layout.headers[layout.percent_twin])
    return Problem(
        kind="maximum-disagrees",
        found=f"the header says out of {format_number(scores.out_of)} but the percentages in "
        f"{twin} mean out of {format_number(round(maximum, 1))}",
        action="the header's maximum is used; check the file",
        file=file_name,
    )


class _SubmissionCollector:
    """Turns data rows into submissions, counting rejected rows and noting problems."""

    def __init__(self, file_name: str, layout: Layout, scores: ScoreColumn) -> None:
        self.file_name = file_name
        self.layout = layout
        self.scores = scores
        self.submissions: list[Submission] = []
        self.rejected = 0
        self.problems: list[Problem] = [
            Problem(kind=note.kind, found=note.found, action=note.action, file=file_name)
            for note in scores.notes
        ]

    def add_rows(self, rows: Sequence[Row], times: Sequence[datetime | None]) -> None:
        """Keep each data row as a submission, or count it rejected, noting what was odd."""
        layout = self.layout
        numbers = [number for number, _ in layout.data_rows]
        names, emails, anonymous = _identities(layout, rows, numbers)
        states = (
            _texts(column_cells(rows, layout.state))
            if layout.state is not None
            else [None] * len(rows)
        )
        last_first = layout.name_is_last_first
        keep = self.submissions.append
        cells, problems = self.scores.cells, self._cell_problems()
        rows_read = zip(numbers, names, emails, states, cells, problems, times, strict=True)
        for number, name, email, state, cell, problem, when in rows_read:
            if name is None and email is None:
                self._reject(number, cell, number in anonymous)
                continue
            if last_first and name and name.casefold() == "test student":
                self.rejected += 1
                self._note(
                    number, None, "test-student", "Canvas' built-in Test Student", "left out"
                )
                continue
            if state is not None and state.casefold() in IN_PROGRESS_STATES:
                self._note_in_progress(number, name or email, state, cell)
                cell = CellScore(points=None, kind="no-score", text=state)
            elif problem:
                self._note(number, name or email, *problem)
            scored = cell.points is not None
            keep(
                Submission(
                    row=number,
                    name=name,
                    email=email,
                    points=cell.points,
                    out_of=cell.out_of if scored else None,
                    no_score=None if scored else cell.text,
                    submitted_at=when,
                )
            )

    def _reject(self, row_number: int, cell: CellScore, anonymous: bool) -> None:
        """A row that names nobody cannot join anyone's results; it is reported, not hidden."""
        self.rejected += 1
        found = "an anonymous response" if anonymous else "a row with no name and no e-mail"
        if cell.has_score:
            found += f" (score {format_number(cell.points)})"
        kind = "anonymous-response" if anonymous else "unidentified-row"
        self._note(row_number, None, kind, found, "left out of Results: it names nobody")

    def _note_in_progress(
        self, row_number: int, person: str | None, state: str, cell: CellScore
    ) -> None:
        grade = format_number(cell.points) if cell.has_score else quoted(cell.text)
        self._note(
            row_number,
            person,
            "attempt-in-progress",
            f"an attempt still '{state}' (grade cell: {grade})",
            "its score is not counted, since it may be incomplete; a finished attempt counts",
        )

    def _cell_problems(self) -> list[_Note | None]:
        """What is odd about each score cell. Equal cells are one object (read_score_column
        reads each distinct cell once), so each is judged once."""
        cells = self.scores.cells
        distinct = dict(zip(map(id, cells), cells, strict=True))
        problems = {key: self._cell_problem(cell) for key, cell in distinct.items()}
        return list(map(problems.__getitem__, map(id, cells)))

    def _cell_problem(self, cell: CellScore) -> _Note | None:
        """What is odd about a score cell: (kind, found, action), None when nothing is."""
        if cell.kind == "unreadable":
            return (
                "unreadable-score",
                f"the score cell says {quoted(cell.text)}, which is not a score",
                "counted as no score for this test",
            )
        if cell.points is None:
            what = "is blank" if cell.kind == "blank" else f"says {quoted(cell.text)}"
            return "no-score", f"the score cell {what}", "counted as no score"
        if cell.points < 0:
            return (
                "negative-score",
                f"a negative score ({format_number(cell.points)})",
                "kept as read; check the file",
            )
        maximum = cell.out_of if cell.out_of is not None else self.scores.out_of
        if maximum is not None and cell.points > maximum:
            return (
                "score-above-maximum",
                f"score {format_number(cell.points)} is above the maximum {format_number(maximum)}",
                "kept as read; check the file",
            )
        return None

    def _note(
        self, row_number: int, person: str | None, kind: str, found: str, action: str
    ) -> None:
        self.problems.append(
            Problem(
                kind=kind,
                found=found,
                action=action,
                file=self.file_name,
                row=row_number,
                person=person,
            )
        )


def _identities(
    layout: Layout, rows: Sequence[Row], numbers: Sequence[int]
) -> tuple[list[str | None], list[str | None], set[int]]:
    """Each row's name as "First Last" and e-mail cell untouched, and the numbers of the rows
    Microsoft Forms marks `anonymous` (standing for no name and no e-mail)."""
    if layout.name is not None:
        names = _texts(column_cells(rows, layout.name))
        if layout.name_is_last_first:
            names = [_first_last(name) if name else name for name in names]
    else:
        firsts = _texts(column_cells(rows, layout.first_name))
        lasts = _texts(column_cells(rows, layout.last_name))
        names = [
            " ".join(part for part in parts if part) or None
            for parts in zip(firsts, lasts, strict=True)
        ]
    emails = [
        cell if type(cell) is str and cell.strip() else _email(cell)
        for cell in column_cells(rows, layout.email)
    ]
    anonymous = _take_anonymous(names) | _take_anonymous(emails)
    return names, emails, {numbers[position] for position in anonymous}


def _take_anonymous(texts: list[str | None]) -> set[int]:
    """Blank out the texts that say `anonymous` (any case, spaces around), and say where they
    were. Names have no spaces around them already."""
    # Case folding never shortens a text: if every text is longer, none says `anonymous`.
    if min(map(len, map(str.strip, filter(None, texts))), default=0) > len(ANONYMOUS):
        return set()
    found = {
        position
        for position, text in enumerate(texts)
        if text is not None and text.strip().casefold() == ANONYMOUS
    }
    for position in found:
        texts[position] = None
    return found


def _email(cell: object) -> str | None:
    """The e-mail cell untouched, None when blank."""
    email = cell if isinstance(cell, str) else _text(cell)
    if email is not None and not email.strip():
        return None
    return email


def _first_last(name: str) -> str:
    """Canvas' `Last, First` as `First Last`."""
    last, comma, first = name.partition(",")
    if not comma or not first.strip():
        return name
    return f"{first.strip()} {last.strip()}"


def _texts(values: Sequence[object]) -> list[str | None]:
    """`_text` of every cell."""
    return [
        " ".join(value.split()) or None if type(value) is str else _text(value) for value in values
    ]


def _text(value: object) -> str | None:
    """A cell as display text, whitespace collapsed; None when blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = " ".join(str(value).split())
    return text or None
