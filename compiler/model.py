"""The compiler's domain types: what goes in, what a parsed export is, what comes out.

Everything here is a frozen dataclass so it pickles (the bot runs the compiler in a process
pool) and can be turned into JSON with `dataclasses.asdict` (storage keeps parse summaries).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar, Literal, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

DuplicateRule = Literal["best", "latest", "first"]
DUPLICATE_RULES: tuple[DuplicateRule, ...] = ("best", "latest", "first")


class Platform(StrEnum):
    """The quiz platform an export's layout was recognised as."""

    SURVEYHEART = "SurveyHeart/Quizzory"
    GOOGLE_FORMS = "Google Forms"
    MICROSOFT_FORMS = "Microsoft Forms"
    MOODLE = "Moodle"
    CANVAS = "Canvas"
    BLACKBOARD = "Blackboard"
    D2L = "D2L/Brightspace"
    KAHOOT = "Kahoot"
    GENERIC = "hand-made sheet"


class MaxSource(StrEnum):
    """Where a score's maximum came from, in the order docs/formats.md gives."""

    CELL = "the cell (like 8 / 10)"
    PERCENT = "a percentage"
    HEADER = "the column header"
    POINTS_POSSIBLE = "the Points Possible row"
    MAXIMUM_COLUMN = "the file's maximum column"
    QUESTIONS_PLAYED = "the questions played"
    GIVEN = "given by you"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """One file as received: its name, its bytes, and an optional explicit test label."""

    name: str
    data: bytes
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """Something odd found in the input, and what was done about it (a row of the Issues sheet)."""

    kind: str  # short machine-readable tag, e.g. "invalid-email", "duplicate-submission"
    found: str  # what was found, for a teacher
    action: str  # what was done about it
    file: str | None = None
    row: int | None = None  # 1-based row number in the source sheet
    person: str | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    """One row of an export that belongs to a person.

    `points` is the number as read; `out_of` is the maximum when the cell itself carried it
    (`8 / 10`) or it was a percentage (100). The test-level maximum lives on `Export`.
    `points is None` means "no score" (`-`, `Not yet graded`, `EX`, blank); `no_score` says which.
    """

    row: int
    name: str | None
    email: str | None  # the raw text of the e-mail cell, untouched
    points: float | None
    out_of: float | None = None
    no_score: str | None = None
    submitted_at: datetime | None = None
    person_id: str | None = None  # the platform's own id of the person ("Canvas 48213")


@dataclass(frozen=True, slots=True)
class SkippedColumn:
    """A column that looks like a grade but is not a test (a total, a letter, an empty item)."""

    header: str
    why: str


@dataclass(frozen=True, slots=True)
class ColumnChoice:
    """Which header was taken for each role (None when the export has no such column)."""

    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    score: str | None = None
    submitted_at: str | None = None
    person_id: str | None = None


@dataclass(frozen=True, slots=True)
class TestNumber:
    """A test number and how it was decided (`from the label`, `from the file name`, ...)."""

    __test__: ClassVar[bool] = False  # not a pytest test class, despite the name

    number: int
    how: str


@dataclass(frozen=True, slots=True)
class Export:
    """One test read from a file: its layout, submissions, maximum, and what was odd in it.

    A gradebook file holds several tests (one per graded item): each is an `Export` of its
    own, with the item's `title`, and its weight and category when the file states them.
    """

    file_name: str
    sha256: str
    platform: Platform
    sheet: str | None
    header_row: int  # 1-based
    columns: ColumnChoice
    out_of: float | None  # the test's maximum; None when unknown (the person must give it)
    max_source: MaxSource
    submissions: tuple[Submission, ...]
    rows_read: int  # data rows looked at (after the header, footers and blanks excluded)
    rows_rejected: int  # rows that could not be used at all (no name, no e-mail, no score)
    problems: tuple[Problem, ...] = ()
    layout_name: str = ""  # the export as a teacher knows it: "Moodle grader export"
    title: str | None = None  # a gradebook item's title: "Quiz 1"
    weight: float | None = None  # stated in the file (D2L)
    category: str | None = None
    category_weight: float | None = None
    skipped: tuple[SkippedColumn, ...] = ()  # the file's grade-like columns that are no test

    @property
    def needs_maximum(self) -> bool:
        """True when some scores are raw points whose maximum nobody knows yet."""
        return self.out_of is None and any(
            s.points is not None and s.out_of is None for s in self.submissions
        )


@dataclass(frozen=True, slots=True)
class NumberedExport:
    """A parsed export and the test number it stands for."""

    test: TestNumber
    export: Export


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What the bot says back about one file, and what storage keeps of its parse."""

    file_name: str
    test: TestNumber
    platform: str
    score_column: str | None
    out_of: float | None
    max_source: str
    participants: int
    rows_read: int
    rows_rejected: int
    repeated_submissions: int
    invalid_emails: int
    no_scores: int
    needs_maximum: bool
    problems: tuple[str, ...] = ()
    layout_name: str = ""  # "Moodle grader export"
    title: str | None = None  # a gradebook item's title
    weight: float | None = None
    category: str | None = None
    skipped: tuple[tuple[str, str], ...] = ()  # the file's columns that are no test: (header, why)
    category_weight: float | None = None  # D2L: the category's share of the course
    highest_points: float | None = None  # the highest raw score, when the maximum is unknown

    @property
    def key(self) -> str | None:
        """What names this test within its file (its score column), as `NumberedFile` keys it."""
        return self.score_column

    @property
    def label(self) -> str:
        """`Test 4 · Quiz 1`, or `Test 4` for a test without a title."""
        return test_label(self.test.number, self.title)


def test_label(number: int, title: str | None) -> str:
    """How a test is named to a teacher: `Test 4 · Quiz 1`, or `Test 4`."""
    return f"Test {number} · {title}" if title else f"Test {number}"


@dataclass(frozen=True, slots=True)
class NumberedFile:
    """An upload and the numbers of its tests, each keyed by its score column's header (the
    only test of a one-test file may be keyed None)."""

    file: UploadedFile
    tests: tuple[tuple[str | None, TestNumber], ...]


@dataclass(frozen=True, slots=True)
class AssignmentBand:
    """A band of the predecessor's Assignment mark: from this share of tests taken, low-high."""

    min_taken_percent: float  # share of the tests taken with a score above 0, 0-100
    low: float
    high: float  # equal to low for a fixed mark


@dataclass(frozen=True, slots=True)
class PositionStep:
    """Where in its band the Assignment mark sits, from the average of the tests taken."""

    min_average: float
    position: float  # 0: the band's low end, 1: its high end


# The predecessor's rules: >= 80% taken gives 85-93, >= 60% gives 80, >= 40% gives 70-75,
# else 50; within a band the average of the tests taken sets the position.
CLASSIC_ASSIGNMENT_BANDS: tuple[AssignmentBand, ...] = (
    AssignmentBand(80.0, 85.0, 93.0),
    AssignmentBand(60.0, 80.0, 80.0),
    AssignmentBand(40.0, 70.0, 75.0),
    AssignmentBand(0.0, 50.0, 50.0),
)
CLASSIC_POSITION_STEPS: tuple[PositionStep, ...] = (
    PositionStep(85.0, 0.9),
    PositionStep(75.0, 0.7),
    PositionStep(65.0, 0.5),
    PositionStep(55.0, 0.3),
    PositionStep(0.0, 0.1),
)


@dataclass(frozen=True, slots=True)
class Policy:
    """How test percentages combine into a final result. Policies are data, not branches."""

    name: str
    description: str
    missing_counts_zero: bool  # False: a missing test is left out of the average
    participation_assignment: bool  # the predecessor's extra "Assignment" column
    pass_mark: float = 50.0
    assignment_bands: tuple[AssignmentBand, ...] = CLASSIC_ASSIGNMENT_BANDS
    position_steps: tuple[PositionStep, ...] = CLASSIC_POSITION_STEPS


@dataclass(frozen=True, slots=True)
class LetterGrade:
    """One step of a letter scale: the letter, and the lowest final average that earns it."""

    letter: str
    minimum: float  # a final average as shown (two decimals) at or above this earns the letter


@dataclass(frozen=True, slots=True)
class LetterScale:
    """How final averages turn into letters (`compiler.grade.letters` has the presets and reads
    a teacher's own). `spec` is the scale as typed (`A=70,B=60,...`), which reads back into it."""

    name: str  # a preset's name ("nigeria"), or "custom"
    description: str  # "Nigerian university A-F on 70/60/50/45/40"
    grades: tuple[LetterGrade, ...]  # highest minimum first; the last starts at 0

    def letter_of(self, final_average: float) -> str | None:
        """The letter of a final average: the first grade whose minimum it reaches."""
        for grade in self.grades:
            if final_average >= grade.minimum:
                return grade.letter
        return None

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(grade.letter for grade in self.grades)

    @property
    def spec(self) -> str:
        """`A=70,B=60,...,F=0`: the scale as a teacher types it (and as storage may keep it)."""
        return ",".join(f"{g.letter}={g.minimum:g}" for g in self.grades)


@dataclass(frozen=True, slots=True)
class RosterPerson:
    """One person of a class roster, as the roster file gives them."""

    name: str
    email: str | None = None
    person_id: str | None = None  # the platform's own id, as exports carry it: "Canvas 48213"


@dataclass(frozen=True, slots=True)
class Roster:
    """A class roster: the people a compile must have one row each for, in the file's order."""

    file_name: str
    people: tuple[RosterPerson, ...]


@dataclass(frozen=True, slots=True)
class SameOrNot:
    """A teacher's answer to "are these the same person?".

    `a` and `b` say whom it is about, as a person is known in the files: a person id
    (`id:Canvas 48213`), an e-mail, or a name as spelt (matched by its key, so capitals,
    spaces, accents and titles do not matter). `LookAlike.a.handle` gives the one to keep.
    """

    a: str
    b: str
    same: bool


@dataclass(frozen=True, slots=True)
class CompileOptions:
    """Everything a person can choose for one compile. Plain data: numbers, names and a letter
    scale whose `spec` is a string, so that a chat's choices can be kept as JSON."""

    policy: Policy
    duplicates: DuplicateRule = "best"
    out_of: dict[int, float] = field(default_factory=dict)  # test number -> maximum
    # test number -> weight set by the teacher; a test not named here takes the weight its file
    # states (D2L), else 1. A weight of 0 leaves the test out of the final average; a weight
    # of a test that is not compiled is ignored (the command line refuses it, a chat may keep it).
    weights: dict[int, float] = field(default_factory=dict)
    drop_lowest: int = 0  # each person's lowest results left out of the final average
    letters: LetterScale | None = None  # a letter grade from the final average, when chosen
    # With a roster, the Results sheet has one row per roster person, present or not, and
    # every row is matched to one; rows that match nobody are listed and shown below them.
    roster: Roster | None = None
    decisions: tuple[SameOrNot, ...] = ()  # the teacher's answers, applied in every compile


@dataclass(frozen=True, slots=True)
class ParticipantResult:
    """One row of the Results sheet."""

    name: str
    email: str | None
    scores: dict[int, float | None]  # test number -> percent (None: absent or no score)
    assignment: float | None
    final_average: float
    passed: bool
    dropped: tuple[int, ...] = ()  # test numbers whose results were dropped (the lowest N)
    letter: str | None = None  # the letter grade, when a scale was chosen
    off_roster: bool = False  # a roster was given and this person is not on it

    def shown_order(self) -> tuple[bool, str]:
        """Where the row stands in the Results sheet and the cards: by name, case aside, with
        the people a roster does not list after those it does."""
        return self.off_roster, self.name.casefold()


@dataclass(frozen=True, slots=True)
class LookAlikeSide:
    """One of two people who may be the same: how they are known and what they took."""

    handle: str  # what a `SameOrNot` names them by (a person id, an e-mail, or the name)
    name: str  # the name shown in the Results sheet
    names: tuple[str, ...]  # every spelling seen, most seen first
    emails: tuple[str, ...]
    tests: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class LookAlike:
    """Two people whose names look alike, left apart for a human to settle."""

    a: LookAlikeSide
    b: LookAlikeSide
    reason: str  # "names one letter apart", ...
    why: str  # the reason with the e-mails and whether they ever sat one test together

    @property
    def handles(self) -> tuple[str, str]:
        """The pair as stored: both handles, in sorted order (the same pair either way round)."""
        first, second = sorted((self.a.handle, self.b.handle))
        return first, second


@dataclass(frozen=True, slots=True)
class RosterUse:
    """How a compile used the roster: its people, how many were matched, the rows left out."""

    file_name: str
    people: int
    present: int  # roster people with at least one row
    unmatched_people: int  # people (from rows) that match nobody on the roster


@dataclass(frozen=True, slots=True)
class TestWeight:
    """What one test weighs in the final average, and where that weight came from."""

    __test__: ClassVar[bool] = False  # not a pytest test class, despite the name

    test: int
    weight: float
    source: str  # "given by you", "from the file: ...", "the default"


@dataclass(frozen=True, slots=True)
class TestStats:
    """One row of the Summary sheet."""

    __test__: ClassVar[bool] = False  # not a pytest test class, despite the name

    test: int
    count: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None
    pass_rate: float | None  # share of takers scoring >= pass mark, 0-100


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One row of the Sources sheet."""

    file_name: str
    test: TestNumber
    platform: str
    sheet: str | None
    columns: ColumnChoice
    out_of: float | None
    max_source: str
    rows_read: int
    rows_kept: int
    rows_rejected: int
    title: str | None = None
    weight: float | None = None
    category: str | None = None
    skipped: tuple[SkippedColumn, ...] = ()  # the file's grade-like columns that are no test


@dataclass(frozen=True, slots=True)
class CompileReport:
    """Everything the compile found, for the CLI's printout, the bot's caption and the sheets."""

    policy: Policy
    duplicates: DuplicateRule
    tests: tuple[int, ...]
    participants: tuple[ParticipantResult, ...]
    test_stats: tuple[TestStats, ...]
    sources: tuple[SourceInfo, ...]
    problems: tuple[Problem, ...]
    possible_same_person: tuple[LookAlike, ...]  # most likely the same person first
    titles: dict[int, str] = field(default_factory=dict)  # test number -> its item's title
    weights: tuple[TestWeight, ...] = ()  # one per test; none: every test weighs 1
    drop_lowest: int = 0
    letters: LetterScale | None = None
    roster: RosterUse | None = None
    decisions_applied: int = 0  # the teacher's answers that met a pair in these files

    def test_label(self, test: int) -> str:
        """`Test 4 · Quiz 1`, or `Test 4` for a test without a title."""
        return test_label(test, self.titles.get(test))

    def weight_of(self, test: int) -> float:
        """The weight test `test` had in the final average (1 when none was set)."""
        for weight in self.weights:
            if weight.test == test:
                return weight.weight
        return 1.0

    @property
    def weighted(self) -> bool:
        """True when the tests do not all weigh the same (a weight of 0 included)."""
        return len({self.weight_of(test) for test in self.tests}) > 1

    def results_header(self) -> list[str]:
        """The Results sheet's header row: Name, Email, the tests, [Assignment], Final Average,
        [Grade], Status."""
        tests = [self.test_label(number) for number in self.tests]
        tail = ["Final Average", *(["Grade"] if self.letters else []), "Status"]
        if self.policy.participation_assignment:
            tail = ["Assignment", *tail]
        return ["Name", "Email", *tests, *tail]

    def results_rows(self) -> Iterator[list[str | float | None]]:
        """The Results sheet's rows, as values, in the order of `results_header`."""
        with_assignment = self.policy.participation_assignment
        with_letters = self.letters is not None
        for person in self.participants:
            row: list[str | float | None] = [person.name, person.email]
            row += [person.scores.get(test) for test in self.tests]
            row += [person.assignment] if with_assignment else []
            row += [person.final_average]
            row += [person.letter] if with_letters else []
            row += ["PASS" if person.passed else "FAIL"]
            yield row

    @property
    def passed(self) -> int:
        return sum(p.passed for p in self.participants)

    @property
    def failed(self) -> int:
        return len(self.participants) - self.passed


class PolicyCount(NamedTuple):
    """How many would pass and fail under one policy (`compare_policies`)."""

    policy: str
    passed: int
    failed: int


@dataclass(frozen=True, slots=True)
class CompileResult:
    """The workbook's bytes and the report that describes it."""

    workbook: bytes
    report: CompileReport

    def to_dataframe(self) -> pd.DataFrame:
        """The Results sheet as a pandas DataFrame: Name, Email, one column per test (percent,
        empty when absent), Assignment (classic policy only), Final Average, Status."""
        import pandas as pd  # only a notebook pays for pandas

        report = self.report
        return pd.DataFrame(list(report.results_rows()), columns=report.results_header())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the workbook to `path`."""
        with open(path, "wb") as out:
            out.write(self.workbook)


@dataclass(frozen=True, slots=True)
class Limits:
    """What one upload may hold before it is refused unread (zip bombs, absurd sheets)."""

    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_zip_entries: int = 2_000
    max_rows: int = 100_000
    max_columns: int = 1_000


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet as read: cells are str, int, float, bool, datetime or None."""

    sheet: str | None
    rows: list[list[object]]


def summary_from_dict(data: dict[str, object]) -> ExportSummary:
    """Rebuild an `ExportSummary` from `dataclasses.asdict` output (as storage keeps it)."""
    fields = dict(data)
    test = fields.pop("test")
    problems = fields.pop("problems", ())
    skipped = fields.pop("skipped", ())
    if not isinstance(test, dict) or not isinstance(problems, list | tuple):
        raise ValueError("not an ExportSummary")
    if not isinstance(skipped, list | tuple):
        raise ValueError("not an ExportSummary")
    return ExportSummary(
        test=TestNumber(number=int(test["number"]), how=str(test["how"])),
        problems=tuple(str(p) for p in problems),
        skipped=tuple((str(header), str(why)) for header, why in skipped),
        **fields,  # type: ignore[arg-type]
    )
