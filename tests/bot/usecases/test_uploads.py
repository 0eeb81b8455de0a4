"""`take_upload`: each way a file can go, over a real database and inline workers."""

from __future__ import annotations

import dataclasses

from bot.usecases.backend import Backend
from bot.usecases.session import give_maximum, remove_test, session_summaries
from bot.usecases.uploads import (
    AlreadyHeld,
    DownloadTooBig,
    NoRoom,
    NotSaved,
    TooBig,
    TooComplex,
    Unreadable,
    UploadTaken,
    take_upload,
)
from bot.workers import WorkerLimitExceeded
from compiler import UploadedFile, summary_from_dict
from storage import AddStatus
from tests.bot.usecases.helpers import (
    CHAT,
    TEACHER,
    Fetcher,
    incoming,
    refusing_writes,
    workers,
)
from tests.support.classes import make_class
from tests.support.platform_corpus import CORPUS

FILES = make_class("google_forms", people=12, tests=3, seed=7).files


async def take(
    backend: Backend, file: UploadedFile, update_id: int, **kwargs: object
) -> tuple[object, Fetcher]:
    fetch = Fetcher(file.data)
    result = await take_upload(backend, incoming(file, update_id, **kwargs), fetch)  # type: ignore[arg-type]
    return result, fetch


async def test_a_file_is_numbered_parsed_in_a_worker_stored_and_described(
    backend: Backend,
) -> None:
    result, fetch = await take(backend, FILES[1], update_id=1)
    assert isinstance(result, UploadTaken) and fetch.fetches == 1
    (stored,) = result.tests
    assert stored.outcome.status is AddStatus.STORED and not stored.ask_maximum
    assert stored.number == 2 and stored.summary.test.how == "from the file name"
    assert stored.summary.participants > 0 and result.file_name == FILES[1].name
    assert workers(backend).jobs == ["inspect_file"]
    (upload,) = await backend.db.uploads.active(CHAT)
    assert (upload.test_number, upload.sender_id, upload.update_id) == (2, TEACHER, 1)
    assert summary_from_dict(dict(upload.summary)) == stored.summary


async def test_a_caption_numbers_the_test_and_a_second_file_for_it_replaces_the_first(
    backend: Backend,
) -> None:
    await take(backend, FILES[0], update_id=1, caption="Test 5")
    result, _ = await take(backend, FILES[2], update_id=2, caption="test 5")
    assert isinstance(result, UploadTaken)
    (stored,) = result.tests
    assert stored.outcome.status is AddStatus.REPLACED and stored.number == 5
    assert stored.outcome.replaced is not None
    assert stored.outcome.replaced.file_name == FILES[0].name
    assert [u.file_name for u in await backend.db.uploads.active(CHAT)] == [FILES[2].name]


async def test_the_same_telegram_file_again_is_held_without_fetching_it(backend: Backend) -> None:
    await take(backend, FILES[0], update_id=1, unique_id="same")
    result, fetch = await take(backend, FILES[0], update_id=2, unique_id="same")
    assert result == AlreadyHeld(FILES[0].name, (1,))
    assert fetch.fetches == 0 and workers(backend).jobs == ["inspect_file"]


async def test_the_same_bytes_in_another_telegram_file_are_stored_once(backend: Backend) -> None:
    await take(backend, FILES[0], update_id=1)
    result, fetch = await take(backend, FILES[0], update_id=2)
    assert isinstance(result, UploadTaken) and fetch.fetches == 1
    assert result.tests[0].outcome.status is AddStatus.ALREADY_STORED
    assert len(await backend.db.uploads.active(CHAT)) == 1


async def test_an_update_handled_again_after_a_crash_gets_its_answer_and_stores_nothing(
    backend: Backend,
) -> None:
    first, _ = await take(backend, FILES[0], update_id=7)
    again, fetch = await take(backend, FILES[0], update_id=7)
    assert isinstance(first, UploadTaken) and isinstance(again, UploadTaken)
    assert again.tests[0].outcome.status is AddStatus.STORED
    assert again.tests[0].summary == first.tests[0].summary
    assert fetch.fetches == 0 and len(await backend.db.uploads.active(CHAT)) == 1


async def test_a_file_over_the_limit_is_refused_before_it_is_fetched(backend: Backend) -> None:
    big = dataclasses.replace(
        incoming(FILES[0], update_id=1), size=backend.settings.max_file_bytes + 1
    )
    fetch = Fetcher(FILES[0].data)
    result = await take_upload(backend, big, fetch)
    assert result == TooBig(FILES[0].name, big.size, backend.settings.max_file_mb)
    assert fetch.fetches == 0


async def test_a_file_telegram_will_not_hand_over_is_too_big(backend: Backend) -> None:
    async def refused() -> bytes:
        raise DownloadTooBig

    result = await take_upload(backend, incoming(FILES[0], update_id=1), refused)
    assert isinstance(result, TooBig) and result.file_name == FILES[0].name
    assert await backend.db.uploads.active(CHAT) == []


async def test_an_unreadable_file_is_refused_with_the_compilers_reason(backend: Backend) -> None:
    junk = UploadedFile("Test 1.xlsx", b"PK\x03\x04 not really a workbook")
    result, _ = await take(backend, junk, update_id=1)
    assert isinstance(result, Unreadable) and result.file_name == "Test 1.xlsx"
    assert "Test 1.xlsx" in result.reason
    assert await backend.db.uploads.active(CHAT) == []


async def test_a_file_past_the_workers_limits_is_too_complex(backend: Backend) -> None:
    workers(backend).fail_with = WorkerLimitExceeded("memory")
    result, _ = await take(backend, FILES[0], update_id=1)
    assert result == TooComplex(FILES[0].name)
    assert await backend.db.uploads.active(CHAT) == []


async def test_a_full_chat_refuses_more_files_with_storages_reason(backend: Backend) -> None:
    backend.db.limits = dataclasses.replace(backend.db.limits, max_files_per_chat=1)
    await take(backend, FILES[0], update_id=1)
    result, _ = await take(backend, FILES[1], update_id=2)
    assert isinstance(result, NoRoom) and result.file_name == FILES[1].name
    assert "1 files, the most allowed is 1" in result.reason


async def test_a_database_refusing_writes_keeps_nothing_and_says_so(backend: Backend) -> None:
    async with refusing_writes(backend.db):
        result, _ = await take(backend, FILES[0], update_id=1)
    assert result == NotSaved(FILES[0].name)
    assert await backend.db.uploads.active(CHAT) == []


async def test_a_file_without_its_maximum_asks_for_it_until_it_is_given(backend: Backend) -> None:
    quiz, later = make_class("microsoft_forms", people=8, tests=2, seed=3).files
    first, _ = await take(backend, quiz, update_id=1)
    assert isinstance(first, UploadTaken)
    assert first.tests[0].ask_maximum and first.tests[0].summary.needs_maximum
    await give_maximum(backend, CHAT, TEACHER, 1, 20.0)
    replacing, _ = await take(backend, later, update_id=2, caption="Test 1")
    assert isinstance(replacing, UploadTaken) and not replacing.tests[0].ask_maximum
    same_again, _ = await take(backend, later, update_id=3)
    assert isinstance(same_again, UploadTaken) and not same_again.tests[0].ask_maximum


GRADEBOOK = CORPUS / "blackboard" / "gc_BIO101-2026S_fullgc_2026-03-02-10-15-00.csv"


def gradebook(data: bytes | None = None) -> UploadedFile:
    return UploadedFile(GRADEBOOK.name, data if data is not None else GRADEBOOK.read_bytes())


async def test_a_gradebook_brings_one_test_per_item_and_keeps_them_when_sent_again(
    backend: Backend,
) -> None:
    await take(backend, FILES[0], update_id=1, caption="Test 1")
    result, _ = await take(backend, gradebook(), update_id=2)
    assert isinstance(result, UploadTaken)
    assert [(s.number, s.summary.title) for s in result.tests] == [
        (2, "Quiz 1"), (3, "Quiz 2"), (4, "Practical 1"), (5, "Midterm"),
    ]  # fmt: skip
    assert all(s.outcome.status is AddStatus.STORED for s in result.tests)
    # A corrected download (other bytes) takes the same numbers back: its items are known.
    corrected = gradebook(GRADEBOOK.read_bytes().replace(b'"8.00"', b'"8.50"', 1))
    again, _ = await take(backend, corrected, update_id=3)
    assert isinstance(again, UploadTaken)
    assert [s.number for s in again.tests] == [2, 3, 4, 5]
    assert again.tests[0].outcome.status is AddStatus.REPLACED
    assert again.tests[0].outcome.replaced_tests == (2, 3, 4, 5)
    summaries = await session_summaries(backend, CHAT)
    assert [s.label for s in summaries] == [
        "Test 1", "Test 2 · Quiz 1", "Test 3 · Quiz 2", "Test 4 · Practical 1", "Test 5 · Midterm",
    ]  # fmt: skip


async def test_removing_a_gradebook_test_keeps_its_other_tests(backend: Backend) -> None:
    await take(backend, gradebook(), update_id=1)
    assert await remove_test(backend, CHAT, 2, actor_id=TEACHER)
    assert [s.test.number for s in await session_summaries(backend, CHAT)] == [1, 3, 4]
    assert not await remove_test(backend, CHAT, 2, actor_id=TEACHER)
