"""A reference for final averages, written from the rules in words (compiler/grade/policies.py's
docstring) in exact fractions, for the tests to check the compiler's decimals against."""

from __future__ import annotations

import math
from fractions import Fraction

from compiler.model import Policy


def half_up(value: Fraction, places: int) -> Fraction:
    """Round a value >= 0 half up to `places` decimals, exactly."""
    scale = 10**places
    return Fraction(math.floor(value * scale + Fraction(1, 2)), scale)


def exact(value: float) -> Fraction:
    return Fraction(repr(value))  # the decimal the float was written as


def reference_assignment(counted: list[float | None]) -> Fraction:
    """The predecessor's participation mark, from its description: the share of tests taken
    (score above 0) picks 85-93 (>= 80%), 80 (>= 60%), 70-75 (>= 40%) or 50; the average of
    those taken picks the place in it: 0.9 (>= 85), 0.7 (>= 75), 0.5 (>= 65), 0.3 (>= 55), 0.1."""
    taken = [exact(s) for s in counted if s is not None and s > 0]
    share = Fraction(100 * len(taken), len(counted))
    low, high = next(
        band
        for minimum, band in ((80, (85, 93)), (60, (80, 80)), (40, (70, 75)), (0, (50, 50)))
        if share >= minimum
    )
    average = sum(taken, Fraction(0)) / len(taken) if taken else Fraction(0)
    place = next(
        p
        for m, p in ((85, "0.9"), (75, "0.7"), (65, "0.5"), (55, "0.3"), (0, "0.1"))
        if average >= m
    )
    return half_up(low + (high - low) * Fraction(place), 1)


def reference_final(
    scores: list[float | None], weights: list[float], policy: Policy, drop: int
) -> tuple[Fraction, set[int]]:
    """The final average and the positions dropped, straight from the rules in words."""
    counting = [i for i, w in enumerate(weights) if w > 0]
    if policy.missing_counts_zero:
        results = {i: exact(scores[i] or 0.0) for i in counting}
    else:
        results = {i: exact(s) for i in counting if (s := scores[i]) is not None}
    # The lowest first; among equals the heavier, then the earlier; the highest always stays.
    order = sorted(results, key=lambda i: (results[i], -exact(weights[i]), i))
    dropped = set(order[: max(0, min(drop, len(results) - 1))])
    pairs = [(exact(weights[i]), results[i]) for i in results if i not in dropped]
    if policy.participation_assignment:
        mean_weight = sum(exact(weights[i]) for i in counting) / len(counting)
        pairs.append((mean_weight, reference_assignment([scores[i] for i in counting])))
    total_weight = sum(w for w, _ in pairs)
    if not total_weight:
        return Fraction(0), dropped
    return half_up(sum(w * p for w, p in pairs) / total_weight, 2), dropped
