"""What each test weighs in the final average: the teacher's weight, else the file's, else 1.

A D2L/Brightspace grade book states two weights per item: `Weight`, the item's share (in
percent) of its category, and `CategoryWeight`, the category's share of the course. The item's
share of the course is what the final average needs:

    effective weight = CategoryWeight x Weight / 100

so the items of a weighted grade book add up to 100 (a quiz at 33.3% of a 20% category weighs
6.67, a 50% exam category's only item weighs 50). An item with a `Weight` and no category
weighs its `Weight`; a category with a `CategoryWeight` whose items state no `Weight` is split
evenly among those of its items that are in the compile. A test whose file states nothing
weighs 1, so a weighted grade book merged with a one-quiz export puts that quiz at 1 (out of the
grade book's 100): give it a weight with `--weight` (or `/weights`) when that is not wanted.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Protocol

from compiler.errors import CompilerError
from compiler.model import CompileOptions, ExportSummary, NumberedExport, TestWeight

DEFAULT_WEIGHT = 1.0
MAX_WEIGHT = 1_000_000.0
GIVEN = "given by you"
DEFAULT = "the default"

Category = tuple[str, str | None] | None  # (file, category) of an item with a CategoryWeight


class WeighedItem(Protocol):
    """What a file says of an item's weight: an `Export`, or the `ExportSummary` storage keeps."""

    @property
    def file_name(self) -> str: ...
    @property
    def weight(self) -> float | None: ...
    @property
    def category(self) -> str | None: ...
    @property
    def category_weight(self) -> float | None: ...


def test_weights(
    numbered: Sequence[NumberedExport], options: CompileOptions
) -> tuple[TestWeight, ...]:
    """Each test's weight and where it came from, in the order of `numbered`.

    Raises CompilerError when a weight given is not a number from 0 to `MAX_WEIGHT`, or when
    every test weighs 0 (nothing would count).
    """
    return resolve_weights([(n.test.number, n.export) for n in numbered], options.weights)


test_weights.__test__ = False  # type: ignore[attr-defined]  # pytest must not collect it


def summary_weights(
    summaries: Sequence[ExportSummary], given: Mapping[int, float]
) -> tuple[TestWeight, ...]:
    """`test_weights` from what storage keeps of each parse (a session's `ExportSummary`s) and
    the weights a teacher gave: what `/weights` shows before a compile."""
    return resolve_weights([(s.test.number, s) for s in summaries], given)


def resolve_weights(
    items: Sequence[tuple[int, WeighedItem]], given: Mapping[int, float]
) -> tuple[TestWeight, ...]:
    """Each (test number, item)'s weight: `given`, else what the item's file states, else 1."""
    check_weights(given)
    unweighted = Counter(_category(item) for _, item in items if item.weight is None)
    weights = []
    for test, item in items:
        if test in given:
            weights.append(TestWeight(test, float(given[test]) + 0.0, GIVEN))
        else:
            weights.append(_stated(test, item, unweighted))
    if weights and not any(w.weight > 0 for w in weights):
        raise CompilerError(
            "Every test has weight 0, so none would count: give at least one a weight above 0."
        )
    return tuple(weights)


def check_weights(weights: Mapping[int, float]) -> None:
    """Refuse a weight that is not a finite number from 0 to `MAX_WEIGHT`."""
    for test, weight in weights.items():
        if not isinstance(weight, int | float) or not math.isfinite(weight):
            raise CompilerError(f"Test {test}: a weight must be a number, not {weight!r}.")
        if not 0 <= weight <= MAX_WEIGHT:
            raise CompilerError(
                f"Test {test}: a weight must be from 0 to {MAX_WEIGHT:,.0f}, not {weight:g} "
                "(0 leaves the test out)."
            )


def _category(export: WeighedItem) -> Category:
    """The file and category a D2L item shares its `CategoryWeight` with (None: none stated)."""
    if export.category_weight is None:
        return None
    return export.file_name, export.category


def _stated(test: int, export: WeighedItem, unweighted: Counter[Category]) -> TestWeight:
    item, category = export.weight, export.category_weight
    if not (_usable(item) and _usable(category)):
        return TestWeight(test, DEFAULT_WEIGHT, f"{DEFAULT} (the file's weight is not usable)")
    if item is not None and category is not None:
        # In decimals, as the file writes them: 20 x 33.333333333 / 100 is 6.6666666666.
        weight = float(Decimal(repr(category)) * Decimal(repr(item)) / 100)
        why = f"from the file: category weight {category:g} x item weight {item:g} / 100"
        return TestWeight(test, weight, why)
    if item is not None:
        return TestWeight(test, item, f"from the file: weight {item:g}")
    if category is not None:
        share = unweighted[_category(export)]
        why = f"from the file: category weight {category:g} shared by {share} item(s)"
        return TestWeight(test, category / share, why)
    return TestWeight(test, DEFAULT_WEIGHT, DEFAULT)


def _usable(weight: float | None) -> bool:
    """A weight a file states is used when it is a number from 0 to `MAX_WEIGHT` (or absent)."""
    return weight is None or (math.isfinite(weight) and 0 <= weight <= MAX_WEIGHT)
