"""Grading: which of a person's repeated submissions counts, and what their tests add up to.

All arithmetic is decimal, and rounding is half-up as in Excel (72.125 -> 72.13), never the
banker's rounding of Python's `round`. Percentages go in as floats and are read through their
shortest decimal spelling, so 0.1 + 0.2 troubles never reach a threshold.

Policies (data in `compiler.model.Policy`):

- `classic`, the predecessor's rules and the default: a missing test counts 0, and an extra
  Assignment mark comes from participation (see `participation_assignment`); the final average
  is (sum of tests + assignment) / (number of tests + 1), two decimals.
- `average`: the mean of the tests taken, missing tests left out, no Assignment; someone with
  no score at all gets 0.
- `strict`: a missing test counts 0, no Assignment.

PASS is a final average, as shown (two decimals), at or above the pass mark.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from types import MappingProxyType

from compiler.errors import CompilerError
from compiler.model import DuplicateRule, Policy, Submission, TestStats

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

# Percentages repeat (a test out of 17 has 18 of them), so each is converted and rounded once;
# the caches are bounded, and a miss only costs the conversion.
_CACHE_SIZE = 4_096
# Float and integer shortcuts (see `_rounded_quickly` and `_tenths`) hold for values below this:
# a float's error there is far below a tenth, and decimal sums of them stay exact.
_FLOAT_EXACT_BELOW = 2.0**40
_SCALES = (1, 10, 100, 1000)
_NOT_NEAR_A_HALF = 0.5 - 2.0**-8


@dataclass(frozen=True, slots=True)
class Grade:
    """One person's result: the Assignment mark (None when the policy has none), the final
    average (two decimals) and whether it passes."""

    assignment: float | None
    final_average: float
    passed: bool


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


def round_half_up(value: float | Decimal, places: int) -> float:
    """Round like Excel's ROUND: halves go away from zero (72.125 -> 72.13, 0.5 -> 1)."""
    if isinstance(value, Decimal):
        return _quantized(value, places)
    if not value:
        return float(value)  # 0.0 or -0.0 as it is: a cache keyed by value would mix them up
    quick = _rounded_quickly(value, places)
    return quick if quick is not None else _rounded_float(float(value), places)


def _rounded_quickly(value: float, places: int) -> float | None:
    """`round_half_up` in float arithmetic, or None when it cannot be sure of the answer.

    Why it agrees: below 2**40 once scaled, value * 10**places is within 2**-12 of the
    scaled decimal the float is written as (its shortest repr), so unless that is within
    2**-8 of a half (then None: the decimal way decides), both round to the same whole
    number, and dividing it by the scale is the float nearest that decimal, as `float` of
    the quantized Decimal is.
    """
    if not 0 <= places < len(_SCALES) or not value > 0:  # NaN fails too
        return None
    scale = _SCALES[places]
    scaled = value * scale
    if not scaled < _FLOAT_EXACT_BELOW:
        return None
    nearest = round(scaled)
    if abs(scaled - nearest) > _NOT_NEAR_A_HALF:
        return None
    return nearest / scale


@lru_cache(maxsize=_CACHE_SIZE)
def _rounded_float(value: float, places: int) -> float:
    return _quantized(_decimal(value), places)


def _quantized(exact: Decimal, places: int) -> float:
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def grade(
    percent_by_test: Mapping[int, float | None], tests: Sequence[int], policy: Policy
) -> Grade:
    """Combine one person's percentages over `tests` (absent or None: not taken) by `policy`.

    Worked example (classic): tests 90, 80, missing, 70, 100 -> 4 of 5 taken (80%) -> band
    85-93; the average of those taken is 85 -> position 0.9 -> Assignment 85 + 8 x 0.9 = 92.2;
    final (90 + 80 + 0 + 70 + 100 + 92.2) / 6 = 72.03.
    """
    if not tests:
        raise ValueError("grade needs at least one test")
    return Grader(policy).grade([percent_by_test.get(test) for test in tests])


class Grader:
    """Grades people one after another by one policy (see `grade`), its figures read once."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self._in_tenths = _PolicyInTenths.of(policy)
        self._tenths_of = _TenthsOf()

    def grade(self, scores: Sequence[float | None]) -> Grade:
        """`grade` of a person's scores, one per test in order (None: not taken)."""
        if not scores:
            raise ValueError("grade needs at least one test")
        if self._in_tenths is not None:
            tenths_of = self._tenths_of
            present = [tenths_of[s] for s in scores if s is not None]
            if -1 not in present:
                quick = self._in_tenths.grade(len(scores), present)
                if quick is not None:
                    return quick
        return _graded_exactly(scores, self.policy)


class _TenthsOf(dict[float, int]):
    """`_tenths` of each score, worked out once: a class's scores repeat (a test out of 17
    has 18), and a Grader lives for one compile."""

    def __missing__(self, score: float) -> int:
        tenths = _tenths(score)
        if score:  # 0.0 and -0.0 are one key but not one score
            self[score] = tenths
        return tenths


def _graded_exactly(scores: Sequence[float | None], policy: Policy) -> Grade:
    if policy.missing_counts_zero:
        counted = [_decimal(s) if s is not None else Decimal(0) for s in scores]
    else:
        counted = [_decimal(s) for s in scores if s is not None]
    assignment = (
        participation_assignment(scores, policy) if policy.participation_assignment else None
    )
    if assignment is not None:
        counted.append(_decimal(assignment))
    final = round_half_up(sum(counted, Decimal(0)) / len(counted), 2) if counted else 0.0
    return Grade(assignment=assignment, final_average=final, passed=final >= policy.pass_mark)


def _tenths(value: float) -> int:
    """A score as a whole number of tenths (72.5 -> 725), or -1 when it is not one, or is
    negative, -0.0 or huge.

    Why this is the decimal the score is written as: a float equal to t / 10 below 2**40 has
    no shorter spelling (another one-decimal number would be 0.1 away, far beyond its
    precision), so its shortest repr, which `_decimal` reads, is t / 10 exactly.
    """
    if not 0 <= value < _FLOAT_EXACT_BELOW:  # NaN fails too
        return -1
    tenths = round(value * 10)
    if tenths / 10 != value or (not tenths and math.copysign(1.0, value) < 0):
        return -1
    return tenths


@dataclass(frozen=True, slots=True)
class _PolicyInTenths:
    """A policy whose figures are all whole tenths, grading whole tenths with integers only.

    Why it agrees with the decimal way: sums of whole tenths are exact both ways; a decimal
    quotient is rounded to 28 digits, while the exact quotients compared or rounded here
    (a sum over a count of at most a few thousand) are either exactly on a threshold or half,
    and then have a short exact decimal, or are at least 1 / (200 x count) away from it, far
    beyond the 28th digit. So each comparison and each half-up rounding comes out the same.
    """

    missing_counts_zero: bool
    participation: bool
    pass_mark: float
    bands: tuple[tuple[int, int, int], ...]  # (least taken %, low, high), highest least first
    steps: tuple[tuple[int, int], ...]  # (least average, position), highest least first

    @staticmethod
    def of(policy: Policy) -> _PolicyInTenths | None:
        """The policy in tenths, or None when a figure is not a whole number of tenths."""
        if policy.participation_assignment and not policy.assignment_bands:
            return None  # the decimal way says what is wrong
        bands = sorted(policy.assignment_bands, key=lambda b: b.min_taken_percent, reverse=True)
        steps = sorted(policy.position_steps, key=lambda s: s.min_average, reverse=True)
        in_bands = [(_tenths(b.min_taken_percent), _tenths(b.low), _tenths(b.high)) for b in bands]
        in_steps = [(_tenths(s.min_average), _tenths(s.position)) for s in steps]
        if -1 in [f for figures in (*in_bands, *in_steps) for f in figures]:
            return None
        return _PolicyInTenths(
            missing_counts_zero=policy.missing_counts_zero,
            participation=policy.participation_assignment,
            pass_mark=policy.pass_mark,
            bands=tuple(in_bands),
            steps=tuple(in_steps),
        )

    def grade(self, tests: int, present: list[int]) -> Grade | None:
        """The grade of the scores, in tenths, of the tests taken of `tests`; None if it needs
        the decimal way."""
        total = sum(present)
        count = tests if self.missing_counts_zero else len(present)
        assignment = None
        if self.participation:
            assignment = self._assignment(tests, [t for t in present if t > 0])
            if assignment is None:
                return None
            total += assignment
            count += 1
        # Half up to hundredths: floor(10 x total / count + 1/2).
        final = (20 * total + count) // (2 * count) / 100 if count else 0.0
        return Grade(
            assignment=None if assignment is None else assignment / 10,
            final_average=final,
            passed=final >= self.pass_mark,
        )

    def _assignment(self, tests: int, taken: list[int]) -> int | None:
        """`participation_assignment` in tenths (None when it would be negative)."""
        count, total = len(taken), sum(taken)
        # taken x 100 / tests >= least / 10, and total / 10 / count >= least / 10.
        low, high = self.bands[-1][1:]
        for least, band_low, band_high in self.bands:
            if 1000 * count >= least * tests:
                low, high = band_low, band_high
                break
        position = 0
        for least, step_position in self.steps:
            if total >= least * count if count else least <= 0:
                position = step_position
                break
        hundredths = 10 * low + (high - low) * position
        return (hundredths + 5) // 10 if hundredths >= 0 else None


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
    quick = _stats_in_tenths(test, scored, pass_mark)
    return quick if quick is not None else _stats_exactly(test, scored, pass_mark)


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


def _stats_in_tenths(test: int, percents: list[float], pass_mark: float) -> TestStats | None:
    """`test_stats` of scores that are all whole tenths, in integers (why this agrees: see
    `_PolicyInTenths`); None when one is not, or the pass mark is not a number."""
    tenths = sorted(map(_TenthsOf().__getitem__, percents))
    if tenths[0] < 0 or not math.isfinite(pass_mark):
        return None
    count, total, middle = len(tenths), sum(tenths), len(tenths) // 2
    twice_median = 2 * tenths[middle] if count % 2 else tenths[middle - 1] + tenths[middle]
    passed = sum(p >= pass_mark for p in percents)  # the decimals compare as their floats do
    return TestStats(
        test=test,
        count=count,
        mean=(2 * total + count) // (2 * count) / 10,
        median=(twice_median + 1) // 2 / 10,
        minimum=tenths[0] / 10,
        maximum=tenths[-1] / 10,
        pass_rate=(2000 * passed + count) // (2 * count) / 10,
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
