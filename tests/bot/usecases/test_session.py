"""The session's use cases over a real database: /status, /remove, /reset, the maxima given,
the settings, the chat noted as updates arrive, and the daily purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.usecases.backend import Backend
from bot.usecases.session import (
    change_settings,
    chat_settings,
    end_idle_sessions,
    give_maximum,
    note_chat,
    remove_test,
    reset_chat,
    session_status,
)
from bot.usecases.uploads import take_upload
from storage import ChatKind, ChatSettings
from tests.bot.usecases.helpers import CHAT, TEACHER, Fetcher, incoming, refusing_writes
from tests.support.classes import make_class

FILES = make_class("surveyheart", people=6, tests=3, seed=21).files


async def upload(backend: Backend, *numbers: int) -> None:
    for number in numbers:
        file = FILES[number - 1]
        await take_upload(backend, incoming(file, update_id=number), Fetcher(file.data))


async def test_the_status_lists_the_tests_in_order_and_the_settings(backend: Backend) -> None:
    await upload(backend, 3, 1)
    await give_maximum(backend, CHAT, TEACHER, 3, 19.0)
    status = await session_status(backend, CHAT)
    assert [s.test.number for s in status.summaries] == [1, 3]
    assert [s.file_name for s in status.summaries] == [FILES[0].name, FILES[2].name]
    assert status.settings == ChatSettings(out_of={3: 19.0})


async def test_removing_a_test_says_whether_there_was_one(backend: Backend) -> None:
    await upload(backend, 1, 2)
    assert await remove_test(backend, CHAT, 2, TEACHER)
    assert not await remove_test(backend, CHAT, 2, TEACHER)
    assert [u.test_number for u in await backend.db.uploads.active(CHAT)] == [1]


async def test_a_reset_deletes_the_files_and_maxima_and_puts_the_settings_back(
    backend: Backend,
) -> None:
    await upload(backend, 1, 2)
    await give_maximum(backend, CHAT, TEACHER, 2, 20.0)
    await change_settings(backend, CHAT, TEACHER, {"policy": "strict"})
    removal = await reset_chat(backend, CHAT, TEACHER)
    assert removal.uploads == 2
    assert (await session_status(backend, CHAT)).summaries == []
    assert await chat_settings(backend, CHAT) == ChatSettings()  # every default


async def test_a_settings_change_is_kept_and_returned(backend: Backend) -> None:
    changed = await change_settings(backend, CHAT, TEACHER, {"pass_mark": 60.0})
    assert changed.pass_mark == 60.0
    assert await chat_settings(backend, CHAT) == changed
    assert await chat_settings(backend, 777) == ChatSettings()  # a chat never seen


async def test_a_chat_is_noted_and_a_database_refusing_it_is_only_logged(
    backend: Backend,
) -> None:
    await note_chat(backend, 55, ChatKind.GROUP, "Staff room")
    noted = await backend.db.chats.get(55)
    assert noted is not None and (noted.kind, noted.title) == (ChatKind.GROUP, "Staff room")
    async with refusing_writes(backend.db):
        await note_chat(backend, 56, ChatKind.PRIVATE, None)
    assert await backend.db.chats.get(56) is None


async def test_the_daily_purge_ends_idle_sessions_and_forgets_old_update_ids(
    backend: Backend,
) -> None:
    await upload(backend, 1)
    await backend.db.inbox.receive(1, {"update_id": 1})
    await backend.db.inbox.handled(1)
    later = datetime.now(UTC) + timedelta(days=backend.settings.session_ttl_days + 1)
    ended = await end_idle_sessions(backend, later, keep_handled=timedelta(days=2))
    assert (ended.purged.chats, ended.purged.uploads, ended.forgotten_updates) == (1, 1, 1)
    assert await backend.db.uploads.active(CHAT) == []
