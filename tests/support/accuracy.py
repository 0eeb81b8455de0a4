"""How much of a compiled workbook agrees with a generated class's truth.

The contract read here: a `Results` sheet whose header row holds `Name`, `Email` and
`Test 1` .. `Test N` (percent numbers, blank when absent), one row per participant.

Each true person is matched to workbook rows by e-mail (any of theirs, repaired the way a person
means it) and by name (any of their spellings, case and `Last, First` aside). A person must
claim exactly one row and that row must claim nobody else; otherwise all of the person's cells
count as wrong (split over rows, merged with someone, or missing). Mismatches name people by
index and tests by number only: no names or e-mails reach a log.

Given the class's roster (`tests.support.roster_file`), the people are the class and the roster's
absentees (every cell of theirs empty), and rows are told apart as a roster person's, another
person's (off the roster: they must come below every roster row), or nobody's.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import openpyxl

from tests.support.classes import GeneratedClass
from tests.support.exports.files import Cell, xlsx_bytes
from tests.support.roster import TruePerson, name_words, normalise_email, normalise_name
from tests.support.roster_file import ClassRoster

TOLERANCE = 0.051  # a percent rounded to one decimal is still right
MISMATCHES_KEPT = 20
_TEST_HEADER = re.compile(r"Test (\d+)(?: · .+)?")


@dataclass(frozen=True)
class Mismatch:
    """One wrong cell, or (`test` None) a person whose row cannot be trusted, and why."""

    person: int
    test: int | None
    expected: float | None
    found: object
    why: str


@dataclass(frozen=True)
class RosterRows:
    """The Results rows of a compile with a roster, by whose they are."""

    people: int  # on the roster
    rows: int  # rows of roster people
    off_roster: int  # rows of people the roster does not list
    above: int  # off-roster rows above a roster person's row (they belong below)


@dataclass(frozen=True)
class AccuracyResult:
    """Cells compared, cells right, and where it went wrong."""

    cells: int
    right: int
    extra_rows: int  # workbook rows that match no true person
    unexpected_tests: tuple[int, ...]  # `Test k` columns the truth has no test k for
    mismatches: tuple[Mismatch, ...] = field(default=())  # the first few, for debugging
    rows: int = 0  # participant rows of the Results sheet
    roster: RosterRows | None = None  # with a roster: whose rows they are

    @property
    def share(self) -> float:
        """Right cells over all cells, 0-1."""
        return self.right / self.cells if self.cells else 1.0

    def describe(self) -> str:
        """A short report for an assertion message (person indices only, no personal data)."""
        lines = [
            f"{self.right}/{self.cells} cells right ({self.share:.2%}); "
            f"{self.extra_rows} rows match nobody; unexpected tests {list(self.unexpected_tests)}"
        ]
        if self.roster is not None:
            lines.append(
                f"  roster: {self.roster.rows} rows for {self.roster.people} people on it; "
                f"{self.roster.off_roster} rows off it, {self.roster.above} of them above it"
            )
        for miss in self.mismatches:
            if miss.test is None:
                lines.append(f"  person {miss.person}: {miss.why}")
            else:
                lines.append(
                    f"  person {miss.person} test {miss.test}: expected {miss.expected!r}, "
                    f"found {miss.found!r}"
                )
        return "\n".join(lines)


@dataclass(frozen=True)
class ResultRow:
    """One participant row of the Results sheet as read."""

    name: str | None
    email: str | None
    scores: dict[int, object]  # test -> cell value as read


def read_results(workbook: bytes) -> tuple[list[ResultRow], tuple[int, ...]]:
    """The participant rows of the `Results` sheet and the test numbers of its columns."""
    book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True, data_only=True)
    try:
        if "Results" not in book.sheetnames:
            raise ValueError(f"the workbook has no Results sheet (sheets: {book.sheetnames})")
        rows = book["Results"].iter_rows(values_only=True)
        columns: dict[str, int] = {}
        for header in rows:
            columns = {str(v).strip(): i for i, v in enumerate(header) if v is not None}
            if "Name" in columns:
                break
        else:
            raise ValueError("the Results sheet has no header row with `Name`")
        tests = {
            int(m.group(1)): i for text, i in columns.items() if (m := _TEST_HEADER.fullmatch(text))
        }
        found = [
            _result_row(values, columns["Name"], columns.get("Email"), tests)
            for values in rows
            if any(v not in (None, "") for v in values)
        ]
        return found, tuple(sorted(tests))
    finally:
        book.close()


def _result_row(
    values: Sequence[object], name: int, email: int | None, tests: dict[int, int]
) -> ResultRow:
    def cell(index: int | None) -> object:
        return values[index] if index is not None and index < len(values) else None

    def text(index: int | None) -> str | None:
        value = cell(index)
        return None if value is None or str(value).strip() == "" else str(value)

    return ResultRow(text(name), text(email), {t: cell(i) for t, i in tests.items()})


def _claims(rows: list[ResultRow], people: Sequence[TruePerson]) -> list[set[int]]:
    """For each workbook row, the true people it matches by e-mail or by name (a name matching
    no spelling as written may match one person's with its words in another order: a roster's
    `Surname Given`)."""
    by_email: dict[str, int] = {}
    by_name: dict[str, int] = {}
    by_words: dict[str, set[int]] = defaultdict(set)
    for index, person in enumerate(people):
        by_email.update({normalise_email(e): index for e in person.emails})
        by_name.update({normalise_name(n): index for n in person.names})
        for name in person.names:
            by_words[_words(name)].add(index)
    claims = []
    for row in rows:
        owners: set[int] = set()
        for address in re.split(r"[;,]", row.email or ""):
            if normalise_email(address) in by_email:
                owners.add(by_email[normalise_email(address)])
        if row.name and normalise_name(row.name) in by_name:
            owners.add(by_name[normalise_name(row.name)])
        elif row.name and len(by_words.get(_words(row.name), ())) == 1:
            owners |= by_words[_words(row.name)]
        claims.append(owners)
    return claims


def _words(name: str) -> str:
    return " ".join(sorted(name_words(name)))


def as_percent(value: object) -> float | str | None:
    """A Results cell as a number, None when blank, or the text itself when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    try:
        return float(text.rstrip("%").replace(",", "."))
    except ValueError:
        return text


def _cell_is_right(expected: float | None, found: float | str | None) -> bool:
    if expected is None or found is None:
        return expected is None and found is None
    return isinstance(found, float) and abs(found - expected) <= TOLERANCE


def score_workbook(
    workbook: bytes, generated: GeneratedClass, roster: ClassRoster | None = None
) -> AccuracyResult:
    """Compare a compiled workbook's Results sheet with `generated.truth`, cell by cell; with
    the class's `roster`, its absentees too (no score anywhere), and whose rows are whose."""
    rows, columns = read_results(workbook)
    people = roster.people(generated) if roster else generated.people
    claims = _claims(rows, people)
    rows_of: dict[int, list[int]] = defaultdict(list)
    for row_index, owners in enumerate(claims):
        for person in owners:
            rows_of[person].append(row_index)
    tests = range(1, generated.tests + 1)
    right, mismatches = 0, []
    for person in range(len(people)):
        matched = rows_of.get(person, [])
        problem = _identity_problem(matched, claims, person)
        if problem:  # every cell of theirs is wrong; one line says why
            mismatches.append(Mismatch(person, None, None, None, problem))
            continue
        for test in tests:
            expected = generated.truth.get((person, test))  # an absentee's: None
            found = as_percent(rows[matched[0]].scores.get(test))
            if _cell_is_right(expected, found):
                right += 1
            else:
                mismatches.append(Mismatch(person, test, expected, found, "wrong value"))
    return AccuracyResult(
        cells=len(people) * generated.tests,
        right=right,
        extra_rows=sum(not owners for owners in claims),
        unexpected_tests=tuple(t for t in columns if t not in tests),
        mismatches=tuple(mismatches[:MISMATCHES_KEPT]),
        rows=len(rows),
        roster=None if roster is None else _roster_rows(claims, roster, len(generated.people)),
    )


def _roster_rows(claims: list[set[int]], roster: ClassRoster, count: int) -> RosterRows:
    """Whose the rows are: a roster person's (the class's people on it, then its absentees,
    numbered from `count`), someone else's, or nobody's (not counted here)."""
    listed = {*roster.on_roster, *range(count, count + len(roster.absentees))}
    on = [i for i, owners in enumerate(claims) if owners & listed]
    off = [i for i, owners in enumerate(claims) if owners and not owners & listed]
    last = max(on, default=-1)
    return RosterRows(roster.size, len(on), len(off), sum(i < last for i in off))


def _identity_problem(matched: list[int], claims: list[set[int]], person: int) -> str | None:
    """Why a person's row cannot be trusted, or None when they have exactly one row of their own."""
    if not matched:
        return "person not found"
    if len(matched) > 1:
        return f"split over {len(matched)} rows"
    others = sorted(claims[matched[0]] - {person})
    return f"merged with person {others[0]}" if others else None


Row = list[Cell]


def truth_workbook(
    generated: GeneratedClass,
    edit: Callable[[list[Row]], list[Row]] = lambda rows: rows,
    *,
    sheet: str = "Results",
    numbered: Sequence[int] | None = None,
    roster: ClassRoster | None = None,
) -> bytes:
    """The workbook a correct compile would write (one-decimal percents), for testing the
    scorer and the benchmark: `edit` spoils its rows, `numbered` renames its `Test k` columns;
    with a `roster`, a row per person on it, then the people it left out."""
    tests = range(1, generated.tests + 1)
    header: Row = ["Name", "Email", *(f"Test {t}" for t in (numbered or tests))]
    rows: list[Row] = []
    people = list(enumerate(generated.people))
    if roster is not None:
        count = len(generated.people)
        listed = [(i, p) for i, p in people if i not in roster.left_out]
        listed += [(count + i, p) for i, p in enumerate(roster.absentees)]
        people = listed + [(i, generated.people[i]) for i in roster.left_out]
    for index, person in people:
        scores = [generated.truth.get((index, t)) for t in tests]
        present = [s for s in scores if s is not None]
        shown = [None if s is None else round(s, 1) for s in scores]
        rows.append([person.name, person.email, *shown, sum(present) / len(tests), "PASS"])
    return xlsx_bytes([(sheet, [[*header, "Final Average", "Status"], *edit(rows)])])
