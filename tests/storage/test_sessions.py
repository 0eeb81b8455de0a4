"""Sessions end on /reset or when idle too long, and their bytes really leave the file."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from storage import AuditAction, Database, NewCompile, NewUpload, StorageLimits
from tests.storage.factories import FakeClock, Marker, new_upload, seen_chat, summary_for

CHAT, OTHER = 3001, 3002
MEBIBYTE = 1024 * 1024


def marker_upload(test: int, size: int) -> NewUpload:
    return NewUpload.one_test(
        f"Test {test}.xlsx",
        Marker.sized(size).data + bytes([test]),
        test,
        "from the label",
        summary_for(f"Test {test}.xlsx", test),
    )


def file_holds_marker(path: Path) -> bool:
    tag = b"DELETE-ME-MARKER-"
    wal = Path(f"{path}-wal")
    return tag in path.read_bytes() or (wal.exists() and tag in wal.read_bytes())


def freelist_and_pages(path: Path) -> tuple[int, int]:
    with closing(sqlite3.connect(path)) as conn:
        return (
            conn.execute("PRAGMA freelist_count").fetchone()[0],
            conn.execute("PRAGMA page_count").fetchone()[0],
        )


async def test_reset_deletes_files_and_maxima_and_puts_the_settings_back(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    await db.chats.update_settings(
        CHAT, 1, policy="lenient", out_of={1: 20.0}, pass_mark=45.0, drop_lowest=1, letters="uk"
    )
    await db.uploads.add(CHAT, new_upload(1, seed=1))
    await db.uploads.add(CHAT, new_upload(1, seed=2))
    stored = await db.uploads.active(CHAT)
    await db.compiles.record(
        CHAT, 1, NewCompile((stored[0].id,), clock(), 2.0, 30, 25, 5, "a" * 64)
    )

    removal = await db.sessions.reset(CHAT, actor_id=1)

    assert (removal.uploads, removal.bytes) == (2, 4096)
    assert await db.uploads.active(CHAT) == [] and await db.uploads.history(CHAT) == []
    settings = await db.chats.get_settings(CHAT)
    assert (settings.policy, dict(settings.out_of), settings.pass_mark) == ("classic", {}, 50.0)
    assert (settings.drop_lowest, settings.letters) == (0, None)
    assert len(await db.compiles.recent(CHAT)) == 1
    [entry] = await db.audit.recent(1, chat_id=CHAT)
    assert (entry.action, entry.details) == (
        AuditAction.RESET,
        {"uploads": 2, "bytes": 4096, "decisions": 0, "roster": False},
    )


@pytest.mark.parametrize("limits", [StorageLimits(max_bytes_per_chat=50 * MEBIBYTE)])
async def test_reset_gives_the_bytes_back_and_leaves_no_trace_in_the_file(
    db: Database, db_path: Path
) -> None:
    await seen_chat(db, CHAT)
    for test in range(1, 6):
        await db.uploads.add(CHAT, marker_upload(test, 2 * MEBIBYTE))
    _, pages_full = freelist_and_pages(db_path)
    assert file_holds_marker(db_path)

    await db.sessions.reset(CHAT, actor_id=1)

    free, pages_after = freelist_and_pages(db_path)
    assert free == 0
    assert pages_after * 16384 < pages_full * 16384 - 9 * MEBIBYTE
    assert db_path.stat().st_size < 2 * MEBIBYTE
    assert not file_holds_marker(db_path)


async def test_removing_a_test_also_leaves_no_trace(db: Database, db_path: Path) -> None:
    await seen_chat(db, CHAT)
    await db.uploads.add(CHAT, new_upload(1, seed=1))
    await db.uploads.add(CHAT, marker_upload(2, MEBIBYTE))
    assert file_holds_marker(db_path)

    await db.uploads.remove_test(CHAT, 2, actor_id=1)

    assert freelist_and_pages(db_path)[0] == 0
    assert not file_holds_marker(db_path)
    assert len(await db.uploads.load_files(CHAT)) == 1


async def test_purge_ends_only_sessions_idle_past_the_lifetime(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    await seen_chat(db, OTHER)
    await db.uploads.add(CHAT, new_upload(1, seed=1))
    await db.chats.update_settings(CHAT, 1, out_of={1: 10.0})
    await db.uploads.add(OTHER, new_upload(1, seed=2))
    clock.advance(days=29)
    await db.chats.touch(OTHER, "private")  # OTHER was seen a day before the purge
    clock.advance(days=1, seconds=1)

    result = await db.sessions.purge_expired(clock(), ttl_days=30)

    assert (result.chats, result.uploads, result.bytes) == (1, 1, 2048)
    assert await db.uploads.active(CHAT) == []
    assert (await db.chats.get_settings(CHAT)).out_of == {}
    assert len(await db.uploads.active(OTHER)) == 1
    assert await db.chats.get(CHAT) is not None  # the chat is kept for broadcasts and stats
    [entry] = await db.audit.recent(1, chat_id=CHAT)
    assert (entry.action, entry.actor_id) == (AuditAction.EXPIRE, None)
    again = await db.sessions.purge_expired(clock(), ttl_days=30)
    assert (again.chats, again.uploads) == (0, 0)


async def test_a_session_seen_exactly_at_the_lifetime_is_kept(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    await db.uploads.add(CHAT, new_upload(1, seed=1))
    clock.advance(days=30)

    assert (await db.sessions.purge_expired(clock(), ttl_days=30)).chats == 0
    with pytest.raises(ValueError, match="positive"):
        await db.sessions.purge_expired(clock(), ttl_days=0)
