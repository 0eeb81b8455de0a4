"""uploads: stored once, replaced per test with history, limits refused, idempotent."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from storage import (
    AddStatus,
    AuditAction,
    ChatStorageFull,
    DamagedUpload,
    Database,
    FileTooBig,
    NewTest,
    NewUpload,
    StorageLimits,
    TooManyFiles,
    UnknownChat,
    UploadState,
)
from tests.storage.factories import (
    FakeClock,
    file_bytes,
    new_upload,
    seen_chat,
    sha256,
    summary_for,
)

CHAT = 1001


async def test_a_new_file_is_stored_with_its_metadata_and_summary(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    new = new_upload(2, seed=1, update_id=50, file_unique_id="AgADuniq1")

    outcome = await db.uploads.add(CHAT, new)

    assert outcome.status is AddStatus.STORED
    assert outcome.replaced is None
    upload = outcome.upload
    assert (upload.chat_id, upload.test_numbers, upload.tests[0].how) == (
        CHAT,
        (2,),
        "from the file name",
    )
    assert (upload.file_name, upload.size, upload.sha256) == (
        "Test 2 results.xlsx",
        2048,
        sha256(new.data),
    )
    assert (upload.file_unique_id, upload.update_id, upload.sender_id) == ("AgADuniq1", 50, 4242)
    assert upload.state is UploadState.ACTIVE
    assert upload.received_at == clock()
    assert upload.summary == summary_for("Test 2 results.xlsx", 2) | {
        "problems": ["row 7: e-mail 'amara.okonkwo-test@' is not valid"],
        "skipped": [],  # JSON keeps tuples as lists
    }
    assert await db.uploads.active(CHAT) == [upload]


async def test_the_same_bytes_twice_are_stored_once(db: Database) -> None:
    await seen_chat(db, CHAT)
    first = await db.uploads.add(CHAT, new_upload(1, seed=7, update_id=1))

    again = await db.uploads.add(CHAT, new_upload(3, seed=7, update_id=2))

    assert again.status is AddStatus.ALREADY_STORED
    assert again.upload == first.upload  # told which test already holds these bytes
    assert [u.id for u in await db.uploads.active(CHAT)] == [first.upload.id]
    assert (await db.uploads.usage(CHAT)).total_bytes == 2048


async def test_the_same_update_delivered_twice_stores_nothing_twice(db: Database) -> None:
    await seen_chat(db, CHAT)
    original = await db.uploads.add(CHAT, new_upload(1, seed=1, update_id=900))
    newer = await db.uploads.add(CHAT, new_upload(1, seed=2, update_id=901))

    redelivered = await db.uploads.add(CHAT, new_upload(1, seed=1, update_id=900))

    assert redelivered.status is AddStatus.ALREADY_STORED
    assert redelivered.upload.id == original.upload.id
    # The late copy of the old update must not undo the newer file.
    assert [u.id for u in await db.uploads.active(CHAT)] == [newer.upload.id]


async def test_new_bytes_for_a_taken_test_replace_it_and_keep_history(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    old = await db.uploads.add(CHAT, new_upload(4, seed=1))
    clock.advance(minutes=5)

    outcome = await db.uploads.add(CHAT, new_upload(4, seed=2))

    assert outcome.status is AddStatus.REPLACED
    assert outcome.replaced == old.upload
    assert [u.id for u in await db.uploads.active(CHAT)] == [outcome.upload.id]
    [kept] = await db.uploads.history(CHAT)
    assert (kept.id, kept.state, kept.replaced_at) == (old.upload.id, UploadState.REPLACED, clock())
    usage = await db.uploads.usage(CHAT)
    assert (usage.files, usage.history_files, usage.total_bytes) == (1, 1, 4096)
    actions = [e.action for e in await db.audit.recent(chat_id=CHAT)]
    assert actions == [AuditAction.REPLACE, AuditAction.UPLOAD]


async def test_resending_replaced_bytes_brings_them_back_stored_once(db: Database) -> None:
    await seen_chat(db, CHAT)
    first = await db.uploads.add(CHAT, new_upload(1, seed=1))
    second = await db.uploads.add(CHAT, new_upload(1, seed=2))

    back = await db.uploads.add(CHAT, new_upload(1, seed=1))

    assert back.status is AddStatus.REPLACED
    assert back.replaced is not None and back.replaced.id == second.upload.id
    assert back.upload.sha256 == first.upload.sha256
    assert [u.id for u in await db.uploads.history(CHAT)] == [second.upload.id]
    assert (await db.uploads.usage(CHAT)).total_bytes == 4096


async def test_active_lists_tests_in_order_and_load_files_returns_whole_bytes(
    db: Database,
) -> None:
    await seen_chat(db, CHAT)
    sent = {test: new_upload(test, seed=test) for test in (3, 1, 2)}
    for new in sent.values():
        await db.uploads.add(CHAT, new)

    active = await db.uploads.active(CHAT)
    files = await db.uploads.load_files(CHAT)

    assert [u.test_number for u in active] == [1, 2, 3]
    assert [f.upload for f in files] == active
    assert [f.data for f in files] == [sent[t].data for t in (1, 2, 3)]


async def test_get_and_find_by_file_unique_id(db: Database) -> None:
    await seen_chat(db, CHAT)
    stored = (await db.uploads.add(CHAT, new_upload(1, seed=1, file_unique_id="AgAD1"))).upload

    assert await db.uploads.get(CHAT, stored.id) == stored
    assert await db.uploads.get(CHAT, stored.id + 1) is None
    assert await db.uploads.find_by_file_unique_id(CHAT, "AgAD1") == stored
    assert await db.uploads.find_by_file_unique_id(CHAT, "AgAD2") is None


async def test_remove_test_deletes_the_file_and_its_history(db: Database) -> None:
    await seen_chat(db, CHAT)
    await db.uploads.add(CHAT, new_upload(1, seed=1))
    await db.uploads.add(CHAT, new_upload(2, seed=2))
    await db.uploads.add(CHAT, new_upload(2, seed=3))

    removal = await db.uploads.remove_test(CHAT, 2, actor_id=77)

    assert (removal.uploads, removal.bytes) == (2, 4096)
    assert [u.test_number for u in await db.uploads.active(CHAT)] == [1]
    assert await db.uploads.history(CHAT) == []
    [entry] = await db.audit.recent(1, chat_id=CHAT)
    assert (entry.action, entry.actor_id) == (AuditAction.REMOVE, 77)
    assert entry.details == {"test": 2, "uploads": 2, "bytes": 4096}
    assert (await db.uploads.remove_test(CHAT, 2, actor_id=77)).uploads == 0


@pytest.mark.parametrize("limits", [StorageLimits(max_file_bytes=1000)])
async def test_a_file_over_the_size_limit_is_refused(db: Database) -> None:
    await seen_chat(db, CHAT)
    with pytest.raises(FileTooBig) as refused:
        await db.uploads.add(CHAT, new_upload(1, seed=1, size=1001))
    assert (refused.value.size, refused.value.limit) == (1001, 1000)
    assert "1000" not in refused.value.message  # worded in MB for a person
    assert await db.uploads.active(CHAT) == []


@pytest.mark.parametrize("limits", [StorageLimits(max_files_per_chat=2)])
async def test_a_file_over_the_count_limit_is_refused_but_replacing_is_not(
    db: Database,
) -> None:
    await seen_chat(db, CHAT)
    await db.uploads.add(CHAT, new_upload(1, seed=1))
    await db.uploads.add(CHAT, new_upload(2, seed=2))

    with pytest.raises(TooManyFiles) as refused:
        await db.uploads.add(CHAT, new_upload(3, seed=3))
    replaced = await db.uploads.add(CHAT, new_upload(2, seed=4))

    assert (refused.value.count, refused.value.limit) == (2, 2)
    assert replaced.status is AddStatus.REPLACED
    assert [u.test_number for u in await db.uploads.active(CHAT)] == [1, 2]


@pytest.mark.parametrize("limits", [StorageLimits(max_bytes_per_chat=5000)])
async def test_the_chat_byte_limit_counts_history_and_a_refusal_changes_nothing(
    db: Database,
) -> None:
    await seen_chat(db, CHAT)
    await db.uploads.add(CHAT, new_upload(1, seed=1))  # 2048
    await db.uploads.add(CHAT, new_upload(1, seed=2))  # 4096 with history

    with pytest.raises(ChatStorageFull) as refused:
        await db.uploads.add(CHAT, new_upload(1, seed=3))

    error = refused.value
    assert (error.used, error.history, error.size, error.limit) == (4096, 2048, 2048, 5000)
    assert "/reset" in error.message
    usage = await db.uploads.usage(CHAT)
    assert (usage.files, usage.history_files) == (1, 1)
    assert len(await db.audit.recent(chat_id=CHAT)) == 2


async def test_uploads_need_a_known_chat_and_a_real_test_number(db: Database) -> None:
    with pytest.raises(UnknownChat):
        await db.uploads.add(CHAT, new_upload(1, seed=1))
    await seen_chat(db, CHAT)
    with pytest.raises(ValueError, match="start at 1"):
        await db.uploads.add(CHAT, new_upload(0, seed=1))
    assert await db.uploads.active(CHAT) == []


async def test_loading_bytes_that_no_longer_match_their_sha_is_refused(
    db: Database, db_path: Path
) -> None:
    await seen_chat(db, CHAT)
    stored = (await db.uploads.add(CHAT, new_upload(1, seed=1))).upload
    with closing(sqlite3.connect(db_path)) as other:
        other.execute("UPDATE upload_bytes SET data = ? WHERE upload_id = ?", (b"x", stored.id))
        other.commit()

    with pytest.raises(DamagedUpload) as refused:
        await db.uploads.load_files(CHAT)
    assert refused.value.file_name == "Test 1 results.xlsx"


def gradebook(numbers: tuple[int, ...], seed: int, update_id: int | None = None) -> NewUpload:
    """A file that brings several tests, keyed by their columns."""
    return NewUpload(
        file_name="gc_BIO101_fullgc.csv",
        data=file_bytes(seed, 4096),
        tests=tuple(
            NewTest(n, "item of the file", summary_for("gc_BIO101_fullgc.csv", n), key=f"Quiz {n}")
            for n in numbers
        ),
        update_id=update_id,
    )


async def test_a_gradebook_is_one_file_holding_several_tests(db: Database) -> None:
    await seen_chat(db, CHAT)
    outcome = await db.uploads.add(CHAT, gradebook((1, 2, 3), seed=1))
    assert outcome.status is AddStatus.STORED
    (held,) = await db.uploads.active(CHAT)
    assert held.test_numbers == (1, 2, 3)
    assert [t.key for t in held.tests] == ["Quiz 1", "Quiz 2", "Quiz 3"]
    assert (await db.uploads.usage(CHAT)).files == 1


async def test_a_test_taken_over_leaves_the_gradebook_its_other_tests(db: Database) -> None:
    await seen_chat(db, CHAT)
    book = (await db.uploads.add(CHAT, gradebook((1, 2, 3), seed=1))).upload
    single = await db.uploads.add(CHAT, new_upload(2, seed=2))
    assert single.status is AddStatus.REPLACED
    assert single.replaced_tests == (2,)
    assert single.replaced is not None and single.replaced.id == book.id
    active = {u.id: u.test_numbers for u in await db.uploads.active(CHAT)}
    assert active == {book.id: (1, 3), single.upload.id: (2,)}
    assert await db.uploads.history(CHAT) == []  # the gradebook still holds tests


async def test_a_gradebook_taking_every_test_of_a_file_makes_it_history(db: Database) -> None:
    await seen_chat(db, CHAT)
    first = (await db.uploads.add(CHAT, new_upload(2, seed=2))).upload
    await db.uploads.add(CHAT, gradebook((1, 2), seed=1))
    assert [u.id for u in await db.uploads.history(CHAT)] == [first.id]
    assert [u.test_numbers for u in await db.uploads.active(CHAT)] == [(1, 2)]


async def test_removing_one_test_of_a_gradebook_keeps_the_file(db: Database) -> None:
    await seen_chat(db, CHAT)
    await db.uploads.add(CHAT, gradebook((1, 2, 3), seed=1))
    removal = await db.uploads.remove_test(CHAT, 2, actor_id=1)
    assert (removal.tests, removal.uploads) == (1, 0)
    assert [u.test_numbers for u in await db.uploads.active(CHAT)] == [(1, 3)]
    await db.uploads.remove_test(CHAT, 1, actor_id=1)
    last = await db.uploads.remove_test(CHAT, 3, actor_id=1)
    assert (last.tests, last.uploads, last.bytes) == (1, 1, 4096)
    assert await db.uploads.active(CHAT) == []
    assert (await db.uploads.usage(CHAT)).total_bytes == 0
