"""Admins' statistics come from the data, read in one snapshot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from storage import Database, DeliveryState, NewCompile
from tests.storage.factories import FakeClock, new_upload, seen_chat


async def test_stats_count_chats_files_compiles_and_the_last_broadcast(
    db: Database, clock: FakeClock, db_path: Path
) -> None:
    for chat_id in (1, 2, 3, 4):
        await seen_chat(db, chat_id)
    await db.chats.mark_blocked(4)
    await db.uploads.add(1, new_upload(1, seed=1))
    await db.uploads.add(1, new_upload(1, seed=2))
    await db.uploads.add(2, new_upload(1, seed=3, size=1000))
    now = clock.advance(days=10)
    await seen_chat(db, 2)  # only chat 2 was seen in the last week
    for age, seconds in (
        (timedelta(days=8), 100.0),
        (timedelta(days=3), 4.0),
        (timedelta(days=2), 6.0),
        (timedelta(hours=12), 9.0),
    ):
        await db.compiles.record(1, 1, NewCompile((), now - age, seconds, 10, 7, 3, "c" * 64))
    broadcast = await db.broadcasts.create(9, "Hello", [1, 2])
    await db.broadcasts.mark_delivery(broadcast.id, 1, DeliveryState.SENT)

    stats = await db.stats()

    assert (stats.chats_total, stats.chats_active_7d, stats.chats_blocked) == (4, 1, 1)
    assert (stats.sessions_with_files, stats.uploads_active, stats.uploads_replaced) == (2, 2, 1)
    assert stats.bytes_stored == 2048 * 2 + 1000
    assert (stats.compiles_24h, stats.compiles_7d, stats.median_compile_seconds_7d) == (1, 3, 6.0)
    assert stats.integrity == "ok"
    assert stats.database_bytes >= db_path.stat().st_size > 0
    assert stats.last_broadcast is not None
    assert stats.last_broadcast.counts == {DeliveryState.SENT: 1, DeliveryState.PENDING: 1}


async def test_stats_of_an_empty_database(db: Database) -> None:
    stats = await db.stats()
    assert (stats.chats_total, stats.uploads_active, stats.bytes_stored) == (0, 0, 0)
    assert (stats.compiles_7d, stats.median_compile_seconds_7d) == (0, None)
    assert stats.last_broadcast is None
