"""No call about one chat can read or change another chat's data."""

from __future__ import annotations

import inspect

import pytest

from storage import AddStatus, Database, NewCompile
from storage.uploads import UploadRepository
from tests.storage.factories import FakeClock, new_upload, seen_chat

ALICE_CLASS, BOB_CLASS = 2001, 2002


async def two_chats_with_files(db: Database) -> tuple[int, int]:
    await seen_chat(db, ALICE_CLASS)
    await seen_chat(db, BOB_CLASS)
    await db.uploads.add(ALICE_CLASS, new_upload(1, seed=1, file_unique_id="AgADalice"))
    await db.uploads.add(ALICE_CLASS, new_upload(1, seed=2))  # history in Alice's chat
    return ALICE_CLASS, BOB_CLASS


async def test_another_chat_sees_none_of_a_chats_uploads(db: Database) -> None:
    alice, bob = await two_chats_with_files(db)
    [alice_file] = await db.uploads.active(alice)

    assert await db.uploads.active(bob) == []
    assert await db.uploads.history(bob) == []
    assert await db.uploads.load_files(bob) == []
    assert await db.uploads.get(bob, alice_file.id) is None
    assert await db.uploads.find_by_file_unique_id(bob, "AgADalice") is None
    assert (await db.uploads.usage(bob)).total_bytes == 0


async def test_another_chats_removal_reset_and_expiry_leave_a_chat_untouched(
    db: Database, clock: FakeClock
) -> None:
    alice, bob = await two_chats_with_files(db)
    before = await db.uploads.active(alice), await db.uploads.history(alice)

    assert (await db.uploads.remove_test(bob, 1, actor_id=9)).uploads == 0
    assert (await db.sessions.reset(bob, actor_id=9)).uploads == 0
    clock.advance(days=40)
    await db.chats.touch(alice, "private")  # Alice is active, Bob idle
    await db.sessions.purge_expired(clock(), ttl_days=30)

    assert (await db.uploads.active(alice), await db.uploads.history(alice)) == before


async def test_the_same_bytes_in_two_chats_are_each_chats_own(db: Database) -> None:
    alice, bob = await two_chats_with_files(db)

    outcome = await db.uploads.add(bob, new_upload(1, seed=2))

    assert outcome.status is AddStatus.STORED  # not "already stored" from Alice's chat
    await db.sessions.reset(alice, actor_id=1)
    [bobs] = await db.uploads.load_files(bob)
    assert bobs.upload.chat_id == bob
    assert bobs.data == new_upload(1, seed=2).data


async def test_a_compile_cannot_cite_another_chats_uploads(db: Database, clock: FakeClock) -> None:
    alice, bob = await two_chats_with_files(db)
    [alice_file] = await db.uploads.active(alice)
    done = NewCompile((alice_file.id,), clock(), 1.0, 10, 8, 2, "0" * 64)

    with pytest.raises(ValueError, match="not chat"):
        await db.compiles.record(bob, actor_id=5, done=done)
    assert await db.compiles.recent(bob) == []


def test_every_upload_method_is_scoped_by_a_chat_id() -> None:
    public = [
        (name, member)
        for name, member in inspect.getmembers(UploadRepository, inspect.iscoroutinefunction)
        if not name.startswith("_")
    ]
    assert len(public) >= 8
    for name, method in public:
        first = list(inspect.signature(method).parameters)[1]
        assert first == "chat_id", f"UploadRepository.{name} must take the chat id first"
