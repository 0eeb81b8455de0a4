"""The figures a workbook, a picture and the report cards say about a class, and how it was
graded, each rounded as it is shown (half-up, as in Excel), so a cell holds what it displays.

The Summary sheet writes them; the report cards' cover prints the same ones with `figure_text`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from compiler.grade.letters import letter_counts
from compiler.grade.policies import round_half_up
from compiler.model import CompileReport, DuplicateRule

DUPLICATE_RULE_TEXT: dict[DuplicateRule, str] = {
    "best": "best: a person's highest score on a test counts",
    "latest": "latest: a person's most recent submission counts",
    "first": "first: a person's first submission counts",
}
ROUNDING_TEXT = (
    "scores to 1 decimal, final averages to 2, half up (72.125 is 72.13); PASS and letters "
    "compare the final average as shown"
)
NO_VALUE_TEXT = "—"


@dataclass(frozen=True, slots=True)
class Figure:
    """One labelled figure: a count, a percentage rounded to `places` decimals (None: a number
    shown as it is, like a pass mark of 47.5), or a text."""

    label: str
    value: float | str | None
    places: int | None = 1


def figure_text(figure: Figure) -> str:
    """A figure as printed: `1,234`, `57.59`, `47.5`, its text, or `—` when there is none."""
    value = figure.value
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return NO_VALUE_TEXT
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if figure.places is None:
        return number_text(value)
    return f"{value:.{figure.places}f}"


def number_text(value: float) -> str:
    """A number a teacher typed, as typed: 50, 47.5, 33.333, 6.6667 (four decimals at most)."""
    return f"{round_half_up(value, 4):g}"


def class_mean(report: CompileReport) -> float | None:
    """The mean final average of the class, two decimals, as the Summary sheet gives it."""
    averages = _finite([p.final_average for p in report.participants])
    return round_half_up(statistics.fmean(averages), 2) if averages else None


def class_figures(report: CompileReport) -> list[Figure]:
    """The class as a whole: participants, passed, failed, pass rate, mean and median."""
    averages = _finite([p.final_average for p in report.participants])
    count = len(report.participants)
    rate = round_half_up(100.0 * report.passed / count, 1) if count else None
    median = round_half_up(statistics.median(averages), 2) if averages else None
    return [
        Figure("Participants", count),
        Figure("Passed", report.passed),
        Figure("Failed", report.failed),
        Figure("Pass rate (%)", rate),
        Figure("Mean final average", class_mean(report), 2),
        Figure("Median final average", median, 2),
    ]


def grading_figures(report: CompileReport) -> list[Figure]:
    """How the results were graded: the policy, the final average, the pass mark, the rule for
    repeated submissions, the weights, the results dropped, the letter scale, who has a row
    (when a roster or the teacher's answers decided it), the rounding."""
    policy = report.policy
    return [
        Figure("Policy", policy.name),
        Figure("Policy description", policy.description),
        Figure("Final average", final_average_text(report)),
        Figure("Pass mark", policy.pass_mark, None),
        Figure("Duplicate submissions", DUPLICATE_RULE_TEXT[report.duplicates]),
        Figure("Weights", weights_text(report)),
        Figure("Dropped", dropped_text(report)),
        Figure("Letter grades", letters_text(report)),
        *([Figure("People", people_text(report))] if people_settled(report) else []),
        Figure("Rounding", ROUNDING_TEXT),
    ]


def people_settled(report: CompileReport) -> bool:
    """True when a roster or the teacher's answers decided who has a row."""
    return report.roster is not None or report.decisions_applied > 0


def people_text(report: CompileReport) -> str:
    """Who has a row: the roster's people (and those not on it), or everyone the files name;
    and how many of the teacher's answers about who is who were used."""
    roster = report.roster
    if roster is None:
        text = "one row per person the files name"
    else:
        text = f"one row per person on the roster {roster.file_name} ({roster.people})"
        if roster.unmatched_people:
            text += f", then {roster.unmatched_people} not on it"
    if report.decisions_applied:
        text += f"; {report.decisions_applied} of your answers about who is who applied"
    return text


def final_average_text(report: CompileReport) -> str:
    """How a final average is made, in a sentence."""
    policy = report.policy
    mean = "weighted mean" if report.weighted else "mean"
    tests = "all the tests" if policy.missing_counts_zero else "the tests taken"
    if report.weighted:
        tests += " that weigh more than 0"
    tests += (
        " (a missing test counts 0)"
        if policy.missing_counts_zero
        else " (a missing test is left out)"
    )
    if policy.participation_assignment:
        joins = "an average test" if report.weighted else "one test"
        return f"the {mean} of {tests} and of the Assignment mark, which weighs as much as {joins}"
    return f"the {mean} of {tests}"


def weights_text(report: CompileReport) -> str:
    """`equal: every test weighs 1`, or each test's weight, those of 0 said to count not."""
    if not report.weighted:
        weight = report.weight_of(report.tests[0]) if report.tests else 1.0
        return f"equal: every test weighs {number_text(weight)}"
    parts = []
    for test in report.tests:
        weight = report.weight_of(test)
        parts.append(
            f"{report.test_label(test)}: {number_text(weight)}"
            + (" (does not count)" if weight == 0 else "")
        )
    return "; ".join(parts)


def dropped_text(report: CompileReport) -> str:
    """What dropping the lowest results did, or `none`."""
    drop = report.drop_lowest
    if not drop:
        return "none"
    results = "result" if drop == 1 else f"{drop} results"
    missing = (
        "a missing test, counting 0, can be one of them"
        if report.policy.missing_counts_zero
        else "a missing test is not one of them"
    )
    return (
        f"each person's lowest {results} among the tests that count, left out of their final "
        f"average ({missing}; the highest always counts); dropped results are hatched and "
        "crossed out in the Results sheet"
    )


def letters_text(report: CompileReport) -> str:
    """The letter scale, or `none`."""
    scale = report.letters
    if scale is None:
        return "none"
    steps = ", ".join(f"{g.letter} from {number_text(g.minimum)}" for g in scale.grades)
    if scale.description.startswith("your own"):
        return f"your own scale: {steps}"
    return f"{scale.description} ({scale.name}): {steps}"


def letter_rows(report: CompileReport) -> list[tuple[str, float, int, float | None]]:
    """Each letter of the scale: (letter, from, participants, share of the class in %, one
    decimal); none without a scale."""
    scale = report.letters
    if scale is None:
        return []
    counts = letter_counts(scale, [p.letter for p in report.participants])
    size = len(report.participants)
    return [
        (letter, grade.minimum, count, round_half_up(100.0 * count / size, 1) if size else None)
        for (letter, count), grade in zip(counts, scale.grades, strict=True)
    ]


def letters_given_text(report: CompileReport) -> str:
    """`A 12 (14.1%) · B 30 (35.3%) · ...`: the letters given, or `none`."""
    rows = letter_rows(report)
    if not rows:
        return "none"
    return " · ".join(
        f"{letter} {count:,}" + ("" if share is None else f" ({share:.1f}%)")
        for letter, _, count, share in rows
    )


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if math.isfinite(v)]
