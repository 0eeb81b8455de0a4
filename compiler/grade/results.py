"""From identified people to their results: each test's maximum, the submission that counts
when a person sent several, and each person's percentages graded by the chosen policy."""

from __future__ import annotations

from collections.abc import Sequence

from compiler.errors import MissingMaximum
from compiler.grade.policies import Grader, ScoredSubmission, pick_submission, round_half_up
from compiler.identify.identity import Identities
from compiler.model import (
    DUPLICATE_RULES,
    CompileOptions,
    MaxSource,
    NumberedExport,
    ParticipantResult,
    Problem,
    Submission,
)

Maxima = dict[int, tuple[float | None, str]]  # test -> (maximum, where it came from)


def test_maxima(numbered: Sequence[NumberedExport], options: CompileOptions) -> Maxima:
    """Each test's maximum and where it came from; refuses when one is needed and unknown."""
    maxima: Maxima = {}
    unknown: list[int] = []
    for n in numbered:
        test, export = n.test.number, n.export
        if test in options.out_of:
            maxima[test] = (options.out_of[test], str(MaxSource.GIVEN))
        else:
            maxima[test] = (export.out_of, str(export.max_source))
            if export.needs_maximum:
                unknown.append(test)
    if unknown:
        columns = {n.test.number: n.export.columns.score or "" for n in numbered}
        raise MissingMaximum(unknown, {t: columns[t] for t in unknown if columns[t]})
    return maxima


def _percent(sub: Submission, test_max: float | None) -> float | None:
    """A submission's score as a percentage, or None for "no score"."""
    if sub.points is None:
        return None
    out_of = sub.out_of or test_max
    if not out_of:
        return None
    return sub.points / out_of * 100.0


def choose_submissions(
    numbered: Sequence[NumberedExport],
    identities: Identities,
    maxima: Maxima,
    options: CompileOptions,
) -> tuple[list[dict[int, float | None]], list[Problem]]:
    """Each person's percentage per test taken, following the repeated-submission rule."""
    if options.duplicates not in DUPLICATE_RULES and any(n.export.submissions for n in numbered):
        raise ValueError(f"unknown duplicate rule {options.duplicates!r}")
    percents: list[dict[int, float | None]] = [{} for _ in identities.people]
    problems: list[Problem] = []
    for n in numbered:
        test, test_max = n.test.number, maxima[n.test.number][0]
        first, repeats = _submissions_by_person(n, identities.person_of)
        for person, sub in first.items():
            subs = repeats.get(person)
            if subs is None:  # nearly everyone: nothing to choose
                percents[person][test] = _percent(sub, test_max)
                continue
            scored = [ScoredSubmission(s, _percent(s, test_max)) for s in subs]
            chosen, dropped = pick_submission(scored, options.duplicates)
            percents[person][test] = chosen.percent
            name = identities.people[person].name
            for other in dropped:
                problems.append(
                    Problem(
                        kind="repeated-submission",
                        found=(
                            f"another submission for test {test} "
                            f"({_shown(other.percent)}, row {other.submission.row})"
                        ),
                        action=(
                            f"kept the {options.duplicates} one ({_shown(chosen.percent)}, "
                            f"row {chosen.submission.row})"
                        ),
                        file=n.export.file_name,
                        row=other.submission.row,
                        person=name,
                    )
                )
    return percents, problems


def _submissions_by_person(
    n: NumberedExport, person_of: dict[tuple[int, int], int]
) -> tuple[dict[int, Submission], dict[int, list[Submission]]]:
    """One test's first submission of each person, in reading order, and every submission of
    those who sent several."""
    test, subs = n.test.number, n.export.submissions
    first: dict[int, Submission] = {}
    repeats: dict[int, list[Submission]] = {}
    for person, sub in zip([person_of[test, sub.row] for sub in subs], subs, strict=True):
        earlier = first.setdefault(person, sub)
        if earlier is not sub:
            repeats.setdefault(person, [earlier]).append(sub)
    return first, repeats


def _shown(percent: float | None) -> str:
    return "no score" if percent is None else f"{percent:.1f}%"


def grade_participants(
    identities: Identities,
    percents: list[dict[int, float | None]],
    tests: tuple[int, ...],
    options: CompileOptions,
    weights: Sequence[float] | None = None,
) -> tuple[ParticipantResult, ...]:
    """Each person's row of the Results sheet, sorted by name (with a roster, the people who
    are not on it after those who are): their percentages as shown, the
    final average by the policy, `weights` (one per test, None: all 1) and the drop, the letter."""
    grader = Grader(options.policy, weights, options.drop_lowest)
    letters = options.letters
    # Grade the one-decimal figures the workbook shows, so that a reader's sums agree.
    shown_of = _OneDecimal()
    results = []
    for person, taken in zip(identities.people, percents, strict=True):
        shown = [None if (p := taken.get(test)) is None else shown_of[p] for test in tests]
        g = grader.grade(shown)
        results.append(
            ParticipantResult(
                name=person.name,
                email=person.email,
                scores=dict(zip(tests, shown, strict=True)),
                assignment=g.assignment,
                final_average=g.final_average,
                passed=g.passed,
                dropped=tuple(tests[i] for i in g.dropped),
                letter=None if letters is None else letters.letter_of(g.final_average),
                off_roster=person.off_roster,
            )
        )
    results.sort(key=lambda p: (p.off_roster, p.name.casefold(), p.email or ""))
    return tuple(results)


class _OneDecimal(dict[float, float]):
    """Each percentage to one decimal, worked out once: percentages repeat (a test out of 17
    has 18). Zeros are worked out each time, as -0.0 and 0.0 are one key."""

    def __missing__(self, percent: float) -> float:
        rounded = round_half_up(percent, 1)
        if percent:
            self[percent] = rounded
        return rounded
