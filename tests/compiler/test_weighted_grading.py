"""Weights and dropped results: finals checked against a small reference in exact fractions,
worked examples by hand, and where each test's weight comes from."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from compiler import (
    CompileOptions,
    CompilerError,
    TestNumber,
    compile_paths,
    inspect_file,
    summary_from_dict,
    summary_weights,
)
from compiler.grade import policies as grading
from compiler.grade.policies import AVERAGE, CLASSIC, STRICT, Grade, grade
from compiler.grade.tenths import whole_tenths
from compiler.grade.weights import test_weights as weights_of
from compiler.model import (
    AssignmentBand,
    Export,
    NumberedExport,
    Policy,
    PositionStep,
    UploadedFile,
)
from compiler.pipeline import read_files
from tests.support.grading_reference import reference_final
from tests.support.platform_corpus import CORPUS

# --- random classes against the reference -------------------------------------------------

TIES = [0.0, 40.0, 50.0, 55.5, 72.5, 100.0]  # few values, so equal percentages are common
score = st.none() | st.sampled_from(TIES) | st.integers(0, 1000).map(lambda t: t / 10)
weight = st.sampled_from([0.0, 0.5, 1.0, 1.0, 2.0, 3.0, 6.667, 33.333, 50.0]) | st.integers(0, 9)


@st.composite
def classes(draw: st.DrawFn) -> tuple[list[list[float | None]], list[float], int]:
    tests = draw(st.integers(1, 7))
    weights = [float(w) for w in draw(st.lists(weight, min_size=tests, max_size=tests))]
    if not any(weights):
        weights[draw(st.integers(0, tests - 1))] = float(draw(st.integers(1, 5)))
    people = draw(
        st.lists(st.lists(score, min_size=tests, max_size=tests), min_size=1, max_size=12)
    )
    people.append([None] * tests)  # someone who took nothing
    return people, weights, draw(st.integers(0, 4))


@given(classes(), st.sampled_from([CLASSIC, AVERAGE, STRICT]))
@example(([[50.0, 50.0, 90.0]], [1.0, 3.0, 1.0], 1), STRICT)  # a tie: the heavier goes
@example(([[None, None]], [0.0, 2.0], 3), CLASSIC)  # all missing, a weight of 0
def test_finals_equal_the_reference(
    drawn: tuple[list[list[float | None]], list[float], int], policy: Policy
) -> None:
    people, weights, drop = drawn
    grader = grading.Grader(policy, weights, drop)
    for scores in people:
        expected, dropped = reference_final(scores, weights, policy, drop)
        got = grader.grade(scores)
        assert got.final_average == float(expected), (scores, weights, drop)
        assert set(got.dropped) == dropped
        assert got.passed == (expected >= 50)


@given(st.lists(score, min_size=1, max_size=8), st.sampled_from([CLASSIC, AVERAGE, STRICT]))
def test_weights_of_one_are_the_unweighted_rules(
    scores: list[float | None], policy: Policy
) -> None:
    tests = list(range(1, len(scores) + 1))
    by_test = dict(zip(tests, scores, strict=True))
    assert grade(by_test, tests, policy, dict.fromkeys(tests, 1.0)) == grade(by_test, tests, policy)


@given(classes(), st.sampled_from([CLASSIC, AVERAGE, STRICT]), st.sampled_from([2, 4, 0.5]))
def test_weighing_every_test_alike_changes_nothing(
    drawn: tuple[list[list[float | None]], list[float], int], policy: Policy, factor: float
) -> None:
    people, weights, drop = drawn
    scaled = [w * factor for w in weights]  # exact: a power of two
    for scores in people:
        once = grading.Grader(policy, weights, drop).grade(scores)
        again = grading.Grader(policy, scaled, drop).grade(scores)
        assert once.final_average == again.final_average


# --- by hand ------------------------------------------------------------------------------


def test_a_heavier_test_counts_more() -> None:
    # (80 x 1 + 60 x 3) / 4 = 65
    assert grade({1: 80.0, 2: 60.0}, [1, 2], STRICT, {2: 3.0}).final_average == 65.0


def test_a_weight_of_zero_leaves_the_test_out() -> None:
    # test 2 (weight 0) does not count: (80 + 0) / 2 = 40 under strict, 80 under average
    weights = {2: 0.0}
    assert grade({1: 80.0, 2: 100.0}, [1, 2, 3], STRICT, weights).final_average == 40.0
    assert grade({1: 80.0, 2: 100.0}, [1, 2, 3], AVERAGE, weights).final_average == 80.0


def test_classic_assignment_weighs_the_mean_test_weight() -> None:
    # weights 1 and 3 (mean 2); 80 and 60, both taken: band 85-93, their average 70 -> 0.5
    # -> Assignment 89; final (80 x 1 + 60 x 3 + 89 x 2) / (1 + 3 + 2) = 438 / 6 = 73
    result = grade({1: 80.0, 2: 60.0}, [1, 2], CLASSIC, {2: 3.0})
    assert result == Grade(assignment=89.0, final_average=73.0, passed=True)


def test_classic_participation_counts_only_the_tests_that_count() -> None:
    # test 3 weighs 0: 2 of 2 counting tests taken -> 85-93, average 90 -> 92.2;
    # final (90 + 90 + 92.2) / 3 = 90.73 (test 3's missing score is no absence)
    result = grade({1: 90.0, 2: 90.0}, [1, 2, 3], CLASSIC, {3: 0.0})
    assert (result.assignment, result.final_average) == (92.2, 90.73)


def test_dropping_under_strict_takes_a_missing_test_first() -> None:
    # 90, missing (0), 70: the lowest is the missing one -> (90 + 70) / 2 = 80
    result = grade({1: 90.0, 3: 70.0}, [1, 2, 3], STRICT, drop_lowest=1)
    assert (result.final_average, result.dropped) == (80.0, (1,))


def test_dropping_under_average_leaves_missing_tests_alone() -> None:
    # 90, missing, 70: only taken tests count, the lowest of them is 70 -> 90
    result = grade({1: 90.0, 3: 70.0}, [1, 2, 3], AVERAGE, drop_lowest=1)
    assert (result.final_average, result.dropped) == (90.0, (2,))


def test_dropping_never_leaves_nothing() -> None:
    result = grade({1: 40.0, 2: 70.0, 3: 55.0}, [1, 2, 3], STRICT, drop_lowest=5)
    assert (result.final_average, result.dropped) == (70.0, (0, 2))
    nothing = grade({}, [1, 2], AVERAGE, drop_lowest=2)
    assert (nothing.final_average, nothing.dropped) == (0.0, ())


def test_among_equal_results_the_heavier_is_dropped_then_the_earlier() -> None:
    # 50 (weight 1), 50 (weight 3), 90: dropping the heavier 50 gives (50 + 90) / 2 = 70,
    # which is more than (150 + 90) / 4 = 60 from dropping the lighter
    result = grade({1: 50.0, 2: 50.0, 3: 90.0}, [1, 2, 3], STRICT, {2: 3.0}, drop_lowest=1)
    assert (result.final_average, result.dropped) == (70.0, (1,))
    even = grade({1: 50.0, 2: 50.0, 3: 90.0}, [1, 2, 3], STRICT, drop_lowest=1)
    assert even.dropped == (0,)


def test_a_weight_of_zero_is_never_dropped() -> None:
    result = grade({1: 10.0, 2: 60.0, 3: 80.0}, [1, 2, 3], STRICT, {1: 0.0}, drop_lowest=1)
    assert (result.final_average, result.dropped) == (80.0, (1,))


def test_the_grader_refuses_weights_that_leave_nothing() -> None:
    with pytest.raises(ValueError, match="more than 0"):
        grading.Grader(STRICT, [0.0, 0.0])
    with pytest.raises(ValueError, match="0 or more"):
        grading.Grader(STRICT, None, -1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"policy": replace(STRICT, pass_mark=101.0)}, "pass mark must be a number from 0 to 100"),
        ({"policy": replace(STRICT, pass_mark=math.nan)}, "pass mark must be a number"),
        ({"drop_lowest": -1}, "whole number from 0"),
        ({"drop_lowest": True}, "whole number from 0"),
    ],
)
def test_choices_out_of_range_are_refused(options: dict[str, object], message: str) -> None:
    chosen = CompileOptions(**{"policy": STRICT, **options})  # type: ignore[arg-type]
    with pytest.raises(CompilerError, match=message):
        grading.check_grading(chosen)


@pytest.mark.parametrize("pass_mark", [0.0, 33.333, 47.5, 100.0])
def test_any_pass_mark_from_0_to_100(pass_mark: float) -> None:
    policy = replace(STRICT, pass_mark=pass_mark)
    grading.check_grading(CompileOptions(policy=policy))
    assert grade({1: 47.5}, [1], policy).passed == (pass_mark <= 47.5)


# --- where weights come from --------------------------------------------------------------

D2L_WEIGHTED = CORPUS / "d2l" / "BIO 110 - Spring 2026_GradesExport_2026-03-04-16-55.csv"
D2L_POINTS = CORPUS / "d2l" / "MTH 101 - Fall 2025_GradesExport_2025-12-15-09-41.csv"


def read(*paths: Path) -> list[NumberedExport]:
    numbered, _ = read_files([UploadedFile(p.name, p.read_bytes()) for p in paths])
    return numbered


def test_a_d2l_item_weighs_its_category_weight_times_its_weight() -> None:
    numbered = read(D2L_WEIGHTED)
    weights = weights_of(numbered, CompileOptions(policy=STRICT))
    titles = [n.export.title for n in numbered]
    assert titles == ["Quiz 1", "Quiz 2", "Lab Practical", "Midterm Exam"]
    # Quizzes 20% of the course (Quiz 1 a third of it, Quiz 2 two thirds), Labs 30%, Exams 50%
    assert [round(w.weight, 6) for w in weights] == [6.666667, 13.333333, 30.0, 50.0]
    assert math.isclose(sum(w.weight for w in weights), 100.0)
    assert weights[0].source == ("from the file: category weight 20 x item weight 33.3333 / 100")


def test_the_teachers_weight_wins_over_the_files() -> None:
    numbered = read(D2L_WEIGHTED)
    weights = weights_of(numbered, CompileOptions(policy=STRICT, weights={4: 0.0}))
    assert (weights[3].weight, weights[3].source) == (0.0, "given by you")


def test_items_without_weights_weigh_one() -> None:
    weights = weights_of(read(D2L_POINTS), CompileOptions(policy=STRICT))
    assert {w.weight for w in weights} == {1.0}
    assert {w.source for w in weights} == {"the default"}


def _item(weight: float | None, category: str | None, category_weight: float | None) -> Export:
    export = read(D2L_POINTS)[0].export
    return replace(export, weight=weight, category=category, category_weight=category_weight)


def test_a_category_weight_alone_is_shared_by_its_items() -> None:
    labs = _item(None, "Labs", 30.0)
    alone = _item(40.0, None, None)
    numbered = [
        NumberedExport(n.test, e)
        for n, e in zip(read(D2L_POINTS)[:3], (labs, labs, alone), strict=True)
    ]
    weights = weights_of(numbered, CompileOptions(policy=STRICT))
    assert [w.weight for w in weights] == [15.0, 15.0, 40.0]
    assert weights[0].source == "from the file: category weight 30 shared by 2 item(s)"


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({1: -1.0}, "from 0 to 1,000,000"),
        ({1: math.inf}, "must be a number"),
        ({1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0, 5: 0.0, 6: 0.0}, "Every test has weight 0"),
    ],
)
def test_weights_that_cannot_be_used_are_refused(weights: dict[int, float], message: str) -> None:
    with pytest.raises(CompilerError, match=message):
        weights_of(read(D2L_POINTS), CompileOptions(policy=STRICT, weights=weights))


def test_a_weighted_grade_book_compiles_with_its_weights() -> None:
    result = compile_paths([D2L_WEIGHTED], policy="strict")
    report = result.report
    assert report.weighted
    okeke = next(p for p in report.participants if p.name.startswith("Chidi"))
    # 80, 85, 84, 84 with weights 6.67, 13.33, 30, 50: (533.33 + 1133.33 + 2520 + 4200) / 100
    expected = (80 * 20 / 3 + 85 * 40 / 3 + 84 * 30 + 84 * 50) / 100
    assert okeke.final_average == pytest.approx(expected, abs=0.005)


# --- the integer path against the decimal one ---------------------------------------------

ODD_BANDS = replace(
    CLASSIC,
    name="odd",
    assignment_bands=(AssignmentBand(33.3, 40.0, 60.5), AssignmentBand(75.0, 10.0, 10.0)),
    position_steps=(PositionStep(12.5, 0.25), PositionStep(62.25, 0.65)),
)


@given(classes(), st.sampled_from([CLASSIC, AVERAGE, STRICT, ODD_BANDS]))
def test_whole_tenths_grade_exactly_as_the_decimals_do(
    drawn: tuple[list[list[float | None]], list[float], int], policy: Policy
) -> None:
    people, weights, drop = drawn
    grader = grading.Grader(policy, weights, drop)
    decimals = [Decimal(repr(w)) for w in weights]
    for scores in people:
        assert all(s is None or whole_tenths(s) is not None for s in scores)  # the fast path
        assert grader.grade(scores) == grading._graded_exactly(scores, policy, decimals, drop)


def test_what_is_not_a_whole_tenth_goes_the_decimal_way() -> None:
    assert [whole_tenths(v) for v in (72.5, 0.0, -0.0, 100.0, 4e25)] == [
        725,
        0,
        0,
        1000,
        4 * 10**26,
    ]
    assert [whole_tenths(v) for v in (72.25, -5.0, math.nan, math.inf)] == [None] * 4
    # 72.125 is no whole tenth: graded in decimals, half up
    assert grade({1: 72.125, 2: 72.125}, [1, 2], STRICT, {2: 3.0}).final_average == 72.13


def test_the_weights_of_stored_summaries_are_those_of_the_compile() -> None:
    upload = UploadedFile(D2L_WEIGHTED.name, D2L_WEIGHTED.read_bytes())
    summaries = inspect_file(upload, TestNumber(1, "the next free number"))
    stored = [summary_from_dict(json.loads(json.dumps(asdict(s)))) for s in summaries]
    assert stored[0].category_weight == 20.0
    given = {2: 5.0}
    expected = weights_of(read(D2L_WEIGHTED), CompileOptions(policy=STRICT, weights=given))
    assert summary_weights(stored, given) == expected
    older = {k: v for k, v in asdict(summaries[0]).items() if k != "category_weight"}
    assert summary_from_dict(older).category_weight is None  # kept before the field existed
