"""A chat's uploaded files: stored once, replaced per test number, never seen by another chat.

Every method takes the chat id and every query filters on it, so one chat's call cannot
reach another chat's files.
"""

from __future__ import annotations

import asyncio
import hashlib
import json

import aiosqlite

from storage.access import DatabaseAccess
from storage.audit import write_entry
from storage.clock import from_text, optional_from_text, to_text
from storage.errors import ChatStorageFull, DamagedUpload, FileTooBig, TooManyFiles, UnknownChat
from storage.models import (
    AddOutcome,
    AddStatus,
    AuditAction,
    ChatUsage,
    NewUpload,
    Removal,
    StorageLimits,
    StoredFile,
    Upload,
    UploadState,
)
from storage.sql import fetch_aggregate, fetch_all, fetch_one, scalar

HASH_IN_THREAD_BYTES = 256 * 1024  # above this, hashing would stall the event loop noticeably


class UploadRepository:
    """Add, list, load and remove one chat's files."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def add(self, chat_id: int, new: NewUpload) -> AddOutcome:
        """Store a file and its metadata in one transaction; say what was done.

        Idempotent: the same bytes, or the same Telegram update, a second time store nothing
        (ALREADY_STORED). New bytes for a test number that is taken replace the file there,
        which is kept as history. Refusals (`FileTooBig`, `TooManyFiles`, `ChatStorageFull`)
        store nothing. The chat must have been recorded with `chats.touch` first.
        """
        limits = self._db.limits
        size = len(new.data)
        if size > limits.max_file_bytes:
            raise FileTooBig(size, limits.max_file_bytes)
        if new.test_number < 1:
            raise ValueError(f"test numbers start at 1, not {new.test_number}")
        sha256 = await _sha256(new.data)
        summary = json.dumps(new.summary, sort_keys=True)
        now = to_text(self._db.now())
        async with self._db.transaction() as conn:
            if await scalar(conn, "SELECT 1 FROM chats WHERE id = ?", (chat_id,)) is None:
                raise UnknownChat(chat_id)
            known = await _already_stored(conn, chat_id, new.update_id, sha256)
            if known is not None:
                return AddOutcome(AddStatus.ALREADY_STORED, known)
            # The same bytes kept as history: the new copy supersedes that row.
            await conn.execute(
                "DELETE FROM uploads WHERE chat_id = ? AND sha256 = ? AND state = 'replaced'",
                (chat_id, sha256),
            )
            old = await _active_for_test(conn, chat_id, new.test_number)
            await _check_room(conn, chat_id, size, replacing=old is not None, limits=limits)
            if old is not None:
                await conn.execute(
                    """UPDATE uploads SET state = 'replaced', replaced_at = ?
                       WHERE id = ? AND chat_id = ?""",
                    (now, old.id, chat_id),
                )
            upload = await _insert(conn, chat_id, new, size, sha256, summary, now)
            await write_entry(
                conn,
                upload.received_at,
                new.sender_id,
                chat_id,
                AuditAction.UPLOAD if old is None else AuditAction.REPLACE,
                {"upload_id": upload.id, "test": upload.test_number, "size": size}
                | ({} if old is None else {"replaced_id": old.id}),
            )
        status = AddStatus.STORED if old is None else AddStatus.REPLACED
        return AddOutcome(status, upload, old)

    async def active(self, chat_id: int) -> list[Upload]:
        """The chat's session: one file per test number, in test order, without bytes."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_COLUMNS} FROM uploads u WHERE chat_id = ? AND state = 'active' "  # noqa: S608
                "ORDER BY test_number",
                (chat_id,),
            )
        return [upload_from_row(row) for row in rows]

    async def history(self, chat_id: int) -> list[Upload]:
        """Files of the chat that newer ones replaced, newest first, without bytes."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_COLUMNS} FROM uploads u WHERE chat_id = ? AND state = 'replaced' "  # noqa: S608
                "ORDER BY replaced_at DESC, id DESC",
                (chat_id,),
            )
        return [upload_from_row(row) for row in rows]

    async def get(self, chat_id: int, upload_id: int) -> Upload | None:
        """One of the chat's uploads by id; None if it is not this chat's."""
        async with self._db.snapshot() as conn:
            row = await fetch_one(
                conn,
                f"SELECT {_COLUMNS} FROM uploads u WHERE chat_id = ? AND id = ?",  # noqa: S608
                (chat_id, upload_id),
            )
        return None if row is None else upload_from_row(row)

    async def find_by_file_unique_id(self, chat_id: int, file_unique_id: str) -> Upload | None:
        """The chat's active upload of this Telegram file, so the bot can skip downloading it."""
        async with self._db.snapshot() as conn:
            row = await fetch_one(
                conn,
                f"SELECT {_COLUMNS} FROM uploads u "  # noqa: S608
                "WHERE chat_id = ? AND file_unique_id = ? AND state = 'active' LIMIT 1",
                (chat_id, file_unique_id),
            )
        return None if row is None else upload_from_row(row)

    async def load_files(self, chat_id: int) -> list[StoredFile]:
        """The session's files with their bytes, in test order, each checked against its sha-256."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_COLUMNS}, b.data FROM uploads u "  # noqa: S608
                "JOIN upload_bytes b ON b.upload_id = u.id "
                "WHERE u.chat_id = ? AND u.state = 'active' ORDER BY u.test_number",
                (chat_id,),
            )
        files = [StoredFile(upload_from_row(row), bytes(row["data"])) for row in rows]
        for stored in files:
            if await _sha256(stored.data) != stored.upload.sha256:
                raise DamagedUpload(stored.upload.id, stored.upload.file_name)
        return files

    async def usage(self, chat_id: int) -> ChatUsage:
        """How many files and bytes the chat holds."""
        async with self._db.snapshot() as conn:
            return await _usage(conn, chat_id)

    async def remove_test(self, chat_id: int, test_number: int, actor_id: int | None) -> Removal:
        """Delete the chat's file for a test and the history behind it; bytes leave the file."""
        async with self._db.transaction() as conn:
            rows = await fetch_all(
                conn,
                "DELETE FROM uploads WHERE chat_id = ? AND test_number = ? RETURNING id, size",
                (chat_id, test_number),
            )
            removal = Removal(uploads=len(rows), bytes=sum(row["size"] for row in rows))
            if rows:
                await write_entry(
                    conn,
                    self._db.now(),
                    actor_id,
                    chat_id,
                    AuditAction.REMOVE,
                    {"test": test_number, "uploads": removal.uploads, "bytes": removal.bytes},
                )
        if rows:
            await self._db.reclaim_space()
        return removal


_COLUMNS = (
    "u.id, u.chat_id, u.state, u.test_number, u.test_how, u.file_name, u.size, u.sha256, "
    "u.file_unique_id, u.update_id, u.sender_id, u.received_at, u.replaced_at, u.summary"
)


def upload_from_row(row: aiosqlite.Row) -> Upload:
    """An `uploads` row as an Upload."""
    return Upload(
        id=row["id"],
        chat_id=row["chat_id"],
        state=UploadState(row["state"]),
        test_number=row["test_number"],
        test_how=row["test_how"],
        file_name=row["file_name"],
        size=row["size"],
        sha256=row["sha256"],
        file_unique_id=row["file_unique_id"],
        update_id=row["update_id"],
        sender_id=row["sender_id"],
        received_at=from_text(row["received_at"]),
        replaced_at=optional_from_text(row["replaced_at"]),
        summary=json.loads(row["summary"]),
    )


async def _sha256(data: bytes) -> str:
    if len(data) > HASH_IN_THREAD_BYTES:
        return await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
    return hashlib.sha256(data).hexdigest()


async def _already_stored(
    conn: aiosqlite.Connection, chat_id: int, update_id: int | None, sha256: str
) -> Upload | None:
    """The upload this update already made, or the active one with these bytes."""
    row = None
    if update_id is not None:
        row = await fetch_one(
            conn,
            f"SELECT {_COLUMNS} FROM uploads u WHERE chat_id = ? AND update_id = ?",  # noqa: S608
            (chat_id, update_id),
        )
    if row is None:
        row = await fetch_one(
            conn,
            f"SELECT {_COLUMNS} FROM uploads u "  # noqa: S608
            "WHERE chat_id = ? AND sha256 = ? AND state = 'active'",
            (chat_id, sha256),
        )
    return None if row is None else upload_from_row(row)


async def _active_for_test(conn: aiosqlite.Connection, chat_id: int, test: int) -> Upload | None:
    row = await fetch_one(
        conn,
        f"SELECT {_COLUMNS} FROM uploads u "  # noqa: S608
        "WHERE chat_id = ? AND test_number = ? AND state = 'active'",
        (chat_id, test),
    )
    return None if row is None else upload_from_row(row)


async def _usage(conn: aiosqlite.Connection, chat_id: int) -> ChatUsage:
    row = await fetch_aggregate(
        conn,
        """SELECT count(*) FILTER (WHERE state = 'active'),
                  coalesce(sum(size) FILTER (WHERE state = 'active'), 0),
                  count(*) FILTER (WHERE state = 'replaced'),
                  coalesce(sum(size) FILTER (WHERE state = 'replaced'), 0)
           FROM uploads WHERE chat_id = ?""",
        (chat_id,),
    )
    return ChatUsage(files=row[0], active_bytes=row[1], history_files=row[2], history_bytes=row[3])


async def _check_room(
    conn: aiosqlite.Connection, chat_id: int, size: int, *, replacing: bool, limits: StorageLimits
) -> None:
    usage = await _usage(conn, chat_id)
    if not replacing and usage.files + 1 > limits.max_files_per_chat:
        raise TooManyFiles(usage.files, limits.max_files_per_chat)
    if usage.total_bytes + size > limits.max_bytes_per_chat:
        raise ChatStorageFull(
            usage.total_bytes, usage.history_bytes, size, limits.max_bytes_per_chat
        )


async def _insert(
    conn: aiosqlite.Connection,
    chat_id: int,
    new: NewUpload,
    size: int,
    sha256: str,
    summary: str,
    now: str,
) -> Upload:
    rows = await fetch_all(
        conn,
        """INSERT INTO uploads (chat_id, state, test_number, test_how, file_name, size, sha256,
                               file_unique_id, update_id, sender_id, received_at, summary)
           VALUES (?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           RETURNING *""",
        (
            chat_id,
            new.test_number,
            new.test_how,
            new.file_name,
            size,
            sha256,
            new.file_unique_id,
            new.update_id,
            new.sender_id,
            now,
            summary,
        ),
    )
    upload = upload_from_row(rows[0])
    await conn.execute(
        "INSERT INTO upload_bytes (upload_id, data) VALUES (?, ?)", (upload.id, new.data)
    )
    return upload
