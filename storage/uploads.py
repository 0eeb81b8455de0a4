"""A chat's uploaded files: stored once, replaced per test number, never seen by another chat.

Every method takes the chat id and every query filters on it, so one chat's call cannot
reach another chat's files.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Sequence

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
    UploadTest,
)
from storage.sql import fetch_aggregate, fetch_all, scalar

HASH_IN_THREAD_BYTES = 256 * 1024  # above this, hashing would stall the event loop noticeably


class UploadRepository:
    """Add, list, load and remove one chat's files."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def add(self, chat_id: int, new: NewUpload) -> AddOutcome:
        """Store a file, its tests and its metadata in one transaction; say what was done.

        Idempotent: the same bytes, or the same Telegram update, a second time store nothing
        (ALREADY_STORED). A test number that is taken passes to the new file: the older file
        keeps its other tests, and a file left with none is kept as history. Refusals
        (`FileTooBig`, `TooManyFiles`, `ChatStorageFull`) store nothing. The chat must have
        been recorded with `chats.touch` first.
        """
        limits = self._db.limits
        size = len(new.data)
        if size > limits.max_file_bytes:
            raise FileTooBig(size, limits.max_file_bytes)
        numbers = [test.number for test in new.tests]
        if not numbers or min(numbers) < 1 or len(set(numbers)) != len(numbers):
            raise ValueError(f"test numbers start at 1 and differ within a file, not {numbers}")
        sha256 = await _sha256(new.data)
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
            taken = await _holders(conn, chat_id, numbers)
            emptied = await _emptied_by(conn, chat_id, taken)
            await _check_room(conn, chat_id, size, freed_files=len(emptied), limits=limits)
            # The file that held the first test taken over, as it was (for the answer).
            holder = next(iter(taken.values()), None)
            older = None if holder is None else await _upload(conn, chat_id, holder)
            await _take_over(conn, chat_id, sorted(taken), emptied, now)
            upload = await _insert(conn, chat_id, new, size, sha256, now)
            await write_entry(
                conn,
                upload.received_at,
                new.sender_id,
                chat_id,
                AuditAction.REPLACE if taken else AuditAction.UPLOAD,
                {"upload_id": upload.id, "tests": len(numbers), "size": size}
                | ({"replaced_tests": len(taken)} if taken else {}),
            )
        if not taken:
            return AddOutcome(AddStatus.STORED, upload)
        return AddOutcome(AddStatus.REPLACED, upload, older, tuple(sorted(taken)))

    async def active(self, chat_id: int) -> list[Upload]:
        """The chat's session: one file per test number, in test order, without bytes."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_COLUMNS} FROM uploads u WHERE chat_id = ? AND state = 'active'",  # noqa: S608
                (chat_id,),
            )
            uploads = await _with_tests(conn, chat_id, rows)
        return sorted(uploads, key=lambda upload: upload.test_number)

    async def history(self, chat_id: int) -> list[Upload]:
        """Files of the chat that newer ones replaced, newest first, without bytes."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_COLUMNS} FROM uploads u WHERE chat_id = ? AND state = 'replaced' "  # noqa: S608
                "ORDER BY replaced_at DESC, id DESC",
                (chat_id,),
            )
            return await _with_tests(conn, chat_id, rows)

    async def get(self, chat_id: int, upload_id: int) -> Upload | None:
        """One of the chat's uploads by id; None if it is not this chat's."""
        async with self._db.snapshot() as conn:
            return await _upload(conn, chat_id, upload_id)

    async def find_by_file_unique_id(self, chat_id: int, file_unique_id: str) -> Upload | None:
        """The chat's active upload of this Telegram file, so the bot can skip downloading it."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_COLUMNS} FROM uploads u "  # noqa: S608
                "WHERE chat_id = ? AND file_unique_id = ? AND state = 'active' LIMIT 1",
                (chat_id, file_unique_id),
            )
            found = await _with_tests(conn, chat_id, rows)
        return found[0] if found else None

    async def load_files(self, chat_id: int) -> list[StoredFile]:
        """The session's files with their bytes, in test order, each checked against its sha-256."""
        async with self._db.snapshot() as conn:
            rows = await fetch_all(
                conn,
                f"SELECT {_COLUMNS}, b.data FROM uploads u "  # noqa: S608
                "JOIN upload_bytes b ON b.upload_id = u.id "
                "WHERE u.chat_id = ? AND u.state = 'active'",
                (chat_id,),
            )
            uploads = await _with_tests(conn, chat_id, rows)
        files = sorted(
            (
                StoredFile(upload, bytes(row["data"]))
                for upload, row in zip(uploads, rows, strict=True)
            ),
            key=lambda stored: stored.upload.test_number,
        )
        for stored in files:
            if await _sha256(stored.data) != stored.upload.sha256:
                raise DamagedUpload(stored.upload.id, stored.upload.file_name)
        return files

    async def usage(self, chat_id: int) -> ChatUsage:
        """How many files and bytes the chat holds."""
        async with self._db.snapshot() as conn:
            return await _usage(conn, chat_id)

    async def remove_test(self, chat_id: int, test_number: int, actor_id: int | None) -> Removal:
        """Drop a test from the chat, and from the files kept as history. A file left with no
        test is deleted (its bytes leave the file); a gradebook keeps its other tests."""
        async with self._db.transaction() as conn:
            holders = await fetch_all(
                conn,
                "DELETE FROM upload_tests WHERE chat_id = ? AND number = ? RETURNING upload_id",
                (chat_id, test_number),
            )
            ids = sorted({row["upload_id"] for row in holders})
            marks = _marks(ids)
            rows = await fetch_all(
                conn,
                f"""DELETE FROM uploads WHERE chat_id = ? AND id IN ({marks})
                    AND NOT EXISTS (SELECT 1 FROM upload_tests t WHERE t.upload_id = uploads.id)
                    RETURNING id, size""",  # noqa: S608  # placeholders only
                (chat_id, *ids),
            )
            await conn.execute(
                f"""UPDATE uploads SET state = 'replaced', replaced_at = ?
                    WHERE chat_id = ? AND state = 'active' AND id IN ({marks})
                    AND NOT EXISTS (SELECT 1 FROM upload_tests t
                                    WHERE t.upload_id = uploads.id AND t.state = 'active')""",  # noqa: S608
                (to_text(self._db.now()), chat_id, *ids),
            )
            removal = Removal(
                uploads=len(rows), bytes=sum(row["size"] for row in rows), tests=len(holders)
            )
            if holders:
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
    "u.id, u.chat_id, u.state, u.file_name, u.size, u.sha256, "
    "u.file_unique_id, u.update_id, u.sender_id, u.received_at, u.replaced_at"
)


def upload_from_row(row: aiosqlite.Row, tests: Sequence[UploadTest]) -> Upload:
    """An `uploads` row and its tests as an Upload."""
    return Upload(
        id=row["id"],
        chat_id=row["chat_id"],
        state=UploadState(row["state"]),
        file_name=row["file_name"],
        size=row["size"],
        sha256=row["sha256"],
        file_unique_id=row["file_unique_id"],
        update_id=row["update_id"],
        sender_id=row["sender_id"],
        received_at=from_text(row["received_at"]),
        replaced_at=optional_from_text(row["replaced_at"]),
        tests=tuple(tests),
    )


async def _with_tests(
    conn: aiosqlite.Connection, chat_id: int, rows: Sequence[aiosqlite.Row]
) -> list[Upload]:
    """The uploads of `rows` with their tests: an active file's active tests, every test of a
    file kept as history."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    found = await fetch_all(
        conn,
        f"""SELECT upload_id, number, how, item_key, state, summary FROM upload_tests
            WHERE chat_id = ? AND upload_id IN ({_marks(ids)})
            ORDER BY number""",  # noqa: S608  # placeholders only
        (chat_id, *ids),
    )
    tests: dict[int, list[UploadTest]] = {}
    for test in found:
        tests.setdefault(test["upload_id"], []).append(
            UploadTest(
                number=test["number"],
                how=test["how"],
                key=test["item_key"],
                state=UploadState(test["state"]),
                summary=json.loads(test["summary"]),
            )
        )
    uploads = []
    for row in rows:
        held = tests.get(row["id"], [])
        if row["state"] == UploadState.ACTIVE:
            held = [test for test in held if test.state is UploadState.ACTIVE]
        uploads.append(upload_from_row(row, held))
    return uploads


async def _upload(conn: aiosqlite.Connection, chat_id: int, upload_id: int) -> Upload | None:
    rows = await fetch_all(
        conn,
        f"SELECT {_COLUMNS} FROM uploads u WHERE chat_id = ? AND id = ?",  # noqa: S608
        (chat_id, upload_id),
    )
    found = await _with_tests(conn, chat_id, rows)
    return found[0] if found else None


def _marks(values: Sequence[object]) -> str:
    """`?, ?, ?`: one placeholder per value, for an `IN (...)`."""
    return ", ".join("?" * len(values))


async def _holders(
    conn: aiosqlite.Connection, chat_id: int, numbers: Sequence[int]
) -> dict[int, int]:
    """Which upload holds each of `numbers` that is active in the chat: {number: upload id}."""
    rows = await fetch_all(
        conn,
        f"""SELECT number, upload_id FROM upload_tests
            WHERE chat_id = ? AND state = 'active' AND number IN ({_marks(numbers)})""",  # noqa: S608
        (chat_id, *numbers),
    )
    return {row["number"]: row["upload_id"] for row in rows}


async def _emptied_by(conn: aiosqlite.Connection, chat_id: int, taken: dict[int, int]) -> list[int]:
    """The uploads that the tests `taken` from them leave with no active test."""
    emptied = []
    for upload_id in dict.fromkeys(taken.values()):
        active = await scalar(
            conn,
            """SELECT count(*) FROM upload_tests
               WHERE chat_id = ? AND upload_id = ? AND state = 'active'""",
            (chat_id, upload_id),
        )
        if active == sum(holder == upload_id for holder in taken.values()):
            emptied.append(upload_id)
    return emptied


async def _take_over(
    conn: aiosqlite.Connection, chat_id: int, numbers: list[int], emptied: list[int], now: str
) -> None:
    """Mark the tests `numbers` replaced where they are active, and the uploads they empty."""
    if numbers:
        await conn.execute(
            f"""UPDATE upload_tests SET state = 'replaced'
                WHERE chat_id = ? AND state = 'active' AND number IN ({_marks(numbers)})""",  # noqa: S608
            (chat_id, *numbers),
        )
    for upload_id in emptied:
        await conn.execute(
            "UPDATE uploads SET state = 'replaced', replaced_at = ? WHERE id = ? AND chat_id = ?",
            (now, upload_id, chat_id),
        )


async def _sha256(data: bytes) -> str:
    if len(data) > HASH_IN_THREAD_BYTES:
        return await asyncio.to_thread(lambda: hashlib.sha256(data).hexdigest())
    return hashlib.sha256(data).hexdigest()


async def _already_stored(
    conn: aiosqlite.Connection, chat_id: int, update_id: int | None, sha256: str
) -> Upload | None:
    """The upload this update already made, or the active one with these bytes."""
    rows: list[aiosqlite.Row] = []
    if update_id is not None:
        rows = await fetch_all(
            conn,
            f"SELECT {_COLUMNS} FROM uploads u WHERE chat_id = ? AND update_id = ?",  # noqa: S608
            (chat_id, update_id),
        )
    if not rows:
        rows = await fetch_all(
            conn,
            f"SELECT {_COLUMNS} FROM uploads u "  # noqa: S608
            "WHERE chat_id = ? AND sha256 = ? AND state = 'active'",
            (chat_id, sha256),
        )
    found = await _with_tests(conn, chat_id, rows)
    return found[0] if found else None


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
    conn: aiosqlite.Connection, chat_id: int, size: int, *, freed_files: int, limits: StorageLimits
) -> None:
    usage = await _usage(conn, chat_id)
    if usage.files + 1 - freed_files > limits.max_files_per_chat:
        raise TooManyFiles(usage.files, limits.max_files_per_chat)
    if usage.total_bytes + size > limits.max_bytes_per_chat:
        raise ChatStorageFull(
            usage.total_bytes, usage.history_bytes, size, limits.max_bytes_per_chat
        )


async def _insert(
    conn: aiosqlite.Connection, chat_id: int, new: NewUpload, size: int, sha256: str, now: str
) -> Upload:
    rows = await fetch_all(
        conn,
        """INSERT INTO uploads (chat_id, state, file_name, size, sha256, file_unique_id,
                               update_id, sender_id, received_at)
           VALUES (?, 'active', ?, ?, ?, ?, ?, ?, ?)
           RETURNING *""",
        (
            chat_id,
            new.file_name,
            size,
            sha256,
            new.file_unique_id,
            new.update_id,
            new.sender_id,
            now,
        ),
    )
    upload_id = rows[0]["id"]
    summaries = [json.dumps(t.summary, sort_keys=True) for t in new.tests]
    await conn.executemany(
        """INSERT INTO upload_tests (upload_id, chat_id, number, how, item_key, state, summary)
           VALUES (?, ?, ?, ?, ?, 'active', ?)""",
        [
            (upload_id, chat_id, t.number, t.how, t.key, summary)
            for t, summary in zip(new.tests, summaries, strict=True)
        ],
    )
    await conn.execute(
        "INSERT INTO upload_bytes (upload_id, data) VALUES (?, ?)", (upload_id, new.data)
    )
    # Each summary as it reads back from its JSON, so this Upload equals one read later.
    tests = [
        UploadTest(t.number, t.how, t.key, UploadState.ACTIVE, json.loads(summary))
        for t, summary in zip(new.tests, summaries, strict=True)
    ]
    return upload_from_row(rows[0], sorted(tests, key=lambda t: t.number))
