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
from compiler.headers import IN_PROGRESS_STATES
from compiler.layout import Layout, Row, cell_at, find_layout
from compiler.model import (
    Export,
    Limits,
    MaxSource,
    Platform,
    Problem,
    Submission,
    UploadedFile,
)
from compiler.reading import DEFAULT_LIMITS, read_tables
from compiler.scores import (
    CellScore,
    ScoreColumn,
    format_number,
    parse_score_cell,
    read_score_column,
)
from compiler.times import parse_times

ANONYMOUS = "anonymous"
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
        [cell_at(row, layout.score) for row in rows],
        percent_header=layout.score_is_percent,
        points_possible=layout.points_possible,
        header_may_state_maximum=layout.platform is not Platform.CANVAS,
    )
    times: Sequence[datetime | None] = (
        parse_times([cell_at(row, layout.submitted_at) for row in rows])
        if layout.submitted_at is not None
        else [None] * len(rows)
    )
    collector = _SubmissionCollector(file.name, layout, scores)
    if disagreement := _maximum_disagreeing_with_percents(file.name, layout, rows, scores):
        collector.problems.append(disagreement)
    for (number, row), cell, when in zip(layout.data_rows, scores.cells, times, strict=True):
        collector.add(number, row, cell, when)
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
    for row, cell in zip(rows, scores.cells, strict=True):
        if len(implied) == _PERCENT_CHECK_SAMPLE:
            break
        percent = parse_score_cell(cell_at(row, layout.percent_twin))
        if cell.points and percent.kind == "percent" and percent.points:
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

    def add(self, row_number: int, row: Row, cell: CellScore, when: datetime | None) -> None:
        """Keep the row as a submission, or count it rejected, noting what was odd."""
        name, email, anonymous = _identity(self.layout, row)
        if name is None and email is None:
            self._reject(row_number, cell, anonymous)
            return
        if self.layout.name_is_last_first and name and name.casefold() == "test student":
            self.rejected += 1
            self._note(
                row_number, None, "test-student", "Canvas' built-in Test Student", "left out"
            )
            return
        person = name or email
        state = _text(cell_at(row, self.layout.state))
        if state is not None and state.casefold() in IN_PROGRESS_STATES:
            self._note_in_progress(row_number, person, state, cell)
            cell = CellScore(points=None, kind="no-score", text=state)
        else:
            self._check_cell(row_number, person, cell)
        self.submissions.append(
            Submission(
                row=row_number,
                name=name,
                email=email,
                points=cell.points,
                out_of=cell.out_of if cell.has_score else None,
                no_score=None if cell.has_score else cell.text,
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

    def _check_cell(self, row_number: int, person: str | None, cell: CellScore) -> None:
        if cell.kind == "unreadable":
            self._note(
                row_number,
                person,
                "unreadable-score",
                f"the score cell says {quoted(cell.text)}, which is not a score",
                "counted as no score for this test",
            )
        elif not cell.has_score:
            what = "is blank" if cell.kind == "blank" else f"says {quoted(cell.text)}"
            self._note(
                row_number, person, "no-score", f"the score cell {what}", "counted as no score"
            )
        elif cell.points is not None and cell.points < 0:
            self._note(
                row_number,
                person,
                "negative-score",
                f"a negative score ({format_number(cell.points)})",
                "kept as read; check the file",
            )
        else:
            maximum = cell.out_of if cell.out_of is not None else self.scores.out_of
            if maximum is not None and cell.points is not None and cell.points > maximum:
                self._note(
                    row_number,
                    person,
                    "score-above-maximum",
                    f"score {format_number(cell.points)} is above the maximum "
                    f"{format_number(maximum)}",
                    "kept as read; check the file",
                )

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


def _identity(layout: Layout, row: Row) -> tuple[str | None, str | None, bool]:
    """(name, e-mail, anonymous): the person's name as "First Last", the e-mail cell untouched;
    Microsoft Forms' `anonymous` stands for no name and no e-mail."""
    if layout.name is not None:
        name = _text(cell_at(row, layout.name))
        if name and layout.name_is_last_first:
            name = _first_last(name)
    else:
        parts = (_text(cell_at(row, layout.first_name)), _text(cell_at(row, layout.last_name)))
        name = " ".join(part for part in parts if part) or None
    email_cell = cell_at(row, layout.email)
    email = email_cell if isinstance(email_cell, str) else _text(email_cell)
    if email is not None and not email.strip():
        email = None
    anonymous = False
    if name is not None and name.casefold() == ANONYMOUS:
        name, anonymous = None, True
    if email is not None and email.strip().casefold() == ANONYMOUS:
        email, anonymous = None, True
    return name, email, anonymous


def _first_last(name: str) -> str:
    """Canvas' `Last, First` as `First Last`."""
    last, comma, first = name.partition(",")
    if not comma or not first.strip():
        return name
    return f"{first.strip()} {last.strip()}"


def _text(value: object) -> str | None:
    """A cell as display text, whitespace collapsed; None when blank."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = " ".join(str(value).split())
    return text or None
