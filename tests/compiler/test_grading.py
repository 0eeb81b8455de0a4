"""Grading: the classic policy's arithmetic by hand, the other policies, repeats, stats."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler import model
from compiler.errors import CompilerError
from compiler.grade import policies as grading
from compiler.grade.policies import (
    AVERAGE,
    CLASSIC,
    DEFAULT_POLICY,
    POLICIES,
    STRICT,
    ScoredSubmission,
    grade,
    pick_submission,
    policy_named,
    round_half_up,
)

FIVE = [1, 2, 3, 4, 5]


def scores(*percents: float | None) -> dict[int, float | None]:
    """Percents for tests 1, 2, ... (None: took it without a score)."""
    return dict(enumerate(percents, 1))


def test_policies_are_named_data_and_classic_is_the_default() -> None:
    assert DEFAULT_POLICY == "classic"
    assert set(POLICIES) == {"classic", "average", "strict"}
    assert POLICIES["classic"] is CLASSIC
    assert (CLASSIC.missing_counts_zero, CLASSIC.participation_assignment) == (True, True)
    assert (AVERAGE.missing_counts_zero, AVERAGE.participation_assignment) == (False, False)
    assert (STRICT.missing_counts_zero, STRICT.participation_assignment) == (True, False)
    assert CLASSIC.assignment_bands == model.CLASSIC_ASSIGNMENT_BANDS


def test_policy_named() -> None:
    assert policy_named(" Strict ") is STRICT
    with pytest.raises(CompilerError, match="classic, average, strict"):
        policy_named("weighted")


# --- rounding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        (72.125, 2, 72.13),  # banker's rounding (Python's round) gives 72.12
        (72.135, 2, 72.14),
        (0.5, 0, 1.0),
        (2.5, 0, 3.0),  # banker's: 2
        (2.675, 2, 2.68),  # the float is 2.67499999...; read as written, like Excel
        (1.005, 2, 1.01),
        (40.25, 1, 40.3),
        (-2.5, 0, -3.0),  # away from zero
    ],
)
def test_round_half_up(value: float, places: int, rounded: float) -> None:
    assert round_half_up(value, places) == rounded


# --- classic: hand-checked ----------------------------------------------------------------


def test_classic_worked_example() -> None:
    # 90, 80, missing, 70, 100: taken 4/5 = 80% -> band 85-93; average of taken
    # (90+80+70+100)/4 = 85 -> position 0.9 -> 85 + 8 x 0.9 = 92.2;
    # final (90+80+0+70+100+92.2)/6 = 432.2/6 = 72.0333 -> 72.03, PASS
    result = grade({1: 90, 2: 80, 4: 70, 5: 100}, FIVE, CLASSIC)
    assert result == grading.Grade(assignment=92.2, final_average=72.03, passed=True)


@pytest.mark.parametrize(
    ("each", "assignment", "final"),
    [
        # five tests, all taken with the same score x: band 85-93, average x;
        # final = (5x + assignment) / 6
        (85.0, 92.2, 86.2),  # >= 85 -> 0.9: 85+8x0.9 = 92.2; (425+92.2)/6 = 86.2
        (84.9, 90.6, 85.85),  # < 85 -> 0.7: 85+5.6 = 90.6; (424.5+90.6)/6 = 85.85
        (75.0, 90.6, 77.6),  # >= 75 -> 0.7; (375+90.6)/6 = 77.6
        (74.9, 89.0, 77.25),  # < 75 -> 0.5: 85+4 = 89; (374.5+89)/6 = 77.25
        (65.0, 89.0, 69.0),  # >= 65 -> 0.5; (325+89)/6 = 69
        (64.9, 87.4, 68.65),  # < 65 -> 0.3: 85+2.4 = 87.4; (324.5+87.4)/6 = 68.65
        (55.0, 87.4, 60.4),  # >= 55 -> 0.3; (275+87.4)/6 = 60.4
        (54.9, 85.8, 60.05),  # < 55 -> 0.1: 85+0.8 = 85.8; (274.5+85.8)/6 = 60.05
        (10.0, 85.8, 22.63),  # (50+85.8)/6 = 22.6333 -> 22.63
    ],
)
def test_classic_position_thresholds(each: float, assignment: float, final: float) -> None:
    result = grade(scores(*[each] * 5), FIVE, CLASSIC)
    assert (result.assignment, result.final_average) == (assignment, final)


@pytest.mark.parametrize(
    ("percents", "tests", "assignment", "final", "passed"),
    [
        # 3 of 5 taken = 60% -> 80 fixed; (270+80)/6 = 58.333 -> 58.33
        (scores(90, 90, 90), FIVE, 80.0, 58.33, True),
        # 2 of 5 = 40% -> band 70-75, average 90 -> 0.9: 70+5x0.9 = 74.5;
        # (180+74.5)/6 = 42.4167 -> 42.42
        (scores(90, 90), FIVE, 74.5, 42.42, False),
        # 2 of 5 at 60 -> 0.3: 70+1.5 = 71.5; (120+71.5)/6 = 31.9167 -> 31.92
        (scores(60, 60), FIVE, 71.5, 31.92, False),
        # 1 of 5 = 20% -> 50; (90+50)/6 = 23.333 -> 23.33
        (scores(90), FIVE, 50.0, 23.33, False),
        # nothing taken -> 50; 50/6 = 8.333 -> 8.33
        ({}, FIVE, 50.0, 8.33, False),
        # a score of 0 is not "taken": 4 of 5 -> 85-93, average of taken 90 -> 92.2;
        # (360+0+92.2)/6 = 75.3667 -> 75.37
        (scores(90, 90, 90, 90, 0), FIVE, 92.2, 75.37, True),
        # two zeros: 3 of 5 = 60% -> 80; (270+80)/6 = 58.33
        (scores(90, 0, 90, 0, 90), FIVE, 80.0, 58.33, True),
        # "no score" (None) counts 0 and is not taken, like a missing test
        (scores(90, None, 90, None, 90), FIVE, 80.0, 58.33, True),
        # 7 of 9 = 77.8%, just under 80 -> 80 fixed; (630+80)/10 = 71.0
        (scores(*[90] * 7), list(range(1, 10)), 80.0, 71.0, True),
        # 5 of 9 = 55.6%, under 60 -> 70-75 at 0.9 = 74.5; (450+74.5)/10 = 52.45
        (scores(*[90] * 5), list(range(1, 10)), 74.5, 52.45, True),
        # 3 of 8 = 37.5%, under 40 -> 50; (270+50)/9 = 35.556 -> 35.56
        (scores(90, 90, 90), list(range(1, 9)), 50.0, 35.56, False),
    ],
)
def test_classic_participation_bands(
    percents: dict[int, float | None],
    tests: list[int],
    assignment: float,
    final: float,
    passed: bool,
) -> None:
    assert grade(percents, tests, CLASSIC) == grading.Grade(assignment, final, passed)


def test_classic_thresholds_read_decimals_not_float_noise() -> None:
    # 85.1 + 84.8 + 85.1 is 254.99999999999997 in floats; as decimals it is 255, average 85
    # -> 0.9 -> 92.2; final (255+92.2)/4 = 86.8
    assert sum([85.1, 84.8, 85.1]) / 3 < 85
    result = grade({1: 85.1, 2: 84.8, 3: 85.1}, [1, 2, 3], CLASSIC)
    assert (result.assignment, result.final_average) == (92.2, 86.8)


def test_tests_outside_the_list_are_ignored() -> None:
    assert grade({1: 90, 9: 10}, [1], STRICT).final_average == 90.0


# --- other policies -----------------------------------------------------------------------


def test_average_leaves_missing_out() -> None:
    # (80+61)/2 = 70.5; test 2 missing is not counted
    assert grade({1: 80, 3: 61}, [1, 2, 3], AVERAGE) == grading.Grade(None, 70.5, True)


def test_average_counts_a_zero_score_and_skips_no_score() -> None:
    assert grade({1: 0, 2: 100, 3: None}, [1, 2, 3], AVERAGE).final_average == 50.0


def test_average_with_no_score_at_all_is_zero_and_fail() -> None:
    assert grade({1: None}, [1, 2], AVERAGE) == grading.Grade(None, 0.0, False)


def test_strict_counts_missing_as_zero() -> None:
    # (80+0+61)/3 = 47.0
    assert grade({1: 80, 3: 61}, [1, 2, 3], STRICT) == grading.Grade(None, 47.0, False)


def test_pass_mark_compares_the_average_as_shown() -> None:
    assert grade({1: 50, 2: 50}, [1, 2], STRICT).passed  # exactly the mark
    assert not grade({1: 50, 2: 49.98}, [1, 2], STRICT).passed  # 49.99
    shown = grade({1: 49.99, 2: 50}, [1, 2], STRICT)  # 49.995 -> 50.00
    assert (shown.final_average, shown.passed) == (50.0, True)
    assert grade({1: 45}, [1], replace(STRICT, pass_mark=40)).passed


def test_final_average_rounds_half_up() -> None:
    assert grade({1: 72.125}, [1], STRICT).final_average == 72.13


def test_custom_bands_are_data() -> None:
    # one band 0-1 for everyone, position 0.25 always: 0.25 -> 0.3 (half-up, one decimal)
    policy = replace(
        CLASSIC,
        name="custom",
        assignment_bands=(model.AssignmentBand(0.0, 0.0, 1.0),),
        position_steps=(model.PositionStep(0.0, 0.25),),
    )
    assert grade({1: 100}, [1], policy).assignment == 0.3


def test_grade_needs_a_test() -> None:
    with pytest.raises(ValueError, match="at least one test"):
        grade({}, [], CLASSIC)


percent = st.none() | st.floats(0, 100, allow_nan=False)


@given(st.lists(percent, min_size=1, max_size=12))
def test_classic_grade_stays_in_its_bands(percents: list[float | None]) -> None:
    tests = list(range(1, len(percents) + 1))
    result = grade(scores(*percents), tests, CLASSIC)
    assert result.assignment is not None
    a = result.assignment
    assert a == 50 or 70 <= a <= 75 or a == 80 or 85 <= a <= 93
    assert 0 <= result.final_average <= 100
    assert result.passed == (result.final_average >= 50)


@given(st.lists(percent, min_size=1, max_size=12))
def test_average_lies_between_lowest_and_highest_taken(percents: list[float | None]) -> None:
    tests = list(range(1, len(percents) + 1))
    final = grade(scores(*percents), tests, AVERAGE).final_average
    taken = [p for p in percents if p is not None]
    if taken:
        assert round_half_up(min(taken), 2) <= final <= round_half_up(max(taken), 2)
    else:
        assert final == 0


# --- repeated submissions -----------------------------------------------------------------

T0 = datetime(2026, 2, 17, 10, 0)


def sub(row: int, percent: float | None, minutes: int | None = None) -> ScoredSubmission:
    at = None if minutes is None else T0 + timedelta(minutes=minutes)
    submission = model.Submission(
        row=row, name="Amara Okonkwo-Test", email=None, points=percent, submitted_at=at
    )
    return ScoredSubmission(submission, percent)


def rows(chosen: ScoredSubmission, dropped: list[ScoredSubmission]) -> tuple[int, list[int]]:
    return chosen.submission.row, [d.submission.row for d in dropped]


def test_best_keeps_the_highest() -> None:
    assert rows(*pick_submission([sub(2, 60), sub(3, 80), sub(4, 70)], "best")) == (3, [2, 4])


def test_best_tie_goes_to_the_latest_by_time() -> None:
    # row 2 was submitted after row 3
    assert rows(*pick_submission([sub(2, 80, 30), sub(3, 80, 5)], "best")) == (2, [3])


def test_best_tie_goes_to_the_latest_row_without_times() -> None:
    assert rows(*pick_submission([sub(2, 80), sub(3, 80, 5)], "best")) == (3, [2])


def test_best_prefers_any_score_to_none() -> None:
    assert rows(*pick_submission([sub(2, 0), sub(3, None)], "best")) == (2, [3])
    assert rows(*pick_submission([sub(2, None), sub(3, None)], "best")) == (3, [2])


def test_latest_and_first_use_time_when_all_have_one() -> None:
    repeats = [sub(2, 50, 20), sub(3, 90, 0), sub(4, 70, 10)]
    assert rows(*pick_submission(repeats, "latest")) == (2, [3, 4])
    assert rows(*pick_submission(repeats, "first")) == (3, [2, 4])


def test_latest_and_first_fall_back_to_rows_when_a_time_is_missing() -> None:
    repeats = [sub(3, 50, 20), sub(2, 90), sub(4, 70, 0)]
    assert rows(*pick_submission(repeats, "latest")) == (4, [3, 2])
    assert rows(*pick_submission(repeats, "first")) == (2, [3, 4])


def test_equal_times_fall_back_to_rows() -> None:
    assert rows(*pick_submission([sub(3, 50, 0), sub(2, 90, 0)], "first")) == (2, [3])


def test_naive_and_aware_times_together_fall_back_to_rows() -> None:
    aware = replace(sub(2, 50).submission, submitted_at=T0.replace(tzinfo=UTC))
    naive = replace(sub(3, 60).submission, submitted_at=T0 - timedelta(hours=1))
    repeats = [ScoredSubmission(aware, 50), ScoredSubmission(naive, 60)]
    assert rows(*pick_submission(repeats, "first")) == (2, [3])


def test_a_single_submission_drops_nothing() -> None:
    only = sub(2, 50)
    assert pick_submission([only], "latest") == (only, [])


def test_pick_needs_a_submission() -> None:
    with pytest.raises(ValueError, match="at least one"):
        pick_submission([], "best")


# --- test statistics ----------------------------------------------------------------------


def test_stats_of_takers() -> None:
    # takers 50, 70, 90, 40.25: mean 250.25/4 = 62.5625 -> 62.6; median (50+70)/2 = 60;
    # lowest 40.25 -> 40.3 (half-up); 3 of 4 at or above 50 -> 75%
    stats = grading.test_stats(3, [50, 70, None, 90, 40.25])
    assert stats == model.TestStats(3, 4, 62.6, 60.0, 40.3, 90.0, 75.0)


def test_stats_pass_rate_uses_the_pass_mark() -> None:
    # 1 of 3 at or above 60 -> 33.3; 2 of 3 at or above 50 -> 66.7
    assert grading.test_stats(1, [60, 50, 10], pass_mark=60).pass_rate == 33.3
    assert grading.test_stats(1, [60, 50, 10]).pass_rate == 66.7


def test_stats_with_no_takers() -> None:
    assert grading.test_stats(2, [None, None]) == model.TestStats(
        2, 0, None, None, None, None, None
    )


def test_rounding_is_half_up_on_the_decimal_as_written() -> None:
    # 1.005 is 1.00499999999999989... as a float, but is written 1.005: half up gives 1.01.
    assert grading.round_half_up(1.005, 2) == 1.01
    assert grading.round_half_up(72.125, 2) == 72.13
    assert grading.round_half_up(2.675, 2) == 2.68
    assert repr(grading.round_half_up(-0.0, 1)) == "-0.0"


def test_rounding_takes_any_finite_float() -> None:
    # A score far above any maximum (a typo of many digits) is reported, never a crash.
    assert grading.round_half_up(4e25, 2) == 4e25
    assert grading.round_half_up(1.7e308, 1) == 1.7e308
