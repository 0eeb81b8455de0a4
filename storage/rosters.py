"""A chat's class roster: the people a teacher says are in the class, one roster per chat.

A new roster replaces the old. What is kept is the people as read from the file (names, and
e-mails or ids), not the file's bytes: a compile takes them as they are. Every method takes the
chat id first and every query filters on it.
"""

from __future__ import annotations

import json

import aiosqlite

from storage.access import DatabaseAccess
from storage.audit import write_entry
from storage.clock import from_text, to_text
from storage.errors import UnknownChat
from storage.models import AuditAction, NewRoster, RosterEntry, RosterInfo, RosterKept, StoredRoster
from storage.sql import fetch_all, fetch_one, scalar

_INFO = "chat_id, file_name, people_count, with_contact, received_at, update_id"
_SELECT = f"SELECT {_INFO} FROM rosters WHERE chat_id = ?"  # noqa: S608  # column names only
_SELECT_WITH_PEOPLE = f"SELECT {_INFO}, people FROM rosters WHERE chat_id = ?"  # noqa: S608
_DELETE = f"DELETE FROM rosters WHERE chat_id = ? RETURNING {_INFO}"  # noqa: S608


class RosterRepository:
    """Keep, read and remove a chat's roster."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def replace(self, chat_id: int, new: NewRoster) -> RosterKept:
        """Keep `new` as the chat's roster, replacing any earlier one, in one transaction.

        Idempotent on the Telegram update: the same update a second time stores nothing and
        gives the roster it stored. The chat must have been recorded with `chats.touch` first.
        """
        people = [{"name": p.name, "email": p.email, "person_id": p.person_id} for p in new.people]
        with_contact = sum(1 for p in new.people if p.email or p.person_id)
        async with self._db.transaction() as conn:
            if await scalar(conn, "SELECT 1 FROM chats WHERE id = ?", (chat_id,)) is None:
                raise UnknownChat(chat_id)
            old = await _info(conn, chat_id)
            if old is not None and new.update_id is not None and old.update_id == new.update_id:
                return RosterKept(old, None)
            rows = await fetch_all(
                conn,
                f"""INSERT INTO rosters (chat_id, file_name, people, people_count, with_contact,
                                        sender_id, update_id, received_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (chat_id) DO UPDATE SET
                        file_name = excluded.file_name, people = excluded.people,
                        people_count = excluded.people_count,
                        with_contact = excluded.with_contact, sender_id = excluded.sender_id,
                        update_id = excluded.update_id, received_at = excluded.received_at
                    RETURNING {_INFO}""",  # noqa: S608  # column names only
                (
                    chat_id,
                    new.file_name,
                    json.dumps(people, ensure_ascii=False),
                    len(people),
                    with_contact,
                    new.sender_id,
                    new.update_id,
                    to_text(self._db.now()),
                ),
            )
            await write_entry(
                conn,
                self._db.now(),
                new.sender_id,
                chat_id,
                AuditAction.ROSTER,
                {"people": len(people), "replaced": old is not None},
            )
        return RosterKept(info_from_row(rows[0]), old)

    async def info(self, chat_id: int) -> RosterInfo | None:
        """The chat's roster without its people; None when it has none."""
        async with self._db.snapshot() as conn:
            return await _info(conn, chat_id)

    async def load(self, chat_id: int) -> StoredRoster | None:
        """The chat's roster with its people, in the file's order; None when it has none."""
        async with self._db.snapshot() as conn:
            row = await fetch_one(conn, _SELECT_WITH_PEOPLE, (chat_id,))
        if row is None:
            return None
        people = tuple(
            RosterEntry(p["name"], p.get("email"), p.get("person_id"))
            for p in json.loads(row["people"])
        )
        return StoredRoster(info_from_row(row), people)

    async def remove(self, chat_id: int, actor_id: int | None) -> RosterInfo | None:
        """Drop the chat's roster; the one dropped, or None when there was none."""
        async with self._db.transaction() as conn:
            row = await fetch_one(conn, _DELETE, (chat_id,))
            if row is not None:
                await write_entry(
                    conn,
                    self._db.now(),
                    actor_id,
                    chat_id,
                    AuditAction.ROSTER,
                    {"people": row["people_count"], "removed": True},
                )
        return None if row is None else info_from_row(row)


async def delete_chat_roster(conn: aiosqlite.Connection, chat_id: int) -> bool:
    """Delete the chat's roster inside a write transaction (a reset, an expiry); whether it had
    one."""
    row = await fetch_one(conn, "DELETE FROM rosters WHERE chat_id = ? RETURNING 1", (chat_id,))
    return row is not None


async def _info(conn: aiosqlite.Connection, chat_id: int) -> RosterInfo | None:
    row = await fetch_one(conn, _SELECT, (chat_id,))
    return None if row is None else info_from_row(row)


def info_from_row(row: aiosqlite.Row) -> RosterInfo:
    """A `rosters` row as a RosterInfo."""
    return RosterInfo(
        chat_id=row["chat_id"],
        file_name=row["file_name"],
        people=row["people_count"],
        with_contact=row["with_contact"],
        received_at=from_text(row["received_at"]),
        update_id=row["update_id"],
    )
