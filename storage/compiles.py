"""The history of compiles: what `/status` shows a chat and what admins' statistics count."""

from __future__ import annotations

import json

import aiosqlite

from storage.access import DatabaseAccess
from storage.audit import write_entry
from storage.clock import from_text, to_text
from storage.errors import UnknownChat
from storage.models import AuditAction, CompileRecord, NewCompile
from storage.sql import fetch_all, scalar


class CompileRepository:
    """Record finished compiles and read a chat's recent ones."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def record(self, chat_id: int, actor_id: int | None, done: NewCompile) -> CompileRecord:
        """Keep one compile. Its uploads must be this chat's (they may since have been deleted)."""
        if done.duration_seconds < 0:
            raise ValueError("a compile cannot take negative time")
        async with self._db.transaction() as conn:
            if await scalar(conn, "SELECT 1 FROM chats WHERE id = ?", (chat_id,)) is None:
                raise UnknownChat(chat_id)
            await _check_uploads_belong(conn, chat_id, done.upload_ids)
            rows = await fetch_all(
                conn,
                """INSERT INTO compiles (chat_id, actor_id, started_at, upload_ids,
                       duration_seconds, participants, passed, failed, output_sha256, digest)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *""",
                (
                    chat_id,
                    actor_id,
                    to_text(done.started_at),
                    json.dumps(list(done.upload_ids)),
                    done.duration_seconds,
                    done.participants,
                    done.passed,
                    done.failed,
                    done.output_sha256,
                    None if done.digest is None else json.dumps(done.digest, sort_keys=True),
                ),
            )
            record = compile_from_row(rows[0])
            await write_entry(
                conn,
                self._db.now(),
                actor_id,
                chat_id,
                AuditAction.COMPILE,
                {
                    "compile_id": record.id,
                    "files": len(record.upload_ids),
                    "participants": record.participants,
                },
            )
        return record

    async def recent(self, chat_id: int, limit: int = 5) -> list[CompileRecord]:
        """The chat's newest compiles first."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                "SELECT * FROM compiles WHERE chat_id = ? "
                "ORDER BY started_at DESC, id DESC LIMIT ?",
                (chat_id, limit),
            )
        return [compile_from_row(row) for row in rows]


async def _check_uploads_belong(
    conn: aiosqlite.Connection, chat_id: int, upload_ids: tuple[int, ...]
) -> None:
    """Refuse ids of another chat's files. Ids no longer stored (reset meanwhile) are fine:
    upload ids are never reused, so they can only have been this chat's."""
    wanted = sorted(set(upload_ids))
    if not wanted:
        return
    marks = ", ".join("?" * len(wanted))
    foreign = await fetch_all(
        conn,
        f"SELECT id FROM uploads WHERE chat_id != ? AND id IN ({marks})",  # noqa: S608
        (chat_id, *wanted),
    )
    if foreign:
        raise ValueError(f"uploads {[row['id'] for row in foreign]} are not chat {chat_id}'s")


def compile_from_row(row: aiosqlite.Row) -> CompileRecord:
    """A `compiles` row as a CompileRecord."""
    return CompileRecord(
        id=row["id"],
        chat_id=row["chat_id"],
        actor_id=row["actor_id"],
        started_at=from_text(row["started_at"]),
        upload_ids=tuple(json.loads(row["upload_ids"])),
        duration_seconds=float(row["duration_seconds"]),
        participants=row["participants"],
        passed=row["passed"],
        failed=row["failed"],
        output_sha256=row["output_sha256"],
        digest=None if row["digest"] is None else json.loads(row["digest"]),
    )
