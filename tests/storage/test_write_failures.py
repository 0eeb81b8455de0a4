"""A database that refuses writes (read-only, full) says so in `health()`, keeps nothing half
written, and is healthy again once a write succeeds."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import Database, StorageLimits
from tests.storage.factories import FakeClock, new_upload, seen_chat


async def _pragma(db: Database, statement: str) -> None:
    """Change a setting of the bot's own connection: the seam for SQLite's real refusals."""
    async with db.snapshot() as conn:
        await conn.execute(statement)


async def test_a_read_only_database_is_unhealthy_until_a_write_succeeds(db: Database) -> None:
    await seen_chat(db, 1)
    assert (await db.health()).ok

    await _pragma(db, "PRAGMA query_only = ON")  # writes now fail with SQLITE_READONLY
    with pytest.raises(sqlite3.OperationalError):
        await db.uploads.add(1, new_upload(1, seed=1))
    health = await db.health()
    assert health.readable and not health.ok
    assert health.write_failure is not None and "SQLITE_READONLY" in health.write_failure
    assert await db.uploads.active(1) == []  # reads still work

    await _pragma(db, "PRAGMA query_only = OFF")
    assert not (await db.health()).ok  # not known to work until a write did
    await db.inbox.handled(12345)  # commits, but changes nothing: proves nothing
    assert not (await db.health()).ok
    await db.uploads.add(1, new_upload(1, seed=1))
    assert (await db.health()).ok


async def test_a_full_database_refuses_the_file_keeps_nothing_of_it_and_says_full(
    db_path: Path, clock: FakeClock
) -> None:
    db = await Database.open(db_path, StorageLimits(max_file_bytes=200_000), clock=clock)
    try:
        await seen_chat(db, 1)
        await db.uploads.add(1, new_upload(1, seed=1))
        async with db.snapshot() as conn:
            pages = (await (await conn.execute("PRAGMA page_count")).fetchone())[0]
        await _pragma(db, f"PRAGMA max_page_count = {pages + 2}")
        assert (await db.health()).full  # proactive: 200 KB would not fit

        with pytest.raises(sqlite3.OperationalError, match="full"):
            await db.uploads.add(1, new_upload(2, seed=2, size=150_000))
        health = await db.health()
        assert not health.ok and health.write_failure is not None
        assert "SQLITE_FULL" in health.write_failure
        assert [u.test_number for u in await db.uploads.active(1)] == [1]
        assert await db.integrity_check() == ["ok"]

        await _pragma(db, "PRAGMA max_page_count = 1000000")
        await db.uploads.add(1, new_upload(2, seed=2, size=150_000))
        assert (await db.health()).ok
    finally:
        await db.close()


async def test_a_refusal_is_not_a_write_failure(db: Database) -> None:
    with pytest.raises(Exception, match="not known"):
        await db.uploads.add(99, new_upload(1, seed=1))  # UnknownChat: a refusal
    assert (await db.health()).write_failure is None


async def test_a_database_refusing_writes_still_closes(db: Database) -> None:
    await seen_chat(db, 1)
    await _pragma(db, "PRAGMA query_only = ON")
    await db.close()
    assert db.closed
