"""Chats the bot has seen, whether it may still write there, and their compile settings."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping

import aiosqlite

from storage.access import DatabaseAccess
from storage.audit import write_entry
from storage.clock import from_text, to_text
from storage.errors import UnknownChat
from storage.models import AuditAction, Chat, ChatKind, ChatSettings
from storage.sql import fetch_all, fetch_one


class ChatRepository:
    """Record chats as they are seen; read and change their settings."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def touch(self, chat_id: int, kind: ChatKind | str, title: str | None = None) -> Chat:
        """Record that the chat was seen now: create it, or refresh kind, title and last seen.

        A chat that writes to the bot can be written to again, so this also clears a block.
        Last seen is what session expiry measures idleness from.
        """
        now = to_text(self._db.now())
        async with self._db.transaction() as conn:
            rows = await fetch_all(
                conn,
                """INSERT INTO chats (id, kind, title, first_seen, last_seen)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET
                       kind = excluded.kind, title = excluded.title,
                       last_seen = excluded.last_seen, can_write = 1
                   RETURNING *""",
                (chat_id, ChatKind(kind).value, title, now, now),
            )
        return chat_from_row(rows[0])

    async def get(self, chat_id: int) -> Chat | None:
        """The chat, or None if it was never seen."""
        async with self._db.snapshot() as conn:
            row = await fetch_one(conn, "SELECT * FROM chats WHERE id = ?", (chat_id,))
        return None if row is None else chat_from_row(row)

    async def get_settings(self, chat_id: int) -> ChatSettings:
        """The chat's settings; the defaults for a chat never seen."""
        chat = await self.get(chat_id)
        return ChatSettings() if chat is None else chat.settings

    async def update_settings(
        self,
        chat_id: int,
        actor_id: int | None,
        *,
        policy: str | None = None,
        duplicates: str | None = None,
        pass_mark: float | None = None,
        out_of: Mapping[int, float | None] | None = None,
    ) -> ChatSettings:
        """Change the settings given, leave the others; return the result.

        `out_of` is merged into the maxima already given: a test mapped to None loses its
        maximum. Merging happens inside one transaction, so two handlers never undo each other.
        """
        _check_settings(pass_mark, out_of)
        async with self._db.transaction() as conn:
            row = await fetch_one(conn, "SELECT * FROM chats WHERE id = ?", (chat_id,))
            if row is None:
                raise UnknownChat(chat_id)
            old = chat_from_row(row).settings
            maxima = dict(old.out_of)
            for test, maximum in (out_of or {}).items():
                if maximum is None:
                    maxima.pop(int(test), None)
                else:
                    maxima[int(test)] = float(maximum)
            new = ChatSettings(
                policy=old.policy if policy is None else policy,
                duplicates=old.duplicates if duplicates is None else duplicates,
                pass_mark=old.pass_mark if pass_mark is None else float(pass_mark),
                out_of=maxima,
            )
            await conn.execute(
                """UPDATE chats SET policy = ?, duplicates = ?, pass_mark = ?, out_of = ?
                   WHERE id = ?""",
                (new.policy, new.duplicates, new.pass_mark, out_of_json(maxima), chat_id),
            )
            changed = [
                f
                for f in ("policy", "duplicates", "pass_mark", "out_of")
                if getattr(old, f) != getattr(new, f)
            ]
            await write_entry(
                conn,
                self._db.now(),
                actor_id,
                chat_id,
                AuditAction.SETTINGS,
                {"changed": ",".join(changed), "maxima": len(maxima)},
            )
        return new

    async def mark_blocked(self, chat_id: int) -> None:
        """Note that the bot may no longer write to the chat (blocked, kicked). Keeps its data."""
        async with self._db.transaction() as conn:
            await set_blocked(conn, chat_id)

    async def writable_ids(self) -> list[int]:
        """Ids of every chat the bot may still write to, in id order (broadcast recipients)."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(conn, "SELECT id FROM chats WHERE can_write = 1 ORDER BY id")
        return [row["id"] for row in rows]


async def set_blocked(conn: aiosqlite.Connection, chat_id: int) -> None:
    """Mark a chat unwritable, on a connection inside a write transaction."""
    await conn.execute("UPDATE chats SET can_write = 0 WHERE id = ?", (chat_id,))


def chat_from_row(row: aiosqlite.Row) -> Chat:
    """A `chats` row as a Chat."""
    return Chat(
        id=row["id"],
        kind=ChatKind(row["kind"]),
        title=row["title"],
        first_seen=from_text(row["first_seen"]),
        last_seen=from_text(row["last_seen"]),
        can_write=bool(row["can_write"]),
        settings=ChatSettings(
            policy=row["policy"],
            duplicates=row["duplicates"],
            pass_mark=float(row["pass_mark"]),
            out_of={int(test): float(m) for test, m in json.loads(row["out_of"]).items()},
        ),
    )


def out_of_json(maxima: Mapping[int, float]) -> str:
    """Maxima as stored: JSON object keyed by test number, in test order."""
    return json.dumps({str(test): maxima[test] for test in sorted(maxima)})


def _check_settings(pass_mark: float | None, out_of: Mapping[int, float | None] | None) -> None:
    if pass_mark is not None and not (0.0 <= pass_mark <= 100.0):
        raise ValueError(f"the pass mark must be between 0 and 100, not {pass_mark}")
    for test, maximum in (out_of or {}).items():
        if int(test) < 1:
            raise ValueError(f"test numbers start at 1, not {test}")
        if maximum is not None and not (math.isfinite(maximum) and maximum > 0):
            raise ValueError(f"the maximum for test {test} must be a positive number")
