"""Time as storage keeps it: aware UTC datetimes in, fixed-width ISO-8601 text in the database.

Fixed width (always microseconds, always `+00:00`) makes the text sort in time order, so SQL
can compare timestamps as strings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def to_text(moment: datetime) -> str:
    """An aware datetime as the text stored in the database."""
    if moment.tzinfo is None:
        raise ValueError("storage needs aware datetimes (with a time zone), got a naive one")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_text(text: str) -> datetime:
    """Stored text back to an aware UTC datetime."""
    return datetime.fromisoformat(text)


def optional_from_text(text: str | None) -> datetime | None:
    """Like `from_text`, passing None through."""
    return None if text is None else from_text(text)
