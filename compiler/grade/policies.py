"""Grading: which of a person's repeated submissions counts, and what their tests add up to.

All arithmetic is exact, and rounding is half-up as in Excel (72.125 -> 72.13), never the
banker's rounding of Python's `round`. Percentages go in as floats and are read through their
shortest decimal spelling, so 0.1 + 0.2 troubles never reach a threshold. Scores that are whole
tenths (what the workbook shows, so nearly all) are graded in integers (`tenths.py`), anything
else in decimals; the two agree to the last digit.

Policies (data in `compiler.model.Policy`):

- `classic`, the predecessor's rules and the default: a missing test counts 0, and an extra
  Assignment mark comes from participation (see `participation_assignment`); the final average
  is (sum of tests + assignment) / (number of tests + 1), two decimals.
- `average`: the mean of the tests taken, missing tests left out, no Assignment; someone with
  no score at all gets 0.
- `strict`: a missing test counts 0, no Assignment.

Weights and dropped results (the teacher's choices in `CompileOptions`):

- The tests that count are those of weight above 0; under `average` only those taken. The final
  average is their weighted mean: sum of weight x percent / sum of weights. A weight of 0 leaves
  a test out entirely (of the Assignment's participation too).
- Dropping the lowest N leaves out each person's N lowest percentages among the tests that
  count (under `classic` and `strict` a missing test is a 0 and may be one of them), but never
  the last one: someone with N or fewer counting results keeps their highest. Among equal
  percentages the heavier test goes first (which never lowers the final), then the earlier.
- `classic`'s Assignment mark is worked out from the tests that count, before any is dropped,
  exactly as without weights; it joins the final average as one more test weighing the mean
  weight of the tests that count. With every weight 1 that is the predecessor's
  (sum of tests + assignment) / (tests + 1), and scaling every weight alike changes nothing.

PASS is a final average, as shown (two decimals), at or above the pass mark.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache
from types import MappingProxyType

from compiler.errors import CompilerError
from compiler.grade.tenths import WholeTenths, whole_tenths
from compiler.model import CompileOptions, DuplicateRule, Policy, Submission, TestStats

CLASSIC = Policy(
    name="classic",
    description=(
        "a missing test counts 0; an Assignment mark from participation joins the tests "
        "in the average"
    ),
    missing_counts_zero=True,
    participation_assignment=True,
)
AVERAGE = Policy(
    name="average",
    description="the mean of the tests taken; a missing test is left out",
    missing_counts_zero=False,
    participation_assignment=False,
)
STRICT = Policy(
    name="strict",
    description="the mean of all tests; a missing test counts 0",
    missing_counts_zero=True,
    participation_assignment=False,
)
POLICIES: Mapping[str, Policy] = MappingProxyType({p.name: p for p in (CLASSIC, AVERAGE, STRICT)})
DEFAULT_POLICY = CLASSIC.name

MAX_DROP_LOWEST = 1_000

# Percentages repeat (a test out of 17 has 18 of them), so each is converted and rounded once;
# the caches are bounded, and a miss only costs the conversion.
_CACHE_SIZE = 4_096
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Grade:
    """One person's result: the Assignment mark (None when the policy has none), the final
    average (two decimals), whether it passes, and which results were dropped (their positions
    among the scores graded)."""

    assignment: float | None
    final_average: float
    passed: bool
    dropped: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ScoredSubmission:
    """A submission with its percentage (None: no score), as compared between repeats."""

    submission: Submission
    percent: float | None


def policy_named(name: str) -> Policy:
    """The policy called `name` (any case), or a CompilerError listing the choices."""
    policy = POLICIES.get(name.strip().lower())
    if policy is None:
        choices = ", ".join(POLICIES)
        raise CompilerError(f"There is no policy called {name!r}: choose one of {choices}.")
    return policy


def check_grading(options: CompileOptions) -> None:
    """Refuse a pass mark outside 0-100 or a number of results to drop that is not 0 or more
    (the weights are checked with the tests, in `compiler.grade.weights`)."""
    pass_mark = options.policy.pass_mark
    if not isinstance(pass_mark, int | float) or not 0 <= pass_mark <= 100:
        raise CompilerError(f"The pass mark must be a number from 0 to 100, not {pass_mark!r}.")
    drop = options.drop_lowest
    if not isinstance(drop, int) or isinstance(drop, bool) or not 0 <= drop <= MAX_DROP_LOWEST:
        raise CompilerError(
            f"The number of lowest results to drop must be a whole number from 0 to "
            f"{MAX_DROP_LOWEST:,}, not {drop!r}."
        )


def round_half_up(value: float | Decimal, places: int) -> float:
    """Round like Excel's ROUND: halves go away from zero (72.125 -> 72.13, 0.5 -> 1)."""
    if isinstance(value, Decimal):
        return _quantized(value, places)
    if not value:
        return float(value)  # 0.0 or -0.0 as it is: a cache keyed by value would mix them up
    return _rounded_float(float(value), places)


@lru_cache(maxsize=_CACHE_SIZE)
def _rounded_float(value: float, places: int) -> float:
    return _quantized(_decimal(value), places)


# Wide enough for any finite float to a few places (1e308 has 309 digits before the point).
_WIDE = Context(prec=340)


def _quantized(exact: Decimal, places: int) -> float:
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE))


def grade(
    percent_by_test: Mapping[int, float | None],
    tests: Sequence[int],
    policy: Policy,
    weights: Mapping[int, float] | None = None,
    drop_lowest: int = 0,
) -> Grade:
    """Combine one person's percentages over `tests` (absent or None: not taken) by `policy`,
    each test weighing `weights[test]` (1 when not given), the `drop_lowest` lowest left out.

    Worked example (classic): tests 90, 80, missing, 70, 100 -> 4 of 5 taken (80%) -> band
    85-93; the average of those taken is 85 -> position 0.9 -> Assignment 85 + 8 x 0.9 = 92.2;
    final (90 + 80 + 0 + 70 + 100 + 92.2) / 6 = 72.03.
    """
    if not tests:
        raise ValueError("grade needs at least one test")
    given = weights or {}
    grader = Grader(policy, [given.get(test, 1.0) for test in tests], drop_lowest)
    return grader.grade([percent_by_test.get(test) for test in tests])


class Grader:
    """Grades people one after another by one policy, weights and drop (see `grade`), its
    figures read once. `weights` go with the scores by position (None: every test weighs 1)."""

    def __init__(
        self, policy: Policy, weights: Sequence[float] | None = None, drop_lowest: int = 0
    ) -> None:
        if drop_lowest < 0:
            raise ValueError("drop_lowest must be 0 or more")
        self.policy = policy
        self.weights = None if weights is None else tuple(_decimal(w) for w in weights)
        if self.weights is not None and not any(w > 0 for w in self.weights):
            raise ValueError("at least one test must weigh more than 0")
        self.drop_lowest = drop_lowest
        self._integers: dict[int, WholeTenths] = {}  # by number of tests

    def grade(self, scores: Sequence[float | None]) -> Grade:
        """`grade` of a person's scores, one per test in order (None: not taken)."""
        if not scores:
            raise ValueError("grade needs at least one test")
        weights = self.weights or (Decimal(1),) * len(scores)
        if len(weights) != len(scores):
            raise ValueError(f"{len(scores)} scores for {len(weights)} weights")
        tenths = _in_tenths(scores)
        if tenths is None:
            return _graded_exactly(scores, self.policy, weights, self.drop_lowest)
        integers = self._integers.get(len(scores))
        if integers is None:
            integers = WholeTenths(self.policy, weights, self.drop_lowest)
            self._integers[len(scores)] = integers
        assignment, hundredths, dropped = integers.grade(tenths)
        final = hundredths / 100
        return Grade(
            None if assignment is None else assignment / 10,
            final,
            final >= self.policy.pass_mark,
            dropped,
        )


def _in_tenths(scores: Sequence[float | None]) -> list[int | None] | None:
    """Each score in whole tenths (None: not taken), or None when one is not a whole tenth."""
    tenths: list[int | None] = []
    for score in scores:
        if score is None:
            tenths.append(None)
        elif (whole := whole_tenths(score)) is not None:
            tenths.append(whole)
        else:
            return None
    return tenths


# Wide enough that sums of weight x percent are exact, and a quotient's rounding sits far below
# the half-cent the final average is rounded at.
_EXACT = Context(prec=100)


def _graded_exactly(
    scores: Sequence[float | None], policy: Policy, weights: Sequence[Decimal], drop: int
) -> Grade:
    counting = [i for i, w in enumerate(weights) if w > 0]
    if policy.missing_counts_zero:
        results = [(i, _ZERO if (s := scores[i]) is None else _decimal(s)) for i in counting]
    else:
        results = [(i, _decimal(s)) for i in counting if (s := scores[i]) is not None]
    dropped = _lowest(results, weights, drop)
    assignment = (
        participation_assignment([scores[i] for i in counting], policy)
        if policy.participation_assignment
        else None
    )
    with localcontext(_EXACT):
        total = sum((weights[i] * p for i, p in results if i not in dropped), _ZERO)
        weight = sum((weights[i] for i, _ in results if i not in dropped), _ZERO)
        if assignment is not None:
            # One more test of the mean weight W / m: multiplied through by m, to stay exact.
            m, all_weights = len(counting), sum((weights[i] for i in counting), _ZERO)
            total = m * total + all_weights * _decimal(assignment)
            weight = m * weight + all_weights
        final = round_half_up(total / weight, 2) if weight else 0.0
    passed = final >= policy.pass_mark
    return Grade(assignment, final, passed, tuple(sorted(dropped)))


def _lowest(
    results: Sequence[tuple[int, Decimal]], weights: Sequence[Decimal], drop: int
) -> frozenset[int]:
    """The positions of the `drop` lowest results (never all of them): the lowest percentage
    first, then the heavier test, then the earlier."""
    count = min(drop, len(results) - 1)
    if count <= 0:
        return frozenset()
    order = sorted(results, key=lambda r: (r[1], -weights[r[0]], r[0]))
    return frozenset(i for i, _ in order[:count])


def participation_assignment(scores: Sequence[float | None], policy: Policy) -> float:
    """The predecessor's Assignment mark, one decimal, for the scores of every test.

    A test counts as taken when its score is above 0. The share taken picks the band (the
    highest whose minimum it reaches; below them all, the lowest band); the average of the
    tests taken picks the position in it: low + (high - low) x position.
    """
    if not scores or not policy.assignment_bands:
        raise ValueError("participation needs at least one test and one band")
    taken = [_decimal(s) for s in scores if s is not None and s > 0]
    share = Decimal(len(taken) * 100) / len(scores)
    bands = sorted(policy.assignment_bands, key=lambda b: b.min_taken_percent, reverse=True)
    band = next((b for b in bands if share >= _decimal(b.min_taken_percent)), bands[-1])
    average = sum(taken, Decimal(0)) / len(taken) if taken else Decimal(0)
    steps = sorted(policy.position_steps, key=lambda s: s.min_average, reverse=True)
    position = next((s.position for s in steps if average >= _decimal(s.min_average)), 0.0)
    low, high = _decimal(band.low), _decimal(band.high)
    return round_half_up(low + (high - low) * _decimal(position), 1)


def pick_submission(
    subs: Sequence[ScoredSubmission], rule: DuplicateRule
) -> tuple[ScoredSubmission, list[ScoredSubmission]]:
    """Keep one of a person's submissions to one test; return it and the ones dropped.

    `first`/`latest` go by submission time when every repeat has one, else by sheet row.
    `best` keeps the highest percentage (no score ranks below any score); a tie goes to the
    latest. The dropped ones keep their given order, for the caller to report.
    """
    if not subs:
        raise ValueError("pick_submission needs at least one submission")
    if rule not in ("first", "latest", "best"):
        raise ValueError(f"unknown duplicate rule {rule!r}")
    if len(subs) == 1:
        return subs[0], []
    order = _chronological(subs)
    if rule == "first":
        chosen = order[0]
    elif rule == "latest":
        chosen = order[-1]
    else:
        chosen = max(enumerate(order), key=lambda p: (_rank(subs[p[1]].percent), p[0]))[1]
    return subs[chosen], [s for i, s in enumerate(subs) if i != chosen]


def _chronological(subs: Sequence[ScoredSubmission]) -> list[int]:
    """Indices of `subs` oldest first: by time when all have one (comparable), else by row."""
    times = [s.submission.submitted_at for s in subs]
    if _comparable(times):
        return sorted(range(len(subs)), key=lambda i: (times[i], subs[i].submission.row))
    return sorted(range(len(subs)), key=lambda i: subs[i].submission.row)


def _comparable(times: list[datetime | None]) -> bool:
    known = [t for t in times if t is not None]
    if len(known) != len(times):
        return False
    return len({t.tzinfo is None or t.utcoffset() is None for t in known}) <= 1


def _rank(percent: float | None) -> float:
    return -math.inf if percent is None else percent


def test_stats(test: int, percents: Iterable[float | None], pass_mark: float = 50.0) -> TestStats:
    """The Summary row of one test: takers (percent not None), mean, median, lowest, highest
    and the share of takers at or above the pass mark (0-100), each to one decimal."""
    scored = [p for p in percents if p is not None]
    if not scored:
        return TestStats(test, 0, None, None, None, None, None)
    return _stats_exactly(test, scored, pass_mark)


def _stats_exactly(test: int, scored: list[float], pass_mark: float) -> TestStats:
    taken = [_decimal(p) for p in scored]
    passed = sum(1 for p in taken if p >= _decimal(pass_mark))
    return TestStats(
        test=test,
        count=len(taken),
        mean=round_half_up(sum(taken, Decimal(0)) / len(taken), 1),
        median=round_half_up(statistics.median(taken), 1),
        minimum=round_half_up(min(taken), 1),
        maximum=round_half_up(max(taken), 1),
        pass_rate=round_half_up(Decimal(passed * 100) / len(taken), 1),
    )


def _decimal(value: float) -> Decimal:
    """The decimal a float was written as (0.1 -> Decimal('0.1'), not 0.1000000000000000055)."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    if not value:
        return Decimal(repr(float(value)))  # keeps the sign of -0.0, which equals 0.0 as a key
    return _decimal_of(float(value))


@lru_cache(maxsize=_CACHE_SIZE)
def _decimal_of(value: float) -> Decimal:
    return Decimal(repr(value))
