"""Opening, pragmas, serialised transactions, health and closing."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from storage import AddStatus, Database, DatabaseClosed, StorageLimits
from storage.migrations import LATEST_VERSION
from tests.storage.factories import FakeClock, new_upload, seen_chat


async def pragma(db: Database, name: str) -> object:
    async with db.snapshot() as conn, conn.execute(f"PRAGMA {name}") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return row[0]


async def test_open_creates_the_directory_and_sets_durable_pragmas(
    db: Database, db_path: Path
) -> None:
    assert db_path.exists()
    assert await pragma(db, "journal_mode") == "wal"
    assert await pragma(db, "synchronous") == 2  # FULL
    assert await pragma(db, "foreign_keys") == 1
    assert await pragma(db, "busy_timeout") == 10_000
    assert await pragma(db, "auto_vacuum") == 2  # INCREMENTAL
    assert await pragma(db, "page_size") == 16384
    assert await pragma(db, "user_version") == LATEST_VERSION


async def test_reopening_keeps_everything_committed(db_path: Path, clock: FakeClock) -> None:
    first = await Database.open(db_path, clock=clock)
    await seen_chat(first, 1)
    stored = await first.uploads.add(1, new_upload(1, seed=1))
    await first.close()

    second = await Database.open(db_path, clock=clock)
    try:
        [again] = await second.uploads.load_files(1)
    finally:
        await second.close()
    assert again.upload == stored.upload
    assert again.data == new_upload(1, seed=1).data


async def test_a_failed_transaction_rolls_back_and_the_next_one_works(db: Database) -> None:
    await seen_chat(db, 1)
    with pytest.raises(RuntimeError, match="handler failed"):
        async with db.transaction() as conn:
            await conn.execute("UPDATE chats SET title = 'changed' WHERE id = 1")
            raise RuntimeError("handler failed")

    chat = await db.chats.get(1)
    assert chat is not None and chat.title == "Class 1"
    assert (await db.uploads.add(1, new_upload(1, seed=1))).status is AddStatus.STORED


async def test_concurrent_handlers_never_share_a_transaction(db: Database) -> None:
    chats = [await seen_chat(db, chat_id) for chat_id in range(10, 15)]

    async def handler(chat_id: int, test: int) -> AddStatus:
        await asyncio.sleep(0)
        return (await db.uploads.add(chat_id, new_upload(test, seed=chat_id * 100 + test))).status

    jobs = [handler(chat_id, test) for chat_id in chats for test in range(1, 9)]
    jobs += [handler(chats[0], 1) for _ in range(5)]  # the same file again, at the same time
    statuses = await asyncio.gather(*jobs)

    assert statuses.count(AddStatus.STORED) == 40
    assert statuses.count(AddStatus.ALREADY_STORED) == 5
    for chat_id in chats:
        assert [u.test_number for u in await db.uploads.active(chat_id)] == list(range(1, 9))


async def test_two_connections_to_one_file_both_write(db_path: Path, clock: FakeClock) -> None:
    limits = StorageLimits(max_files_per_chat=100)
    bot = await Database.open(db_path, limits, clock=clock)
    operator = await Database.open(db_path, limits, clock=clock)
    try:
        await seen_chat(bot, 1)
        await asyncio.gather(
            *(bot.uploads.add(1, new_upload(t, seed=t)) for t in range(1, 21)),
            *(operator.uploads.add(1, new_upload(t, seed=t + 100)) for t in range(21, 41)),
        )
        assert len(await bot.uploads.active(1)) == 40
    finally:
        await operator.close()
        await bot.close()


async def test_health_and_use_after_close(db_path: Path, clock: FakeClock) -> None:
    db = await Database.open(db_path, clock=clock)
    assert (await db.health()).ok

    await db.close()
    await db.close()  # twice is fine

    assert db.closed
    health = await db.health()
    assert not health.ok and not health.readable
    with pytest.raises(DatabaseClosed):
        await db.chats.get(1)


async def test_a_file_that_is_not_a_database_is_refused_at_open(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(sqlite3.DatabaseError):
        await Database.open(path)
