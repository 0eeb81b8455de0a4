"""The inbox: each update kept once, handed back after a crash, given up when it keeps failing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from storage import Database
from tests.storage.factories import FakeClock


def _update(update_id: int, text: str = "/status") -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": 1, "text": text}}


async def test_an_update_is_received_once_and_a_second_delivery_is_refused(db: Database) -> None:
    assert await db.inbox.receive(10, _update(10))
    assert not await db.inbox.receive(10, _update(10))
    await db.inbox.handled(10)
    assert not await db.inbox.receive(10, _update(10))  # handled: still known


async def test_updates_left_unhandled_come_back_in_order_after_a_reopen(
    db_path: Path, clock: FakeClock
) -> None:
    first = await Database.open(db_path, clock=clock)
    for update_id in (7, 5, 6):
        await first.inbox.receive(update_id, _update(update_id, f"text {update_id}"))
    await first.inbox.handled(6)
    await first.close()  # as if the bot stopped before handling 5 and 7

    second = await Database.open(db_path, clock=clock)
    try:
        pending = await second.inbox.take_unhandled(3, clock() - timedelta(days=1))
        assert [(p.update_id, p.attempts) for p in pending] == [(5, 2), (7, 2)]
        assert pending[0].payload == _update(5, "text 5")
        assert not await second.inbox.receive(5, _update(5))  # Telegram sending it again
    finally:
        await second.close()


async def test_an_update_that_keeps_failing_or_is_too_old_is_given_up(
    db: Database, clock: FakeClock
) -> None:
    await db.inbox.receive(1, _update(1))  # attempt 1
    clock.advance(hours=30)
    await db.inbox.receive(2, _update(2))
    cutoff = clock() - timedelta(days=1)  # update 1 is now too old
    assert [p.update_id for p in await db.inbox.take_unhandled(3, cutoff)] == [2]  # attempt 2
    assert [p.update_id for p in await db.inbox.take_unhandled(3, cutoff)] == [2]  # attempt 3
    assert await db.inbox.take_unhandled(3, cutoff) == []  # given up
    assert not await db.inbox.receive(2, _update(2))


async def test_handled_ids_are_forgotten_after_the_day_telegram_may_resend_them(
    db: Database, clock: FakeClock
) -> None:
    await db.inbox.receive(1, _update(1))
    await db.inbox.handled(1)
    clock.advance(hours=1)
    await db.inbox.receive(2, _update(2))
    await db.inbox.handled(2)
    assert await db.inbox.forget_handled(clock() - timedelta(minutes=30)) == 1
    assert await db.inbox.receive(1, _update(1))  # forgotten: new again
    assert not await db.inbox.receive(2, _update(2))
