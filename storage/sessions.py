"""A chat's session is its files and the maxima given for them. Reset ends it; so does idleness.

Both delete the files (history included), the per-test maxima and weights, which belong to
those files, the class roster and the answers about who is who (they name the class's people);
the chat itself, its other settings and its compile history stay. Freed pages are then handed
back to the file system, so the deleted bytes are gone from the database file.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import aiosqlite

from storage.access import DatabaseAccess
from storage.audit import write_entry
from storage.clock import to_text
from storage.models import AuditAction, PurgeResult, Removal
from storage.people import delete_chat_people
from storage.rosters import delete_chat_roster
from storage.sql import fetch_all


class SessionRepository:
    """End sessions: at a person's request, or when idle too long."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def reset(self, chat_id: int, actor_id: int | None) -> Removal:
        """Delete the chat's files, maxima, weights, roster and answers about people now, and
        put every grading setting back to its default (policy, repeated submissions, pass
        mark, drop, letters); return what was deleted. Past compiles stay, for /stats."""
        async with self._db.transaction() as conn:
            removal = await _end_session(conn, chat_id)
            await conn.execute(
                """UPDATE chats SET policy = 'classic', duplicates = 'best', pass_mark = 50.0,
                       drop_lowest = 0, letters = NULL
                   WHERE id = ?""",
                (chat_id,),
            )
            await write_entry(
                conn,
                self._db.now(),
                actor_id,
                chat_id,
                AuditAction.RESET,
                {
                    "uploads": removal.uploads,
                    "bytes": removal.bytes,
                    "decisions": removal.decisions,
                    "roster": removal.roster,
                },
            )
        if removal.uploads or removal.roster:
            await self._db.reclaim_space()
        return removal

    async def purge_expired(self, now: datetime, ttl_days: float) -> PurgeResult:
        """End every session whose chat has not been seen for more than `ttl_days`.

        Run daily by the bot and by `python -m storage purge`. Only chats that still hold
        files, maxima, weights, a roster or questions about people are touched, so running it
        twice deletes nothing more.
        """
        if ttl_days <= 0:
            raise ValueError(f"the session lifetime must be positive, not {ttl_days} days")
        cutoff = to_text(now - timedelta(days=ttl_days))
        chats = uploads = size = 0
        async with self._db.transaction() as conn:
            idle = await fetch_all(
                conn,
                """SELECT id FROM chats
                   WHERE last_seen < ?
                     AND (out_of != '{}' OR weights != '{}'
                          OR EXISTS (SELECT 1 FROM uploads WHERE chat_id = chats.id)
                          OR EXISTS (SELECT 1 FROM rosters WHERE chat_id = chats.id)
                          OR EXISTS (SELECT 1 FROM people_questions WHERE chat_id = chats.id))
                   ORDER BY id""",
                (cutoff,),
            )
            for row in idle:
                removal = await _end_session(conn, row["id"])
                await write_entry(
                    conn,
                    now,
                    None,
                    row["id"],
                    AuditAction.EXPIRE,
                    {"uploads": removal.uploads, "bytes": removal.bytes},
                )
                chats, uploads, size = chats + 1, uploads + removal.uploads, size + removal.bytes
        if uploads:
            await self._db.reclaim_space()
        return PurgeResult(chats=chats, uploads=uploads, bytes=size)


async def _end_session(conn: aiosqlite.Connection, chat_id: int) -> Removal:
    rows = await fetch_all(conn, "DELETE FROM uploads WHERE chat_id = ? RETURNING size", (chat_id,))
    await conn.execute("UPDATE chats SET out_of = '{}', weights = '{}' WHERE id = ?", (chat_id,))
    decisions = await delete_chat_people(conn, chat_id)
    roster = await delete_chat_roster(conn, chat_id)
    return Removal(
        uploads=len(rows),
        bytes=sum(row["size"] for row in rows),
        decisions=decisions,
        roster=roster,
    )
