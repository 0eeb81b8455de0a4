"""Submission times as each platform writes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from compiler.times import parse_time, parse_times


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19-02-2026 10:04:05", datetime(2026, 2, 19, 10, 4, 5)),  # SurveyHeart
        ("19 February 2026  10:15 AM", datetime(2026, 2, 19, 10, 15)),  # Moodle
        ("19 February 2026, 2:05 PM", datetime(2026, 2, 19, 14, 5)),
        ("Thursday, 19 February 2026, 12:05 AM", datetime(2026, 2, 19, 0, 5)),
        ("February 19, 2026 10:15 AM", datetime(2026, 2, 19, 10, 15)),
        ("2026-02-19T10:04:05Z", datetime(2026, 2, 19, 10, 4, 5)),
        ("2026-02-19 10:04", datetime(2026, 2, 19, 10, 4)),
        (datetime(2026, 2, 19, 10, 4, 5), datetime(2026, 2, 19, 10, 4, 5)),
        (date(2026, 2, 19), datetime(2026, 2, 19)),
    ],
)
def test_one_time(value: object, expected: datetime) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize(
    "value", [None, "-", "soon", 45000.5, "31-02-2026 10:00:00", "19 Smarch 2026"]
)
def test_not_a_time(value: object) -> None:
    assert parse_time(value) is None


def test_google_us_column_is_month_first() -> None:
    values = ["2/19/2026 10:04:05", "3/4/2026 9:00:00"]
    assert parse_times(values) == [datetime(2026, 2, 19, 10, 4, 5), datetime(2026, 3, 4, 9)]


def test_day_first_evidence_decides_the_whole_column() -> None:
    values = ["19/02/2026 10:04:05", "03/04/2026 09:00:00"]
    assert parse_times(values)[1] == datetime(2026, 4, 3, 9)


def test_surveyheart_dashes_default_to_day_first() -> None:
    assert parse_times(["03-04-2026 09:00:00"]) == [datetime(2026, 4, 3, 9)]
