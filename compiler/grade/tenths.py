"""Final averages in whole numbers, for percentages that are whole tenths.

The workbook shows each percentage to one decimal, and the compile grades what it shows
(`compiler.grade.results`), so nearly every score that reaches grading is a whole number of
tenths (72.5 is 725). Weights are decimals, so a common denominator makes them whole numbers
too. Then every sum, the Assignment's band and place, the weighted mean and its half-up
rounding are integer arithmetic: exact like the decimal path in `policies` (which grades
anything else), and a few times faster. A test holds the two to each other, result for result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache

from compiler.model import AssignmentBand, Policy

_CACHE_SIZE = 4_096


@lru_cache(maxsize=_CACHE_SIZE)
def whole_tenths(percent: float) -> int | None:
    """`percent` in tenths when that is a whole number of them, 0 or more (72.5 -> 725; 0.0 and
    -0.0 -> 0); None otherwise (72.25, -5, NaN), for the decimal path."""
    if not (math.isfinite(percent) and percent >= 0):
        return None
    tenths = Decimal(repr(percent)).scaleb(1)
    return int(tenths) if tenths == tenths.to_integral_value() else None


def _decimal(value: float) -> Decimal:
    """`value` as written: its shortest decimal."""
    return Decimal(repr(float(value)))


def _ratio(value: float) -> tuple[int, int]:
    """`value` as written, as numerator and denominator (the denominator above 0)."""
    return _decimal(value).as_integer_ratio()


class WholeTenths:
    """One policy's weights, drop and Assignment rules, read once into whole numbers."""

    def __init__(self, policy: Policy, weights: Sequence[Decimal], drop: int) -> None:
        ratios = [w.as_integer_ratio() for w in weights]
        common = math.lcm(*(d for _, d in ratios))
        self.weights = [n * (common // d) for n, d in ratios]
        self.counting = [i for i, w in enumerate(self.weights) if w > 0]
        self.all_weight = sum(self.weights[i] for i in self.counting)
        self.zero_missing = policy.missing_counts_zero
        self.drop = drop
        self.participation = policy.participation_assignment
        bands = sorted(policy.assignment_bands, key=lambda b: b.min_taken_percent, reverse=True)
        self.bands = [(_ratio(b.min_taken_percent), b) for b in bands]
        steps = sorted(policy.position_steps, key=lambda s: s.min_average, reverse=True)
        self.steps = [(_ratio(s.min_average), s) for s in steps]
        self._assignments: dict[tuple[int, int | None], int] = {}

    def grade(self, tenths: Sequence[int | None]) -> tuple[int | None, int, tuple[int, ...]]:
        """(the Assignment in tenths or None, the final average in hundredths, the positions
        dropped) of one person's tenths (None: not taken)."""
        weights = self.weights
        if self.zero_missing:
            results = [(tenths[i] or 0, -weights[i], i) for i in self.counting]
        else:
            results = [(t, -weights[i], i) for i in self.counting if (t := tenths[i]) is not None]
        count = min(self.drop, len(results) - 1)
        dropped: tuple[int, ...] = ()
        if count > 0:  # the lowest, then the heavier, then the earlier: the order of the tuples
            results.sort()
            dropped = tuple(sorted(i for _, _, i in results[:count]))
            results = results[count:]
        total = sum(t * weights[i] for t, _, i in results)
        weight = sum(weights[i] for _, _, i in results)
        assignment = None
        if self.participation:
            assignment = self._assignment(tenths)
            m = len(self.counting)  # one more test of the mean weight, multiplied through by m
            total, weight = m * total + self.all_weight * assignment, m * weight + self.all_weight
        if not weight:
            return assignment, 0, dropped
        return assignment, _half_up(10 * total, weight), dropped  # final x 100 = 10 total / weight

    def _assignment(self, tenths: Sequence[int | None]) -> int:
        """The participation mark in tenths, as `policies.participation_assignment` has it."""
        taken = [t for i in self.counting if (t := tenths[i]) is not None and t > 0]
        share = len(taken) * 100  # / len(counting), cross-multiplied below
        m = len(self.counting)
        band = next((k for k, ((p, q), _) in enumerate(self.bands) if share * q >= p * m), None)
        band = len(self.bands) - 1 if band is None else band
        total = sum(taken)  # the average of those taken is total / (10 x len(taken))
        step = next(
            (
                k
                for k, ((p, q), _) in enumerate(self.steps)
                if (total * q >= p * 10 * len(taken) if taken else p <= 0)
            ),
            None,
        )
        key = (band, step)
        if key not in self._assignments:
            self._assignments[key] = self._mark(self.bands[band][1], step)
        return self._assignments[key]

    def _mark(self, band: AssignmentBand, step: int | None) -> int:
        position: float = 0.0 if step is None else self.steps[step][1].position
        low, high = _decimal(band.low), _decimal(band.high)
        mark = (low + (high - low) * _decimal(position)).scaleb(1)  # exact: a few digits each
        return _half_up(*mark.as_integer_ratio())


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator (denominator above 0) to a whole number, halves away from 0."""
    sign = -1 if numerator < 0 else 1
    return sign * ((2 * abs(numerator) + denominator) // (2 * denominator))
