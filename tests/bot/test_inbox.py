"""The durable update queue: each update written down once, duplicates dropped, the unhandled
handed back at start, and a database refusing writes never stops updates from being handled."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot, Update

from bot.inbox import DurableUpdateQueue
from storage import Database
from tests.support.telegram_standin import DEFAULT_TOKEN


def _update(update_id: int, text: str) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 1_700_000_000,
                "chat": {"id": 1001, "type": "private"},
                "text": text,
            },
        },
        None,
    )


def _drain(queue: DurableUpdateQueue) -> list[object]:
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "bot.sqlite3")
    yield database
    await database.close()


async def test_an_update_is_queued_once_and_what_is_not_an_update_passes(db: Database) -> None:
    queue = DurableUpdateQueue()
    queue.attach(db)
    await queue.put(_update(1, "/status"))
    await queue.put(_update(1, "/status"))  # Telegram delivering it again
    await queue.put("stop signal")
    assert [getattr(i, "update_id", i) for i in _drain(queue)] == [1, "stop signal"]


async def test_the_unhandled_come_back_in_order_and_the_handled_do_not(db: Database) -> None:
    first = DurableUpdateQueue()
    first.attach(db)
    for update_id in (3, 1, 2):
        await first.put(_update(update_id, f"text {update_id}"))
    await first.handled(_update(2, "text 2"))  # 1 and 3 were cut short

    second = DurableUpdateQueue()  # the next start
    second.attach(db)
    assert await second.replay_unhandled(Bot(DEFAULT_TOKEN)) == 2
    replayed = _drain(second)
    assert [(u.update_id, u.message.text) for u in replayed] == [(1, "text 1"), (3, "text 3")]


async def test_a_database_refusing_writes_still_lets_every_update_through(db: Database) -> None:
    queue = DurableUpdateQueue()
    queue.attach(db)
    await queue.put(_update(1, "/status"))
    async with db.snapshot() as conn:
        await conn.execute("PRAGMA query_only = ON")
    await queue.put(_update(2, "/help"))  # cannot be written down: handled anyway
    await queue.handled(_update(1, "/status"))  # cannot be marked: logged, not raised
    assert await queue.replay_unhandled(Bot(DEFAULT_TOKEN)) == 0  # kept for the next start
    assert [u.update_id for u in _drain(queue)] == [1, 2]
