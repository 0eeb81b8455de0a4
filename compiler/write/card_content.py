"""What the report cards say, as data: the class's cover and one card per participant.

The PDF (`cards.py`) lays out whatever these hold and knows nothing of tests or policies, so a
new column (a weight per test, a test shown as "dropped") or a new figure (a letter grade) is
one more `Field` made here, and no drawing code changes.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from compiler.model import CompileReport, ParticipantResult
from compiler.write.styles import FAIL_TEXT, PASS_TEXT
from compiler.write.summary_sheet import bin_labels, class_figures, final_average_bins

Tone = Literal["plain", "muted", "pass", "fail"]

ABSENT_TEXT = "absent"
NO_VALUE_TEXT = "—"
SCORE_LABEL = "Score (%)"


@dataclass(frozen=True, slots=True)
class Field:
    """One labelled value: a cell of a test's line, or a figure under the table."""

    label: str
    value: str
    tone: Tone = "plain"  # how it is coloured: PASS and FAIL as in the workbook


@dataclass(frozen=True, slots=True)
class TestLine:
    """One line of a card's table: a test (or the Assignment mark) and its fields."""

    __test__: ClassVar[bool] = False  # not a pytest test class, despite the name

    label: str  # "Test 3"
    fields: tuple[Field, ...]  # the table's columns after the label, the same labels every line
    colour_of: int | None = None  # the test number whose colour the line takes; None: no colour


@dataclass(frozen=True, slots=True)
class Card:
    """One participant's page: who, their table, and the figures under it."""

    name: str
    email: str | None
    lines: tuple[TestLine, ...]
    figures: tuple[Field, ...]


@dataclass(frozen=True, slots=True)
class Cover:
    """The class's page: headline figures and the distribution of final averages."""

    tests: tuple[int, ...]
    figures: tuple[Field, ...]
    bins: tuple[tuple[str, int], ...]  # (range label, participants), as on the Summary sheet
    pass_mark: float


def percent_text(value: float | None, decimals: int = 1) -> str:
    """A percentage as printed: `78.5`; `absent` when there is none."""
    if value is None or not math.isfinite(value):
        return ABSENT_TEXT
    return f"{value:.{decimals}f}"


def test_fields(person: ParticipantResult, number: int) -> tuple[Field, ...]:
    """The cells of one test's line after its label (a weight or "dropped" would join here)."""
    score = person.scores.get(number)
    tone: Tone = "muted" if score is None else "plain"
    return (Field(SCORE_LABEL, percent_text(score), tone),)


test_fields.__test__ = False  # type: ignore[attr-defined]


def card_lines(report: CompileReport, person: ParticipantResult) -> tuple[TestLine, ...]:
    """A card's table: each test in order, then the Assignment mark under the classic policy."""
    lines = [
        TestLine(report.test_label(n), test_fields(person, n), colour_of=n) for n in report.tests
    ]
    if report.policy.participation_assignment:
        assignment = percent_text(person.assignment)
        lines.append(TestLine("Assignment", (Field(SCORE_LABEL, assignment),)))
    return tuple(lines)


def positions(averages: Sequence[float]) -> list[int | None]:
    """Each average's place in the class, highest first, ties sharing a place (1, 2, 2, 4).

    An average that is not a number has no place.
    """
    ranked = sorted(-a for a in averages if math.isfinite(a))
    return [bisect.bisect_left(ranked, -a) + 1 if math.isfinite(a) else None for a in averages]


def class_mean(report: CompileReport) -> float | None:
    """The mean final average of the class, as the Summary sheet gives it."""
    averages = [p.final_average for p in report.participants if math.isfinite(p.final_average)]
    return statistics.fmean(averages) if averages else None


def card_figures(
    person: ParticipantResult, position: int | None, class_size: int, mean: float | None
) -> tuple[Field, ...]:
    """The figures under a card's table: the result, then the class for context."""
    tone: Tone = "pass" if person.passed else "fail"
    place = NO_VALUE_TEXT if position is None else f"{position:,} of {class_size:,}"
    return (
        Field("Final average (%)", percent_text(person.final_average, 2), tone),
        Field("Result", PASS_TEXT if person.passed else FAIL_TEXT, tone),
        Field("Class mean (%)", NO_VALUE_TEXT if mean is None else percent_text(mean)),
        Field("Position in class", place),
    )


def in_results_order(report: CompileReport) -> list[ParticipantResult]:
    """The participants in the Results sheet's order: by name, case-insensitive."""
    return sorted(report.participants, key=lambda p: p.name.casefold())


def cards(report: CompileReport) -> Iterator[Card]:
    """One card per participant, in the Results sheet's order."""
    people = in_results_order(report)
    places = positions([p.final_average for p in people])
    mean, size = class_mean(report), len(people)
    for person, place in zip(people, places, strict=True):
        yield Card(
            name=person.name,
            email=person.email,
            lines=card_lines(report, person),
            figures=card_figures(person, place, size, mean),
        )


def cover(report: CompileReport) -> Cover:
    """The cover: the Summary sheet's figures for the class and its distribution."""
    figures = tuple(Field(label, _figure_text(value)) for label, value in class_figures(report))
    counts = final_average_bins([p.final_average for p in report.participants])
    return Cover(
        tests=report.tests,
        figures=figures,
        bins=tuple(zip(bin_labels(), counts, strict=True)),
        pass_mark=report.policy.pass_mark,
    )


def _figure_text(value: float | str | None) -> str:
    if value is None:
        return NO_VALUE_TEXT
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    return percent_text(value)
