"""CompileReports built by hand (invented people only) for tests of what is written from them."""

from __future__ import annotations

import random

from compiler.model import (
    ColumnChoice,
    CompileReport,
    LetterScale,
    LookAlike,
    LookAlikeSide,
    ParticipantResult,
    Policy,
    Problem,
    SourceInfo,
    TestNumber,
    TestStats,
    TestWeight,
)

AVERAGE_POLICY = Policy(
    name="average",
    description="The mean of the tests taken; a missing test is left out.",
    missing_counts_zero=False,
    participation_assignment=False,
    pass_mark=50.0,
)
ASSIGNMENT_POLICY = Policy(
    name="predecessor",
    description="Tests plus a participation assignment; a missing test counts as zero.",
    missing_counts_zero=True,
    participation_assignment=True,
    pass_mark=60.0,
)


def person(
    name: str,
    scores: dict[int, float | None],
    final_average: float,
    *,
    email: str | None = None,
    assignment: float | None = None,
    pass_mark: float = 50.0,
    dropped: tuple[int, ...] = (),
    letters: LetterScale | None = None,
) -> ParticipantResult:
    """One Results row; passed follows the pass mark, the letter the scale."""
    return ParticipantResult(
        name=name,
        email=email,
        scores=scores,
        assignment=assignment,
        final_average=final_average,
        passed=final_average >= pass_mark,
        dropped=dropped,
        letter=None if letters is None else letters.letter_of(final_average),
    )


def source(file_name: str, test: int, *, out_of: float | None = 10.0) -> SourceInfo:
    """One Sources row for a Google Forms export."""
    return SourceInfo(
        file_name=file_name,
        test=TestNumber(test, "from the file name"),
        platform="Google Forms",
        sheet="Form Responses 1",
        columns=ColumnChoice(name="Full name", email="Email Address", score="Score"),
        out_of=out_of,
        max_source="the cell (like 8 / 10)",
        rows_read=5,
        rows_kept=4,
        rows_rejected=1,
    )


def report(
    participants: list[ParticipantResult],
    tests: tuple[int, ...],
    *,
    policy: Policy = AVERAGE_POLICY,
    test_stats: tuple[TestStats, ...] = (),
    sources: tuple[SourceInfo, ...] = (),
    problems: tuple[Problem, ...] = (),
    possible_same_person: tuple[tuple[str, str, str], ...] = (),
    weights: dict[int, float] | None = None,
    drop_lowest: int = 0,
    letters: LetterScale | None = None,
) -> CompileReport:
    """A CompileReport around the given rows; `weights` by test number, "given by you"."""
    return CompileReport(
        policy=policy,
        duplicates="best",
        tests=tests,
        participants=tuple(participants),
        test_stats=test_stats,
        sources=sources,
        problems=problems,
        possible_same_person=tuple(look_alike(a, b, why) for a, b, why in possible_same_person),
        weights=tuple(TestWeight(t, w, "given by you") for t, w in (weights or {}).items()),
        drop_lowest=drop_lowest,
        letters=letters,
    )


def large_report(participants: int, tests: int, seed: int = 7) -> CompileReport:
    """A report of `participants` invented people with random scores on `tests` tests."""
    rng = random.Random(seed)
    rows = []
    for i in range(participants):
        scores: dict[int, float | None] = {
            t: (None if rng.random() < 0.1 else round(rng.uniform(0, 100), 1))
            for t in range(1, tests + 1)
        }
        taken = [s for s in scores.values() if s is not None]
        average = sum(taken) / len(taken) if taken else 0.0
        rows.append(
            person(f"Person {i:05d}-Test", scores, average, email=f"person{i}@example.test")
        )
    return report(rows, tuple(range(1, tests + 1)))


def look_alike(a: str, b: str, why: str) -> LookAlike:
    """A look-alike pair of two people known by name only, each seen in test 1."""
    return LookAlike(
        a=LookAlikeSide(handle=a, name=a, names=(a,), emails=(), tests=(1,)),
        b=LookAlikeSide(handle=b, name=b, names=(b,), emails=(), tests=(1,)),
        reason=why,
        why=why,
    )
