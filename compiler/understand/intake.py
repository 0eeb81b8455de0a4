"""The compiler's intake: one uploaded file's bytes in, its tests out (one `Export` each).

Reading (format, limits, cells), layout (sheet, header, platform, columns) and scores (cells and
their maximum) are combined here into submissions, and everything odd on the way becomes a
`Problem` a teacher can read. E-mails are left exactly as written: identity resolution decides
what they mean.
"""

from __future__ import annotations

import dataclasses
import hashlib
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from compiler.errors import NoResultsFound, quoted
from compiler.model import (
    Export,
    Limits,
    MaxSource,
    Problem,
    SkippedColumn,
    Submission,
    UploadedFile,
)
from compiler.read.tables import DEFAULT_LIMITS, read_tables
from compiler.understand.headers import IN_PROGRESS_STATES, normalise_header
from compiler.understand.layout import (
    Layout,
    Row,
    ScoreItem,
    cell_at,
    column_cells,
    find_layout,
)
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


def read_exports(file: UploadedFile, limits: Limits = DEFAULT_LIMITS) -> tuple[Export, ...]:
    """Parse one uploaded file into its tests: one `Export` for a quiz export, one per graded
    item for a gradebook, each with one `Submission` per row that belongs to a person (1-based
    source row numbers). Each export lists the file's grade-like columns that are no test.

    A score column with no score on any row is no test: a gradebook's item is skipped and
    listed, and a file left with no test is refused with which columns and why.
    Raises the `compiler.errors.ExportError` subclasses: UnsupportedFormat, CorruptFile,
    FileTooLarge, or NoResultsFound when no score column, no name/e-mail column or no data
    rows are found.
    """
    layout = find_layout(read_tables(file, limits), file.name)
    if not layout.data_rows:
        where = f" of the sheet {quoted(layout.sheet)}" if layout.sheet else ""
        raise NoResultsFound(
            file.name,
            f"has a header row (row {layout.header_row}{where}) but no results under it.",
            "Export the results again after people have taken the quiz.",
        )
    rows = [row for _, row in layout.data_rows]
    people = RowPeople.of(layout, rows)
    times: Sequence[datetime | None] = (
        parse_times(column_cells(rows, layout.submitted_at))
        if layout.submitted_at is not None
        else [None] * len(rows)
    )
    sha256 = hashlib.sha256(file.data).hexdigest()
    exports: list[Export] = []
    skipped = list(layout.skipped)
    for item in layout.items:
        export = _rejoins_added_up(
            _read_item(file.name, sha256, layout, item, rows, people, times), people
        )
        if any(sub.points is not None for sub in export.submissions):
            exports.append(export)
        else:
            skipped.append(SkippedColumn(layout.headers[item.column], _why_no_scores(export)))
    if not exports:
        raise _nothing_scored(file.name, layout, skipped)
    return tuple(dataclasses.replace(export, skipped=tuple(skipped)) for export in exports)


def read_export(file: UploadedFile, limits: Limits = DEFAULT_LIMITS) -> Export:
    """`read_exports` of a file that holds one test (ValueError for a gradebook of several)."""
    exports = read_exports(file, limits)
    if len(exports) != 1:
        raise ValueError(f"{file.name} holds {len(exports)} tests: use read_exports")
    return exports[0]


def _read_item(
    file_name: str,
    sha256: str,
    layout: Layout,
    item: ScoreItem,
    rows: Sequence[Row],
    people: RowPeople,
    times: Sequence[datetime | None],
) -> Export:
    """One test of a file: its score column read, and a submission per person's row."""
    scores = read_score_column(
        layout.headers[item.column],
        column_cells(rows, item.column),
        percent_header=item.holds_percents,
        points_possible=item.points_possible,
        header_may_state_maximum=False,
        stated_maximum=item.stated_maximum,
        stated_source=item.max_source,
        row_maxima=column_cells(rows, layout.maximum_column)
        if layout.maximum_column is not None
        else None,
    )
    collector = _SubmissionCollector(file_name, layout, scores)
    if disagreement := _maximum_disagreeing_with_percents(file_name, layout, rows, scores):
        collector.problems.append(disagreement)
    collector.add_rows(people, times)
    if not collector.submissions:
        raise NoResultsFound(
            file_name,
            f"has {len(rows)} rows under the header, but none names a person.",
            "Check the name and e-mail columns are filled in, then send it again.",
        )
    return Export(
        file_name=file_name,
        sha256=sha256,
        platform=layout.platform,
        sheet=layout.sheet,
        header_row=layout.header_row,
        columns=layout.column_choice(item),
        out_of=scores.out_of,
        max_source=scores.source,
        submissions=tuple(collector.submissions),
        rows_read=len(rows),
        rows_rejected=collector.rejected,
        problems=tuple(collector.problems),
        layout_name=layout.description.name,
        title=item.title,
        weight=item.weight,
        category=item.category,
        category_weight=item.category_weight,
    )


def _why_no_scores(export: Export) -> str:
    """Why a score column holds no score: empty, only no-score marks, or text."""
    texts = [s.no_score for s in export.submissions if s.no_score and s.no_score != "blank"]
    if not texts:
        return "no one has a score in it (empty on every row)"
    shown = ", ".join(quoted(text, 20) for text in dict.fromkeys(texts) if text)
    return f"no one has a score in it (it holds {shown[:120]}, not points)"


def _nothing_scored(file_name: str, layout: Layout, skipped: list[SkippedColumn]) -> NoResultsFound:
    """The refusal of a file whose every score column holds no score."""
    empty = [c for c in skipped if c.header in {layout.headers[i.column] for i in layout.items}]
    listed = "; ".join(f"the column {quoted(c.header, 80)}: {c.why}" for c in empty[:4])
    more = f" and {len(empty) - 4} more" if len(empty) > 4 else ""
    return NoResultsFound(
        file_name,
        f"has no scores to compile: {listed}{more}.",
        "Export the grades again once they are entered (or send the sheet that has them).",
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

    def add_rows(self, people: RowPeople, times: Sequence[datetime | None]) -> None:
        """Keep each data row as a submission, or count it rejected, noting what was odd."""
        keep = self.submissions.append
        cells, problems = self.scores.cells, self._cell_problems()
        rows_read = zip(
            people.numbers,
            people.names,
            people.emails,
            people.ids,
            people.states,
            cells,
            problems,
            times,
            strict=True,
        )
        for number, name, email, person_id, state, cell, problem, when in rows_read:
            if name is None and email is None and person_id is None:
                self._reject(number, cell, number in people.anonymous)
                continue
            if number in people.test_students:
                self.rejected += 1
                self._note(number, None, "test-student", "the course's test student", "left out")
                continue
            if state is not None and state.casefold() in IN_PROGRESS_STATES:
                self._note_in_progress(number, name or email, state, cell)
                cell = CellScore(points=None, kind="no-score", text=state)
            elif number in people.unanswered:
                cell = CellScore(points=None, kind="no-score", text="no question answered")
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
                    person_id=person_id,
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


@dataclass(frozen=True, slots=True)
class RowPeople:
    """Who each data row is, worked out once for every test of the file."""

    numbers: list[int]  # 1-based source row numbers
    names: list[str | None]  # "First Last"
    emails: list[str | None]  # the e-mail cell untouched
    ids: list[str | None]  # the platform's own person id, "Canvas 48213"
    states: list[str | None]  # Moodle's attempt state
    anonymous: set[int]  # rows Microsoft Forms marks `anonymous`
    test_students: set[int]  # the course's test student (Canvas, Blackboard, D2L)
    answered: dict[int, float]  # row -> graded questions it answered (Kahoot)
    unanswered: frozenset[int]  # rows that answered none (a Kahoot of polls only)

    @staticmethod
    def of(layout: Layout, rows: Sequence[Row]) -> RowPeople:
        numbers = [number for number, _ in layout.data_rows]
        names, emails, anonymous = _identities(layout, rows, numbers)
        ids = _person_ids(layout, rows)
        test_student = layout.description.test_students
        return RowPeople(
            numbers=numbers,
            names=names,
            emails=emails,
            ids=ids,
            states=_texts(column_cells(rows, layout.state))
            if layout.state is not None
            else [None] * len(rows),
            anonymous=anonymous,
            test_students=set()
            if test_student is None
            else {
                number
                for number, name, raw_id in zip(numbers, names, _raw_ids(layout, rows), strict=True)
                if any(text and test_student.fullmatch(text) for text in (name, raw_id))
            },
            answered=(answered := _answered(layout, rows, numbers)),
            unanswered=frozenset(row for row, count in answered.items() if count == 0),
        )


def _raw_ids(layout: Layout, rows: Sequence[Row]) -> list[str | None]:
    return _texts(column_cells(rows, layout.person_id))


def _person_ids(layout: Layout, rows: Sequence[Row]) -> list[str | None]:
    """Each row's person id as `<platform> <id>` (D2L's `#` taken off), None when blank."""
    if layout.person_id is None:
        return [None] * len(rows)
    platform = layout.platform.value
    ids = [(text or "").lstrip("#").strip() for text in _raw_ids(layout, rows)]
    return [f"{platform} {text}" if text else None for text in ids]


def _answered(layout: Layout, rows: Sequence[Row], numbers: Sequence[int]) -> dict[int, float]:
    """Each row's count of graded answers (Kahoot's correct plus incorrect), where the layout
    has such counts."""
    wanted = layout.description.answered
    columns = [i for i, header in enumerate(layout.headers) if normalise_header(header) in wanted]
    if len(columns) != len(wanted) or not columns:
        return {}
    answered = {}
    for number, row in zip(numbers, rows, strict=True):
        counts = [parse_score_cell(cell_at(row, i)).points for i in columns]
        if all(count is not None for count in counts):
            answered[number] = sum(count for count in counts if count is not None)
    return answered


def _rejoins_added_up(export: Export, people: RowPeople) -> Export:
    """A player who lost the connection and rejoined is on two rows that share an e-mail and
    answer different questions: when their answers together are no more than the questions
    played, the rows are one game in parts, and their scores are added up."""
    played = export.out_of
    if not people.answered or not played:
        return export
    rows_of: dict[str, list[Submission]] = {}
    for sub in export.submissions:
        if sub.email and sub.email.strip():
            rows_of.setdefault(sub.email.strip().casefold(), []).append(sub)
    merged: dict[int, Submission] = {}
    dropped: set[int] = set()
    problems = list(export.problems)
    for parts in rows_of.values():
        answered = sum(people.answered.get(sub.row, played + 1) for sub in parts)
        if len(parts) < 2 or answered > played or any(sub.points is None for sub in parts):
            continue
        total = sum(sub.points or 0.0 for sub in parts)
        merged[parts[0].row] = dataclasses.replace(parts[0], points=total)
        dropped |= {sub.row for sub in parts[1:]}
        rows = ", ".join(str(sub.row) for sub in parts)
        problems.append(
            Problem(
                kind="rejoined-player",
                found=f"rows {rows} are one player who rejoined the game: together they "
                f"answered {format_number(answered)} of {format_number(played)} questions",
                action=f"added up: {format_number(total)} correct",
                file=export.file_name,
                row=parts[0].row,
                person=parts[0].name,
            )
        )
    if not merged:
        return export
    kept = tuple(merged.get(s.row, s) for s in export.submissions if s.row not in dropped)
    return dataclasses.replace(export, submissions=kept, problems=tuple(problems))


def _identities(
    layout: Layout, rows: Sequence[Row], numbers: Sequence[int]
) -> tuple[list[str | None], list[str | None], set[int]]:
    """Each row's name as "First Last" and e-mail cell untouched, and the numbers of the rows
    Microsoft Forms marks `anonymous` (standing for no name and no e-mail)."""
    if layout.name is not None:
        names = _texts(column_cells(rows, layout.name))
        if layout.name_is_last_first:
            names = [first_last(name) if name else name for name in names]
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
    if layout.email_is_login:  # a login is an e-mail only where it is one
        emails = [email if email and "@" in email else None for email in emails]
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


def first_last(name: str) -> str:
    """Canvas' `Last, First` as `First Last` (a name without a comma as it is)."""
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
