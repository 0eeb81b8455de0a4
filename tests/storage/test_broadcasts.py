"""broadcasts: every chat gets a broadcast at most once, even across a crash."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from storage import AuditAction, Database, DeliveryState, UnknownChat
from tests.storage.factories import FakeClock, seen_chat

ADMIN = 99
CHATS = list(range(6001, 6011))


class Crash(Exception):
    """The process died: nothing after this point ran."""


async def send_pending(
    db: Database, broadcast_id: int, inbox: Counter[int], crash_after_sends: int | None = None
) -> None:
    """The bot's sending loop: claim, send, record. Can 'die' right after a send."""
    for delivery in await db.broadcasts.pending_deliveries(broadcast_id):
        if not await db.broadcasts.claim(broadcast_id, delivery.chat_id):
            continue
        if delivery.chat_id == CHATS[3]:
            await db.broadcasts.mark_delivery(
                broadcast_id, delivery.chat_id, DeliveryState.BLOCKED, "Forbidden: bot was blocked"
            )
            continue
        inbox[delivery.chat_id] += 1
        if crash_after_sends is not None and sum(inbox.values()) == crash_after_sends:
            raise Crash
        await db.broadcasts.mark_delivery(broadcast_id, delivery.chat_id, DeliveryState.SENT)


async def test_an_interrupted_broadcast_resumes_without_sending_twice(
    db_path: Path, clock: FakeClock
) -> None:
    inbox: Counter[int] = Counter()
    db = await Database.open(db_path, clock=clock)
    for chat_id in CHATS:
        await seen_chat(db, chat_id)
    broadcast = await db.broadcasts.create(ADMIN, "Maintenance tonight at 22:00", CHATS)
    with pytest.raises(Crash):
        await send_pending(db, broadcast.id, inbox, crash_after_sends=5)
    await db.close()

    restarted = await Database.open(db_path, clock=clock)
    try:
        assert await restarted.broadcasts.settle_interrupted() == 1
        assert [b.id for b in await restarted.broadcasts.unfinished()] == [broadcast.id]
        for unfinished in await restarted.broadcasts.unfinished():
            await send_pending(restarted, unfinished.id, inbox)
        progress = await restarted.broadcasts.progress(broadcast.id)
        deliveries = {d.chat_id: d for d in await restarted.broadcasts.deliveries(broadcast.id)}
        blocked = await restarted.chats.get(CHATS[3])
        unfinished_after = await restarted.broadcasts.unfinished()
    finally:
        await restarted.close()

    assert max(inbox.values()) == 1
    assert set(inbox) == set(CHATS) - {CHATS[3]}
    assert progress is not None and progress.broadcast.finished_at == clock()
    assert (progress.count(DeliveryState.SENT), progress.count(DeliveryState.FAILED)) == (8, 1)
    assert progress.count(DeliveryState.BLOCKED) == 1 and progress.total == 10
    [interrupted] = [d for d in deliveries.values() if d.state is DeliveryState.FAILED]
    assert interrupted.error is not None and "not sent again" in interrupted.error
    assert blocked is not None and blocked.can_write is False
    assert unfinished_after == []


async def test_a_delivery_is_claimed_once_and_a_final_state_never_changes(
    db: Database,
) -> None:
    for chat_id in CHATS[:2]:
        await seen_chat(db, chat_id)
    broadcast = await db.broadcasts.create(ADMIN, "Hello", CHATS[:2] + CHATS[:1])

    assert await db.broadcasts.claim(broadcast.id, CHATS[0]) is True
    assert await db.broadcasts.claim(broadcast.id, CHATS[0]) is False
    assert await db.broadcasts.mark_delivery(broadcast.id, CHATS[0], DeliveryState.SENT)
    assert not await db.broadcasts.mark_delivery(broadcast.id, CHATS[0], DeliveryState.FAILED)
    assert [d.chat_id for d in await db.broadcasts.pending_deliveries(broadcast.id)] == [CHATS[1]]
    # A claim can be given back (a send that never left, e.g. a flood wait to retry later).
    assert await db.broadcasts.claim(broadcast.id, CHATS[1])
    assert await db.broadcasts.mark_delivery(broadcast.id, CHATS[1], DeliveryState.PENDING)
    assert await db.broadcasts.claim(broadcast.id, CHATS[1])
    with pytest.raises(ValueError, match="claim"):
        await db.broadcasts.mark_delivery(broadcast.id, CHATS[1], DeliveryState.SENDING)


async def test_create_stores_recipients_and_audits(db: Database) -> None:
    for chat_id in CHATS[:3]:
        await seen_chat(db, chat_id)

    broadcast = await db.broadcasts.create(ADMIN, "New policy available", CHATS[:3])

    assert (broadcast.admin_id, broadcast.text, broadcast.finished_at) == (
        ADMIN,
        "New policy available",
        None,
    )
    latest = await db.broadcasts.latest()
    assert latest is not None and latest.broadcast == broadcast
    assert latest.counts == {DeliveryState.PENDING: 3}
    [entry] = await db.audit.recent(1)
    assert (entry.action, entry.actor_id) == (AuditAction.BROADCAST, ADMIN)
    assert entry.details == {"broadcast_id": broadcast.id, "recipients": 3}
    empty = await db.broadcasts.create(ADMIN, "Nobody", [])
    assert empty.finished_at is not None


async def test_recipients_must_be_known_chats_and_long_errors_are_clipped(db: Database) -> None:
    with pytest.raises(UnknownChat):
        await db.broadcasts.create(ADMIN, "Hi", [123])
    assert await db.broadcasts.latest() is None
    await seen_chat(db, CHATS[0])
    broadcast = await db.broadcasts.create(ADMIN, "Hi", [CHATS[0]])
    await db.broadcasts.mark_delivery(broadcast.id, CHATS[0], DeliveryState.FAILED, "x" * 2000)
    [delivery] = await db.broadcasts.deliveries(broadcast.id)
    assert delivery.error is not None and len(delivery.error) == 500
    assert await db.broadcasts.progress(broadcast.id + 1) is None


async def test_cancel_fails_only_pending_deliveries_and_finishes_the_broadcast(
    db: Database,
) -> None:
    for chat in CHATS[:4]:
        await seen_chat(db, chat)
    broadcast = await db.broadcasts.create(ADMIN, "hello", CHATS[:4])
    await db.broadcasts.claim(broadcast.id, CHATS[0])
    await db.broadcasts.mark_delivery(broadcast.id, CHATS[0], DeliveryState.SENT)
    await db.broadcasts.claim(broadcast.id, CHATS[1])  # being sent right now

    assert await db.broadcasts.cancel(broadcast.id) == 2
    states = {d.chat_id: d.state for d in await db.broadcasts.deliveries(broadcast.id)}
    assert states == {
        CHATS[0]: DeliveryState.SENT,
        CHATS[1]: DeliveryState.SENDING,
        CHATS[2]: DeliveryState.FAILED,
        CHATS[3]: DeliveryState.FAILED,
    }
    assert not await db.broadcasts.pending_deliveries(broadcast.id)
    await db.broadcasts.mark_delivery(broadcast.id, CHATS[1], DeliveryState.SENT)
    assert [b.id for b in await db.broadcasts.unfinished()] == []
