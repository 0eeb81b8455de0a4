"""compiles: the history `/status` and admins read."""

from __future__ import annotations

import pytest

from storage import AuditAction, Database, NewCompile, UnknownChat
from tests.storage.factories import FakeClock, new_upload, seen_chat

CHAT = 5001


async def test_record_and_read_recent_compiles_newest_first(db: Database, clock: FakeClock) -> None:
    await seen_chat(db, CHAT)
    ids = tuple([(await db.uploads.add(CHAT, new_upload(t, seed=t))).upload.id for t in (1, 2)])
    recorded = []
    for n in range(7):
        started = clock.advance(minutes=10)
        done = NewCompile(ids, started, 1.5 + n, 30, 20 + n, 10 - n, f"{n:064x}")
        recorded.append(await db.compiles.record(CHAT, actor_id=8, done=done))

    recent = await db.compiles.recent(CHAT)

    assert recent == recorded[::-1][:5]
    newest = recent[0]
    assert (newest.upload_ids, newest.started_at, newest.duration_seconds) == (ids, clock(), 7.5)
    assert (newest.participants, newest.passed, newest.failed) == (30, 26, 4)
    assert (newest.actor_id, newest.output_sha256) == (8, f"{6:064x}")
    assert len(await db.compiles.recent(CHAT, limit=10)) == 7
    [entry] = await db.audit.recent(1, chat_id=CHAT)
    assert entry.action is AuditAction.COMPILE
    assert entry.details == {"compile_id": newest.id, "files": 2, "participants": 30}


async def test_a_compile_outlives_the_files_it_used(db: Database, clock: FakeClock) -> None:
    await seen_chat(db, CHAT)
    upload = (await db.uploads.add(CHAT, new_upload(1, seed=1))).upload
    await db.sessions.reset(CHAT, actor_id=1)  # reset between compile and record

    record = await db.compiles.record(
        CHAT, 1, NewCompile((upload.id,), clock(), 1, 3, 2, 1, "f" * 64)
    )

    assert (await db.compiles.recent(CHAT)) == [record]


async def test_a_compile_needs_a_known_chat_and_a_real_duration(
    db: Database, clock: FakeClock
) -> None:
    done = NewCompile((), clock(), 1.0, 0, 0, 0, "0" * 64)
    with pytest.raises(UnknownChat):
        await db.compiles.record(CHAT, 1, done)
    await seen_chat(db, CHAT)
    with pytest.raises(ValueError, match="negative"):
        await db.compiles.record(CHAT, 1, NewCompile((), clock(), -1.0, 0, 0, 0, "0" * 64))


async def test_a_compiles_digest_is_kept_for_the_next_to_compare_with(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    digest = {"people": {"3f2a": "PASS"}, "tests": {"1": 4}, "settings": {"policy": "strict"}}
    await db.compiles.record(CHAT, 1, NewCompile((), clock(), 1, 1, 1, 0, "a" * 64))
    clock.advance(minutes=1)
    await db.compiles.record(CHAT, 1, NewCompile((), clock(), 1, 1, 1, 0, "b" * 64, digest))

    newest, older = await db.compiles.recent(CHAT, limit=2)

    assert (newest.digest, older.digest) == (digest, None)
