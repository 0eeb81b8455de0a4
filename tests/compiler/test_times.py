"""Submission times as each platform writes them."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.understand.times import (
    _column_order,
    _fixed_width_order,
    _fixed_width_texts,
    parse_time,
    parse_times,
)


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


# --- the fixed-width fast path reads exactly what parse_time reads -------------------------

TWO_DIGITS = st.integers(0, 99).map("{:02d}".format)
FIXED_WIDTH_LIKE = st.builds(
    "{}{}{}{}{:04d} {}:{}:{}".format,
    st.one_of(st.integers(1, 31).map("{:02d}".format), TWO_DIGITS, st.just("٠٣")),
    st.sampled_from("-/.:"),
    st.one_of(st.integers(1, 12).map("{:02d}".format), TWO_DIGITS),
    st.sampled_from("-/."),
    st.one_of(st.integers(1990, 2030), st.integers(0, 120), st.integers(0, 9999)),
    st.one_of(st.integers(0, 23).map("{:02d}".format), TWO_DIGITS),
    TWO_DIGITS,
    TWO_DIGITS,
)
TIME_CELLS = st.one_of(
    FIXED_WIDTH_LIKE,
    FIXED_WIDTH_LIKE.map(lambda text: text + " PM"),
    st.sampled_from(
        [None, "", "-", "2/19/2026 10:04:05", "2026-02-19 10:04:05", "19 February 2026  10:15 AM"]
    ),
    st.builds(datetime, st.integers(2020, 2030), st.integers(1, 12), st.integers(1, 28)),
)


@given(st.lists(TIME_CELLS, max_size=12))
def test_fixed_width_times_read_as_the_general_parser_reads_them(values: list[object]) -> None:
    # A space in front keeps every text off the fixed-width path (the pattern starts with a
    # digit) while parse_time strips it: the padded column is read by the general parser only.
    padded = [f" {value}" if isinstance(value, str) else value for value in values]
    assert parse_times(values) == parse_times(padded)


def test_a_fixed_width_day_the_month_does_not_have_is_no_time() -> None:
    values = ["28-02-2026 10:00:00", "31-02-2026 10:00:00", "29-02-2024 23:59:59"]
    assert parse_times(values) == [
        datetime(2026, 2, 28, 10),
        None,
        datetime(2024, 2, 29, 23, 59, 59),
    ]


# --- a whole column of fixed-width texts, read at once, reads as cell by cell ---------------

FIXED_WIDTH_CELLS = st.one_of(
    FIXED_WIDTH_LIKE,
    st.lists(FIXED_WIDTH_LIKE, min_size=2, max_size=2).map("\n".join),  # one cell, two lines
)


@given(st.lists(FIXED_WIDTH_CELLS, min_size=1, max_size=12))
def test_a_fixed_width_column_reads_as_the_general_parser_reads_it(values: list[object]) -> None:
    padded = [f" {value}" for value in values]
    assert parse_times(values) == parse_times(padded)


@given(st.lists(FIXED_WIDTH_LIKE, min_size=1, max_size=12))
def test_a_fixed_width_columns_order_is_the_general_one(values: list[str]) -> None:
    texts = _fixed_width_texts(values)
    if texts is not None:
        assert _fixed_width_order(texts) == _column_order(values)


def test_a_fixed_width_column_is_one_of_fixed_width_texts_only() -> None:
    times = ["03-02-2026 09:00:48", "13-02-2026 23:59:59"]
    assert _fixed_width_texts(times) == times
    assert _fixed_width_texts([*times, None]) is None
    assert _fixed_width_texts(["\n".join(times)]) is None
    assert _fixed_width_texts([" 03-02-2026 09:00:48"]) is None
    twelfth = ["12-01-2026 09:00:00", "01-13-2026 09:00:00"]  # 12 is a month as well as a day
    assert _fixed_width_order(twelfth) == _column_order(twelfth) == "mdy"
    assert parse_times(times) == [datetime(2026, 2, 3, 9, 0, 48), datetime(2026, 2, 13, 23, 59, 59)]
    assert parse_times(["02/13/2026 23:59:59", "02/03/2026 09:00:48"]) == [
        datetime(2026, 2, 13, 23, 59, 59),
        datetime(2026, 2, 3, 9, 0, 48),
    ]
