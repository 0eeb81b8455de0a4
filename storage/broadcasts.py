"""Broadcasts and their per-chat deliveries, kept so an interrupted one resumes without repeats.

Sending one message is: `claim` (pending -> sending, committed), send, `mark_delivery`.
A crash between the send and the mark leaves the delivery in SENDING; `settle_interrupted`
turns those into FAILED instead of sending again, because nothing can tell whether Telegram
delivered them. So each chat gets a broadcast at most once.
"""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

from storage.access import DatabaseAccess
from storage.audit import write_entry
from storage.chats import set_blocked
from storage.clock import from_text, optional_from_text, to_text
from storage.errors import UnknownChat
from storage.models import (
    AuditAction,
    Broadcast,
    BroadcastProgress,
    Delivery,
    DeliveryState,
)
from storage.sql import fetch_all, fetch_one, scalar

MAX_ERROR_TEXT = 500
INTERRUPTED = "interrupted while sending: delivery unknown, not sent again"
CANCELLED = "cancelled by an admin before it was sent"


class BroadcastRepository:
    """Create broadcasts, hand out their deliveries one claim at a time, record outcomes."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def create(self, admin_id: int, text: str, recipients: Sequence[int]) -> Broadcast:
        """Store the message and one pending delivery per recipient chat, in one transaction."""
        chat_ids = sorted(set(recipients))
        now = to_text(self._db.now())
        async with self._db.transaction() as conn:
            for chat_id in chat_ids:
                if await scalar(conn, "SELECT 1 FROM chats WHERE id = ?", (chat_id,)) is None:
                    raise UnknownChat(chat_id)
            rows = await fetch_all(
                conn,
                """INSERT INTO broadcasts (admin_id, text, created_at, finished_at)
                   VALUES (?, ?, ?, ?) RETURNING *""",
                (admin_id, text, now, None if chat_ids else now),
            )
            broadcast = broadcast_from_row(rows[0])
            await conn.executemany(
                """INSERT INTO deliveries (broadcast_id, chat_id, state, updated_at)
                   VALUES (?, ?, 'pending', ?)""",
                [(broadcast.id, chat_id, now) for chat_id in chat_ids],
            )
            await write_entry(
                conn,
                self._db.now(),
                admin_id,
                None,
                AuditAction.BROADCAST,
                {"broadcast_id": broadcast.id, "recipients": len(chat_ids)},
            )
        return broadcast

    async def pending_deliveries(self, broadcast_id: int) -> list[Delivery]:
        """Deliveries not yet attempted, in chat id order."""
        return await self._deliveries(broadcast_id, DeliveryState.PENDING)

    async def deliveries(self, broadcast_id: int) -> list[Delivery]:
        """Every delivery of the broadcast, in chat id order."""
        return await self._deliveries(broadcast_id, None)

    async def claim(self, broadcast_id: int, chat_id: int) -> bool:
        """Move a pending delivery to SENDING; False if it was not pending (someone has it)."""
        async with self._db.transaction() as conn:
            rows = await fetch_all(
                conn,
                """UPDATE deliveries SET state = 'sending', updated_at = ?
                   WHERE broadcast_id = ? AND chat_id = ? AND state = 'pending'
                   RETURNING chat_id""",
                (to_text(self._db.now()), broadcast_id, chat_id),
            )
        return bool(rows)

    async def mark_delivery(
        self, broadcast_id: int, chat_id: int, state: DeliveryState, error: str | None = None
    ) -> bool:
        """Record how a delivery ended (or PENDING to give a claim back); False if already final.

        BLOCKED also marks the chat as one the bot may no longer write to. The broadcast is
        finished once no delivery is pending or being sent.
        """
        state = DeliveryState(state)
        if state is DeliveryState.SENDING:
            raise ValueError("use claim() to start sending a delivery")
        async with self._db.transaction() as conn:
            rows = await fetch_all(
                conn,
                """UPDATE deliveries SET state = ?, error = ?, updated_at = ?
                   WHERE broadcast_id = ? AND chat_id = ? AND state IN ('pending', 'sending')
                   RETURNING chat_id""",
                (state.value, _clip(error), to_text(self._db.now()), broadcast_id, chat_id),
            )
            if rows and state is DeliveryState.BLOCKED:
                await set_blocked(conn, chat_id)
            await _finish_if_done(conn, broadcast_id, to_text(self._db.now()))
        return bool(rows)

    async def settle_interrupted(self) -> int:
        """At start-up: deliveries left in SENDING by a crash become FAILED. Returns how many."""
        now = to_text(self._db.now())
        async with self._db.transaction() as conn:
            rows = await fetch_all(
                conn,
                """UPDATE deliveries SET state = 'failed', error = ?, updated_at = ?
                   WHERE state = 'sending' RETURNING broadcast_id""",
                (INTERRUPTED, now),
            )
            for broadcast_id in {row["broadcast_id"] for row in rows}:
                await _finish_if_done(conn, broadcast_id, now)
        return len(rows)

    async def cancel(self, broadcast_id: int, reason: str = CANCELLED) -> int:
        """Fail every delivery still pending (sends under way finish); returns how many."""
        now = to_text(self._db.now())
        async with self._db.transaction() as conn:
            rows = await fetch_all(
                conn,
                """UPDATE deliveries SET state = 'failed', error = ?, updated_at = ?
                   WHERE broadcast_id = ? AND state = 'pending' RETURNING chat_id""",
                (_clip(reason), now, broadcast_id),
            )
            await _finish_if_done(conn, broadcast_id, now)
        return len(rows)

    async def unfinished(self) -> list[Broadcast]:
        """Broadcasts with deliveries still pending or sending, oldest first: resume these."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn, "SELECT * FROM broadcasts WHERE finished_at IS NULL ORDER BY id"
            )
        return [broadcast_from_row(row) for row in rows]

    async def progress(self, broadcast_id: int) -> BroadcastProgress | None:
        """The broadcast and its deliveries counted by state; None if there is no such one."""
        async with self._db.snapshot() as conn:
            return await broadcast_progress(conn, broadcast_id)

    async def latest(self) -> BroadcastProgress | None:
        """The newest broadcast's progress, or None if there was never one."""
        async with self._db.snapshot() as conn:
            newest = await scalar(conn, "SELECT max(id) FROM broadcasts")
            return None if newest is None else await broadcast_progress(conn, newest)

    async def _deliveries(self, broadcast_id: int, state: DeliveryState | None) -> list[Delivery]:
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                """SELECT * FROM deliveries WHERE broadcast_id = ? AND (? IS NULL OR state = ?)
                   ORDER BY chat_id""",
                (broadcast_id, *([None if state is None else state.value] * 2)),
            )
        return [_delivery(row) for row in rows]


async def broadcast_progress(
    conn: aiosqlite.Connection, broadcast_id: int
) -> BroadcastProgress | None:
    """Progress of one broadcast, read on a connection inside a transaction."""
    row = await fetch_one(conn, "SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
    if row is None:
        return None
    counts = await fetch_all(
        conn,
        "SELECT state, count(*) AS n FROM deliveries WHERE broadcast_id = ? GROUP BY state",
        (broadcast_id,),
    )
    return BroadcastProgress(
        broadcast_from_row(row), {DeliveryState(c["state"]): c["n"] for c in counts}
    )


async def _finish_if_done(conn: aiosqlite.Connection, broadcast_id: int, now: str) -> None:
    await conn.execute(
        """UPDATE broadcasts SET finished_at = ?
           WHERE id = ? AND finished_at IS NULL AND NOT EXISTS (
               SELECT 1 FROM deliveries
               WHERE broadcast_id = ? AND state IN ('pending', 'sending'))""",
        (now, broadcast_id, broadcast_id),
    )


def broadcast_from_row(row: aiosqlite.Row) -> Broadcast:
    """A `broadcasts` row as a Broadcast."""
    return Broadcast(
        id=row["id"],
        admin_id=row["admin_id"],
        text=row["text"],
        created_at=from_text(row["created_at"]),
        finished_at=optional_from_text(row["finished_at"]),
    )


def _delivery(row: aiosqlite.Row) -> Delivery:
    return Delivery(
        broadcast_id=row["broadcast_id"],
        chat_id=row["chat_id"],
        state=DeliveryState(row["state"]),
        error=row["error"],
        updated_at=from_text(row["updated_at"]),
    )


def _clip(error: str | None) -> str | None:
    return None if error is None else error[:MAX_ERROR_TEXT]
