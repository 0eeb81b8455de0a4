"""The float and integer shortcuts of compiler.grade.policies give what the decimal way gives."""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import model
from compiler.grade import policies as grading
from compiler.grade.policies import AVERAGE, CLASSIC, STRICT, Grader, round_half_up

tenths = st.integers(0, 10**7).map(lambda t: t / 10)
awkward = st.sampled_from([72.125, 2.675, 1.005, 49.995, 84.95, 0.05, 0.15, 1e-9, 2.0**40])
numbers = st.one_of(
    tenths, awkward, st.floats(0, 1000), st.floats(allow_nan=True, allow_infinity=True)
)


def same_float(a: float, b: float) -> bool:
    return repr(a) == repr(b)  # tells -0.0 from 0.0


@settings(max_examples=500)
@given(numbers, st.integers(0, 3))
def test_rounding_in_floats_is_rounding_the_decimal(value: float, places: int) -> None:
    quick = grading._rounded_quickly(value, places)
    if quick is not None:
        assert same_float(quick, grading._quantized(grading._decimal(value), places))


def test_rounding_in_floats_leaves_halves_to_the_decimals() -> None:
    assert grading._rounded_quickly(72.125, 2) is None  # 7212.5: a half
    assert grading._rounded_quickly(1.005, 2) is None  # 100.49999999999999: near one
    assert grading._rounded_quickly(72.126, 2) == 72.13
    assert round_half_up(1.005, 2) == 1.01


@settings(max_examples=500)
@given(st.one_of(numbers, st.integers(0, 10**6)))
def test_whole_tenths_are_the_decimal_as_written(value: float) -> None:
    whole = grading._tenths(value)
    if whole >= 0:
        assert Decimal(whole) / 10 == grading._decimal(value)
        assert not (value == 0 and math.copysign(1.0, value) < 0)


def test_tenths_refuse_what_they_cannot_vouch_for() -> None:
    assert grading._tenths(72.5) == 725
    assert [grading._tenths(v) for v in (72.25, -0.0, -1.0, math.nan, 2.0**41)] == [-1] * 5


scores = st.lists(st.one_of(st.none(), tenths, awkward, st.floats(0, 100)), min_size=1, max_size=9)
figures = st.one_of(
    st.integers(0, 1000).map(lambda t: t / 10), st.sampled_from([0.25, 80.05, -5.0])
)
bands = st.lists(st.builds(model.AssignmentBand, figures, figures, figures), max_size=4)
steps = st.lists(st.builds(model.PositionStep, figures, figures), max_size=4)
policies = st.one_of(
    st.sampled_from([CLASSIC, AVERAGE, STRICT]),
    st.builds(
        lambda base, b, s, mark: replace(
            base, assignment_bands=tuple(b), position_steps=tuple(s), pass_mark=mark
        ),
        st.sampled_from([CLASSIC, AVERAGE, STRICT]),
        bands,
        steps,
        figures,
    ),
)


@settings(max_examples=500)
@given(scores, policies)
def test_grading_in_tenths_is_grading_in_decimals(
    percents: list[float | None], policy: model.Policy
) -> None:
    try:
        exact: object = grading._graded_exactly(percents, policy)
    except (ValueError, ArithmeticError) as refused:
        exact = repr(refused)
    try:
        quick: object = Grader(policy).grade(percents)
    except (ValueError, ArithmeticError) as refused:
        quick = repr(refused)
    assert repr(quick) == repr(exact)


def test_classic_is_graded_in_tenths() -> None:
    quick = grading._PolicyInTenths.of(CLASSIC)
    assert quick is not None
    assert quick.grade(5, [900, 800, 700, 1000]) == grading.Grade(92.2, 72.03, True)


@settings(max_examples=500)
@given(st.lists(st.one_of(tenths, awkward, st.floats(0, 100)), min_size=1, max_size=12), figures)
def test_stats_in_tenths_are_the_decimal_stats(percents: list[float], pass_mark: float) -> None:
    quick = grading._stats_in_tenths(4, percents, pass_mark)
    if quick is not None:
        assert repr(quick) == repr(grading._stats_exactly(4, percents, pass_mark))


def test_stats_of_one_decimal_figures_are_in_tenths() -> None:
    percents = [50.0, 70.0, 90.0, 40.3, 0.0]
    assert grading._stats_in_tenths(1, percents, 50.0) is not None
    assert grading.test_stats(1, percents) == model.TestStats(1, 5, 50.1, 50.0, 0.0, 90.0, 60.0)


def test_an_assignment_on_a_half_rounds_up_in_tenths() -> None:
    # 0.0 + (0.5 - 0.0) x 0.1 = 0.05 -> 0.1, half up
    policy = replace(
        CLASSIC,
        assignment_bands=(model.AssignmentBand(0.0, 0.0, 0.5),),
        position_steps=(model.PositionStep(0.0, 0.1),),
    )
    assert grading._PolicyInTenths.of(policy) is not None
    assert Grader(policy).grade([100.0]).assignment == 0.1
    assert grading._graded_exactly([100.0], policy).assignment == 0.1
