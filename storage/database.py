"""The one entry point: open the file, serialise transactions, hand out the repositories.

One aiosqlite connection serves the whole bot; an asyncio.Lock around every transaction
(reads included) means concurrent handlers never share or interleave one. aiosqlite runs the
connection's calls in order on its own thread, so even a cancelled caller's queued ROLLBACK
lands before the next transaction's BEGIN.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import aiosqlite

from storage.audit import AuditLog
from storage.backup import BackupResult, backup_database
from storage.broadcasts import BroadcastRepository
from storage.chats import ChatRepository
from storage.clock import Clock, utc_now
from storage.compiles import CompileRepository
from storage.errors import DatabaseClosed, StorageError
from storage.inbox import InboxRepository
from storage.migrations import migrate
from storage.models import DatabaseHealth, Stats, StorageLimits
from storage.people import PeopleRepository
from storage.rosters import RosterRepository
from storage.sessions import SessionRepository
from storage.sql import scalar
from storage.stats import collect_stats
from storage.uploads import UploadRepository

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# Set before the first table exists; both are fixed for the file's life after that.
PAGE_SIZE = 16_384  # fewer overflow pages per BLOB: measured faster for 1 MB files
HEALTH_TIMEOUT_SECONDS = 5.0


class Database:
    """The bot's SQLite file. Build it with `await Database.open(...)`, end with `close()`."""

    def __init__(
        self, conn: aiosqlite.Connection, path: Path, limits: StorageLimits, clock: Clock
    ) -> None:
        self._conn: aiosqlite.Connection | None = conn
        self._lock = asyncio.Lock()
        self.path = path
        self.limits = limits
        self.now = clock
        self.chats = ChatRepository(self)
        self.uploads = UploadRepository(self)
        self.sessions = SessionRepository(self)
        self.compiles = CompileRepository(self)
        self.people = PeopleRepository(self)
        self.rosters = RosterRepository(self)
        self.broadcasts = BroadcastRepository(self)
        self.inbox = InboxRepository(self)
        self.audit = AuditLog(self)
        self.write_failure: str | None = None  # the last write's failure, until one succeeds

    @classmethod
    async def open(
        cls,
        path: str | Path,
        limits: StorageLimits | None = None,
        *,
        clock: Clock = utc_now,
    ) -> Database:
        """Open (creating the file and its directory if needed) and migrate to the newest schema.

        Sets WAL with synchronous=FULL (durable across power loss), foreign keys, a busy
        timeout, and for a new file incremental auto-vacuum so deleted bytes leave the file.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            await _configure(conn)
            applied = await migrate(conn)
        except BaseException:
            await conn.close()
            raise
        if applied:
            log.info("storage: migrated %s to schema versions %s", path, applied)
        return cls(conn, path, limits or StorageLimits(), clock)

    async def close(self) -> None:
        """Wait for the transaction in flight, then close. Safe to call twice, and on a
        database that refuses writes (the statistics `PRAGMA optimize` keeps are skipped)."""
        async with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            try:
                await conn.execute("PRAGMA optimize")
            except sqlite3.Error as exc:
                log.warning("storage: closing without PRAGMA optimize: %s", _storage_failure(exc))
            finally:
                await conn.close()

    @property
    def closed(self) -> bool:
        """True after `close()`."""
        return self._conn is None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: BEGIN IMMEDIATE, COMMIT on success, ROLLBACK on any exception.

        A failure of the storage itself (read-only file, full disk, I/O error) is kept in
        `write_failure` until a transaction that changed something commits (one that changed
        nothing writes nothing, so proves nothing); refusals and bugs are not kept.
        """
        async with self._lock:
            conn = self._live()
            try:
                await conn.execute("BEGIN IMMEDIATE")
                changes_before = await _total_changes(conn) if self.write_failure else 0
            except BaseException as exc:
                self._note_failure(exc)
                raise
            try:
                yield conn
                wrote = not self.write_failure or await _total_changes(conn) > changes_before
                await conn.commit()
            except BaseException as exc:
                self._note_failure(exc)
                await _roll_back(conn)
                raise
            if wrote:
                self.write_failure = None

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[aiosqlite.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        async with self._lock:
            conn = self._live()
            await conn.execute("BEGIN")
            try:
                yield conn
            finally:
                await conn.rollback()

    async def reclaim_space(self) -> None:
        """Give freed pages back to the file system and empty the WAL, so deleted bytes are gone.

        `incremental_vacuum` frees one page per step and `execute` steps once, so it goes
        through `executescript`, which steps to the end (measured: 1 page of 610 otherwise).
        """
        async with self._lock:
            conn = self._live()
            await conn.executescript("PRAGMA incremental_vacuum;")
            async with conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
                busy = await cursor.fetchone()
            if busy is not None and busy[0]:
                log.warning("storage: a reader kept the WAL from being emptied; it will be later")

    async def health(self) -> DatabaseHealth:
        """Whether a cheap read succeeds within a few seconds, whether the last write failed,
        and whether the largest file allowed still fits (on the disk and under SQLite's own
        page limit). A failed write is only known failed until a write succeeds again.
        """
        needed = self.limits.max_file_bytes
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS), self.snapshot() as conn:
                await scalar(conn, "SELECT count(*) FROM chats")
                free = await self._free_bytes(conn)
        except (sqlite3.Error, StorageError, TimeoutError, ValueError, OSError):
            return DatabaseHealth(False, self.write_failure, 0, needed)
        return DatabaseHealth(True, self.write_failure, free, needed)

    async def _free_bytes(self, conn: aiosqlite.Connection) -> int:
        """Room for new data: free pages inside the file, plus what the file may still grow."""
        page_size = int(await scalar(conn, "PRAGMA page_size"))
        pages = int(await scalar(conn, "PRAGMA page_count"))
        free_pages = int(await scalar(conn, "PRAGMA freelist_count"))
        max_pages = int(await scalar(conn, "PRAGMA max_page_count"))
        disk = shutil.disk_usage(self.path.parent).free
        return free_pages * page_size + min(disk, (max_pages - pages) * page_size)

    def _note_failure(self, exc: BaseException) -> None:
        failure = _storage_failure(exc)
        if failure is not None:
            self.write_failure = failure
            log.warning("storage: a write failed: %s", failure)

    async def integrity_check(self, *, quick: bool = False) -> list[str]:
        """SQLite's own check: `["ok"]` when the file is sound, else the problems found."""
        pragma = "quick_check" if quick else "integrity_check"
        async with self.snapshot() as conn:
            rows = await conn.execute_fetchall(f"PRAGMA {pragma}")
        return [str(row[0]) for row in rows]

    async def backup(self, out: str | Path) -> BackupResult:
        """An online backup to `out`, on its own connection so the bot keeps working meanwhile."""
        return await asyncio.to_thread(backup_database, self.path, Path(out))

    async def stats(self, now: datetime | None = None) -> Stats:
        """Figures for admins, all read from one snapshot."""
        now = now or self.now()
        async with self.snapshot() as conn:
            return await collect_stats(conn, self.path, now)

    def _live(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise DatabaseClosed()
        return self._conn


async def _configure(conn: aiosqlite.Connection) -> None:
    await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if await _is_empty(conn):
        await conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
        await conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
    async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
        row = await cursor.fetchone()
    if row is None or str(row[0]).lower() != "wal":
        raise sqlite3.OperationalError(f"could not switch the database to WAL (got {row!r})")
    await conn.execute("PRAGMA synchronous = FULL")
    await conn.execute("PRAGMA foreign_keys = ON")


async def _is_empty(conn: aiosqlite.Connection) -> bool:
    async with conn.execute("SELECT count(*) FROM sqlite_master") as cursor:
        row = await cursor.fetchone()
    return row is not None and row[0] == 0


async def _total_changes(conn: aiosqlite.Connection) -> int:
    return int(await scalar(conn, "SELECT total_changes()"))


async def _roll_back(conn: aiosqlite.Connection) -> None:
    """ROLLBACK after a failure; a failing ROLLBACK is logged, the first error is what counts."""
    try:
        await conn.rollback()
    except sqlite3.Error as exc:
        log.error("storage: ROLLBACK failed too: %s", _storage_failure(exc))


def _storage_failure(exc: BaseException) -> str | None:
    """How a write failed, when the storage itself failed: not for refusals or misuse."""
    if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError):
        return None
    if isinstance(exc, sqlite3.Error):
        return f"{getattr(exc, 'sqlite_errorname', type(exc).__name__)}: {exc}"
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return None
