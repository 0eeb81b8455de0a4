"""The audit log: who did what, with ids and counts, never file contents.

Repositories write their own entries inside the transaction that made the change (so the log
and the data never disagree); the bot records the rest (refused admin commands) here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

import aiosqlite

from storage.access import DatabaseAccess
from storage.clock import from_text, to_text
from storage.models import AuditAction, AuditEntry, AuditValue

MAX_DETAIL_TEXT = 200  # long enough for a command name or an error code, too short for content


class AuditLog:
    """Append and read audit entries."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def record(
        self,
        actor_id: int | None,
        chat_id: int | None,
        action: AuditAction,
        details: Mapping[str, AuditValue] | None = None,
    ) -> None:
        """Append one entry. `details` holds scalars only (ids, counts, short codes)."""
        async with self._db.transaction() as conn:
            await write_entry(conn, self._db.now(), actor_id, chat_id, action, details)

    async def recent(self, limit: int = 50, *, chat_id: int | None = None) -> list[AuditEntry]:
        """The newest entries first, for every chat or for one."""
        where, params = ("WHERE chat_id = ?", [chat_id]) if chat_id is not None else ("", [])
        async with self._db.snapshot() as conn:
            rows = await conn.execute_fetchall(
                f"SELECT * FROM audit_log {where} ORDER BY id DESC LIMIT ?",  # noqa: S608
                [*params, limit],
            )
        return [_entry(row) for row in rows]


async def write_entry(
    conn: aiosqlite.Connection,
    at: datetime,
    actor_id: int | None,
    chat_id: int | None,
    action: AuditAction,
    details: Mapping[str, AuditValue] | None = None,
) -> None:
    """Insert one entry on a connection already inside a write transaction."""
    await conn.execute(
        "INSERT INTO audit_log (at, actor_id, chat_id, action, details) VALUES (?, ?, ?, ?, ?)",
        (to_text(at), actor_id, chat_id, AuditAction(action).value, _details_json(details)),
    )


def _details_json(details: Mapping[str, AuditValue] | None) -> str:
    checked: dict[str, AuditValue] = {}
    for key, value in (details or {}).items():
        if not (value is None or isinstance(value, int | float | bool | str)):
            raise TypeError(f"audit detail {key!r} must be a scalar, not {type(value).__name__}")
        if isinstance(value, str) and len(value) > MAX_DETAIL_TEXT:
            raise ValueError(f"audit detail {key!r} is too long: the log keeps ids and counts")
        checked[str(key)] = value
    return json.dumps(checked, sort_keys=True)


def _entry(row: aiosqlite.Row) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=from_text(row["at"]),
        actor_id=row["actor_id"],
        chat_id=row["chat_id"],
        action=AuditAction(row["action"]),
        details=json.loads(row["details"]),
    )
