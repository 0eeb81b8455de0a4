"""Reading submission times: real datetimes, or the text each platform writes.

SurveyHeart writes `19-02-2026 10:04:05` (day first), Google `2/19/2026 10:04:05` (month first
in the US, day first elsewhere), Moodle `19 February 2026  10:15 AM`. Whether `03/04/2026` is
March or April is decided once for the whole column, from values that can only be read one way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Literal, cast

Order = Literal["ymd", "dmy", "mdy"]

# Values looked at to decide a column's day/month order: days past the 12th are common enough
# that a few hundred submissions always show one if the column is day first.
_ORDER_SAMPLE = 500

_NUMERIC = re.compile(
    r"(\d{1,4})([-/.])(\d{1,2})[-/.](\d{2,4})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp])?\.?[Mm]?\.?)?"
    r"\s*(?:Z|[+-]\d\d:?\d\d)?"
)
_TIME = r"(?:,?\s+(?:at\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?[Mm]?\.?)?"
_DAY_MONTH_YEAR = re.compile(rf"(\d{{1,2}})\s+([A-Za-z]{{3,}})\.?,?\s+(\d{{4}}){_TIME}")
# A month name starts a word: trying it from inside every word would be quadratic.
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![A-Za-z])([A-Za-z]{{3,}})\.?\s+(\d{{1,2}}),?\s+(\d{{4}}){_TIME}"
)
_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}


# SurveyHeart's `03-02-2026 09:00:48`, fixed width: read by the C ISO parser once its fields are
# put in ISO order, several times faster than `parse_time`. Sound because `_NUMERIC` reads such a
# text into exactly these six fields (no space around it to strip, no meridiem, no zone), and a
# year of four ASCII digits from 1000 up is never moved to this century. A date or clock out of
# range makes `fromisoformat` fail, and the text goes to `parse_time` like anything else.
_FIXED_WIDTH = re.compile(r"[0-9]{2}[-/.][0-9]{2}[-/.][1-9][0-9]{3} [0-9]{2}:[0-9]{2}:[0-9]{2}")
_FIXED_WIDTH_LINES = re.compile(rf"(?:{_FIXED_WIDTH.pattern}\n)*")
_DAY_MONTH_SLICES = {"dmy": (slice(0, 2), slice(3, 5)), "mdy": (slice(3, 5), slice(0, 2))}


def parse_times(values: Sequence[object]) -> list[datetime | None]:
    """Turn a column of submission times into datetimes, None where a cell is not a time."""
    if (texts := _fixed_width_texts(values)) is not None:
        order = _fixed_width_order(texts)
        if (column := _read_fixed_width(texts, order)) is not None:
            return column
    else:
        order = _column_order(values)
    if order == "ymd":
        return [parse_time(value, order) for value in values]
    day, month = _DAY_MONTH_SLICES[order]
    fixed_width = _FIXED_WIDTH.fullmatch
    parsed: list[datetime | None] = []
    for value in values:
        if type(value) is str and fixed_width(value):
            try:
                parsed.append(
                    datetime.fromisoformat(
                        f"{value[6:10]}-{value[month]}-{value[day]} {value[11:]}"
                    )
                )
                continue
            except ValueError:
                pass
        parsed.append(parse_time(value, order))
    return parsed


# A whole column of fixed-width texts (SurveyHeart's) is checked by one match over its lines and
# read by mapping `fromisoformat`, a third faster than cell by cell; a column with any other cell
# is read cell by cell.


def _fixed_width_texts(values: Sequence[object]) -> Sequence[str] | None:
    """`values` when every one is a fixed-width `03-02-2026 09:00:48`, else None."""
    if not values or set(map(type, values)) != {str}:
        return None
    texts = cast("Sequence[str]", values)
    lines = "\n".join(texts) + "\n"
    # Lines of 19 characters and a line break: a text holding a line break of its own would
    # make more lines than texts, so each text is one fixed-width line.
    if len(lines) != 20 * len(texts) or not _FIXED_WIDTH_LINES.fullmatch(lines):
        return None
    return texts


def _fixed_width_order(texts: Sequence[str]) -> Order:
    """`_column_order` of fixed-width texts: their fields are two ASCII digits, whose order as
    texts is their order as numbers, and their year is never first."""
    sample = texts[:_ORDER_SAMPLE]
    day_first = max(text[:2] for text in sample) > "12"
    month_first = max(text[3:5] for text in sample) > "12"
    if day_first != month_first:
        return "dmy" if day_first else "mdy"
    return "mdy" if texts[0][2] == "/" else "dmy"


def _read_fixed_width(texts: Sequence[str], order: Order) -> list[datetime | None] | None:
    """Fixed-width texts read as `parse_times` reads each; None when one is out of range."""
    day, month = _DAY_MONTH_SLICES[order]
    iso_texts = [f"{text[6:10]}-{text[month]}-{text[day]} {text[11:]}" for text in texts]
    try:
        parsed: list[datetime | None] = list(map(datetime.fromisoformat, iso_texts))
    except ValueError:  # a date or clock out of range: left to `parse_time`, which says None
        return None
    return parsed


def parse_time(value: object, order: Order = "dmy") -> datetime | None:
    """One submission time; `order` says how to read an all-numeric date like 03/04/2026."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if match := _NUMERIC.fullmatch(text):
        return _numeric_time(match, order)
    if match := _DAY_MONTH_YEAR.search(text):
        return _named_month_time(match[1], match[2], match[3], match.groups()[3:])
    if match := _MONTH_DAY_YEAR.search(text):
        return _named_month_time(match[2], match[1], match[3], match.groups()[3:])
    return None


def _column_order(values: Sequence[object]) -> Order:
    day_first = month_first = False
    separator = ""
    for value in values[:_ORDER_SAMPLE]:
        if type(value) is str and _FIXED_WIDTH.fullmatch(value):
            first, between, second = value[:2], value[2], value[3:5]  # as `_NUMERIC` reads it
        elif isinstance(value, str) and (match := _NUMERIC.fullmatch(value.strip())):
            first, between, second = match[1], match[2], match[3]
        else:
            continue
        if len(first) == 4:
            return "ymd"
        separator = separator or between
        day_first = day_first or int(first) > 12
        month_first = month_first or int(second) > 12
    if day_first != month_first:
        return "dmy" if day_first else "mdy"
    return "mdy" if separator == "/" else "dmy"


def _numeric_time(match: re.Match[str], order: Order) -> datetime | None:
    first, second, third = int(match[1]), int(match[3]), int(match[4])
    if order == "ymd" or len(match[1]) == 4:
        year, month, day = first, second, third
    elif order == "mdy":
        month, day, year = first, second, third
    else:
        day, month, year = first, second, third
    return _build(year, month, day, match.groups()[4:])


def _named_month_time(
    day: str, month_name: str, year: str, clock: tuple[str | None, ...]
) -> datetime | None:
    month = _MONTHS.get(month_name.casefold())
    if month is None:
        return None
    return _build(int(year), month, int(day), clock)


def _build(year: int, month: int, day: int, clock: tuple[str | None, ...]) -> datetime | None:
    hour_text, minute_text, second_text, meridiem = clock
    hour = int(hour_text) if hour_text else 0
    if meridiem and meridiem.lower() == "p" and hour < 12:
        hour += 12
    elif meridiem and meridiem.lower() == "a" and hour == 12:
        hour = 0
    if year < 100:
        year += 2000
    try:
        return datetime(
            year,
            month,
            day,
            hour,
            int(minute_text) if minute_text else 0,
            int(second_text) if second_text else 0,
        )
    except ValueError:
        return None
