"""What the report cards say, as data: the class's cover and one card per participant.

The PDF (`cards.py`) lays out whatever these hold and knows nothing of tests or policies, so a
new column (a weight per test, a test shown as "dropped") or a new figure (a letter grade) is
one more `Field` made here, and no drawing code changes.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from compiler.model import CompileReport, ParticipantResult
from compiler.write.figures import (
    NO_VALUE_TEXT,
    Figure,
    class_figures,
    class_mean,
    figure_text,
    grading_figures,
    letters_given_text,
    number_text,
)
from compiler.write.styles import FAIL_TEXT, PASS_TEXT
from compiler.write.summary_sheet import bin_labels, final_average_bins

__all__ = ["NO_VALUE_TEXT", "class_mean"]

Tone = Literal["plain", "muted", "pass", "fail"]

ABSENT_TEXT = "absent"
SCORE_LABEL = "Score (%)"
WEIGHT_LABEL = "Weight"
NOTE_LABEL = "Note"
DROPPED_TEXT = "dropped"
NOT_COUNTED_TEXT = "not counted"


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
    figures: tuple[Field, ...]  # the class as a whole
    bins: tuple[tuple[str, int], ...]  # (range label, participants), as on the Summary sheet
    pass_mark: float
    grading: tuple[Field, ...] = ()  # how it was graded, and the letters given


def percent_text(value: float | None, decimals: int = 1) -> str:
    """A percentage as printed: `78.5`; `absent` when there is none."""
    if value is None or not math.isfinite(value):
        return ABSENT_TEXT
    return f"{value:.{decimals}f}"


def test_fields(
    person: ParticipantResult,
    number: int,
    *,
    weight: float | None = None,
    with_note: bool = False,
) -> tuple[Field, ...]:
    """The cells of one test's line after its label: the score, then its `weight` when given,
    then, `with_note`, whether it was dropped or does not count (weight 0)."""
    score = person.scores.get(number)
    dropped = number in person.dropped
    tone: Tone = "muted" if score is None or dropped or weight == 0 else "plain"
    fields = [Field(SCORE_LABEL, percent_text(score), tone)]
    if weight is not None:
        fields.append(Field(WEIGHT_LABEL, number_text(weight), tone))
    if with_note:
        note = DROPPED_TEXT if dropped else NOT_COUNTED_TEXT if weight == 0 else ""
        fields.append(Field(NOTE_LABEL, note, "muted"))
    return tuple(fields)


test_fields.__test__ = False  # type: ignore[attr-defined]


def card_lines(report: CompileReport, person: ParticipantResult) -> tuple[TestLine, ...]:
    """A card's table: each test in order, then the Assignment mark under the classic policy.

    A Weight column joins when the tests do not all weigh the same, a Note column ("dropped",
    "not counted") when results were dropped or a test weighs 0.
    """
    weighted = report.weighted
    weights = {number: report.weight_of(number) for number in report.tests}
    with_note = report.drop_lowest > 0 or 0 in weights.values()
    lines = [
        TestLine(
            report.test_label(n),
            test_fields(person, n, weight=weights[n] if weighted else None, with_note=with_note),
            colour_of=n,
        )
        for n in report.tests
    ]
    if report.policy.participation_assignment:
        fields = [Field(SCORE_LABEL, percent_text(person.assignment))]
        if weighted:  # the Assignment weighs the mean weight of the tests that count
            counting = [w for w in weights.values() if w > 0]
            fields.append(Field(WEIGHT_LABEL, number_text(sum(counting) / len(counting))))
        if with_note:
            fields.append(Field(NOTE_LABEL, "", "muted"))
        lines.append(TestLine("Assignment", tuple(fields)))
    return tuple(lines)


def positions(averages: Sequence[float]) -> list[int | None]:
    """Each average's place in the class, highest first, ties sharing a place (1, 2, 2, 4).

    An average that is not a number has no place.
    """
    ranked = sorted(-a for a in averages if math.isfinite(a))
    return [bisect.bisect_left(ranked, -a) + 1 if math.isfinite(a) else None for a in averages]


def card_figures(
    person: ParticipantResult,
    position: int | None,
    class_size: int,
    mean: float | None,
    with_letter: bool = False,
) -> tuple[Field, ...]:
    """The figures under a card's table: the result (and its letter), then the class."""
    tone: Tone = "pass" if person.passed else "fail"
    place = NO_VALUE_TEXT if position is None else f"{position:,} of {class_size:,}"
    letter = [Field("Grade", person.letter or NO_VALUE_TEXT)] if with_letter else []
    return (
        Field("Final average (%)", percent_text(person.final_average, 2), tone),
        *letter,
        Field("Result", PASS_TEXT if person.passed else FAIL_TEXT, tone),
        Field("Class mean (%)", NO_VALUE_TEXT if mean is None else percent_text(mean, 2)),
        Field("Position in class", place),
    )


def in_results_order(report: CompileReport) -> list[ParticipantResult]:
    """The participants in the Results sheet's order: by name, case-insensitive."""
    return sorted(report.participants, key=ParticipantResult.shown_order)


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
            figures=card_figures(person, place, size, mean, report.letters is not None),
        )


def cover(report: CompileReport) -> Cover:
    """The cover: the Summary sheet's figures for the class, its distribution, and how it was
    graded (the letters given too, when a scale was chosen)."""
    grading = grading_figures(report)
    if report.letters is not None:
        grading.append(Figure("Letters given", letters_given_text(report)))
    counts = final_average_bins([p.final_average for p in report.participants])
    return Cover(
        tests=report.tests,
        figures=_fields(class_figures(report)),
        bins=tuple(zip(bin_labels(), counts, strict=True)),
        pass_mark=report.policy.pass_mark,
        grading=_fields(grading),
    )


def _fields(figures: list[Figure]) -> tuple[Field, ...]:
    return tuple(Field(figure.label, figure_text(figure)) for figure in figures)
