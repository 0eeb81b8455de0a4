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
from storage.models import NO_LETTERS, AuditAction, Chat, ChatKind, ChatSettings
from storage.sql import fetch_all, fetch_one

MAX_DROP_LOWEST = 10
MAX_LETTERS_LENGTH = 400
SETTING_FIELDS = (
    "policy", "duplicates", "pass_mark", "out_of", "weights", "drop_lowest", "letters",
)  # fmt: skip


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
        weights: Mapping[int, float | None] | None = None,
        clear_weights: bool = False,
        drop_lowest: int | None = None,
        letters: str | None = None,
    ) -> ChatSettings:
        """Change the settings given, leave the others; return the result.

        `out_of` and `weights` are merged into those already given: a test mapped to None
        loses its maximum or weight (`clear_weights` drops every weight first). `letters` is a
        scale's spec or preset name; `NO_LETTERS` ("") chooses none. Merging happens inside one
        transaction, so two handlers never undo each other.
        """
        _check_settings(pass_mark, out_of)
        _check_grading(weights, drop_lowest, letters)
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
            weighed = {} if clear_weights else dict(old.weights)
            for test, weight in (weights or {}).items():
                if weight is None:
                    weighed.pop(int(test), None)
                else:
                    weighed[int(test)] = float(weight) + 0.0
            scale = old.letters if letters is None else (None if letters == NO_LETTERS else letters)
            new = ChatSettings(
                policy=old.policy if policy is None else policy,
                duplicates=old.duplicates if duplicates is None else duplicates,
                pass_mark=old.pass_mark if pass_mark is None else float(pass_mark),
                out_of=maxima,
                weights=weighed,
                drop_lowest=old.drop_lowest if drop_lowest is None else int(drop_lowest),
                letters=scale,
            )
            await conn.execute(
                """UPDATE chats SET policy = ?, duplicates = ?, pass_mark = ?, out_of = ?,
                       weights = ?, drop_lowest = ?, letters = ?
                   WHERE id = ?""",
                (
                    new.policy,
                    new.duplicates,
                    new.pass_mark,
                    out_of_json(maxima),
                    out_of_json(weighed),
                    new.drop_lowest,
                    new.letters,
                    chat_id,
                ),
            )
            changed = [f for f in SETTING_FIELDS if getattr(old, f) != getattr(new, f)]
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
            weights={int(test): float(w) for test, w in json.loads(row["weights"]).items()},
            drop_lowest=int(row["drop_lowest"]),
            letters=row["letters"],
        ),
    )


def out_of_json(maxima: Mapping[int, float]) -> str:
    """Maxima (or weights) as stored: JSON object keyed by test number, in test order."""
    return json.dumps({str(test): maxima[test] for test in sorted(maxima)})


def _check_settings(pass_mark: float | None, out_of: Mapping[int, float | None] | None) -> None:
    if pass_mark is not None and not (0.0 <= pass_mark <= 100.0):
        raise ValueError(f"the pass mark must be between 0 and 100, not {pass_mark}")
    for test, maximum in (out_of or {}).items():
        if int(test) < 1:
            raise ValueError(f"test numbers start at 1, not {test}")
        if maximum is not None and not (math.isfinite(maximum) and maximum > 0):
            raise ValueError(f"the maximum for test {test} must be a positive number")


def _check_grading(
    weights: Mapping[int, float | None] | None, drop_lowest: int | None, letters: str | None
) -> None:
    for test, weight in (weights or {}).items():
        if int(test) < 1:
            raise ValueError(f"test numbers start at 1, not {test}")
        if weight is not None and not (math.isfinite(weight) and weight >= 0):
            raise ValueError(f"the weight of test {test} must be a number from 0 up")
    if letters is not None and len(letters) > MAX_LETTERS_LENGTH:
        raise ValueError(f"a letter scale is at most {MAX_LETTERS_LENGTH} characters")
    if drop_lowest is not None and not 0 <= drop_lowest <= MAX_DROP_LOWEST:
        raise ValueError(f"drop the lowest 0 to {MAX_DROP_LOWEST} results, not {drop_lowest}")
