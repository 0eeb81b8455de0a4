"""Operator tools that work on the file itself: an online backup and a read-only check.

Both use plain sqlite3 on their own connection, so they run beside a live bot: the backup
API copies one consistent snapshot (WAL lets the bot keep writing meanwhile), and a copy
is only put in place after it passed `integrity_check`.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from storage.errors import StorageError

COUNTED_TABLES = (
    "chats",
    "uploads",
    "upload_bytes",
    "compiles",
    "people_questions",
    "rosters",
    "broadcasts",
    "deliveries",
    "audit_log",
    "inbox",
)


@dataclass(frozen=True, slots=True)
class BackupResult:
    """Where the copy went, how big it is, and what its integrity check said."""

    path: Path
    bytes: int
    integrity: str


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What `python -m storage check` prints."""

    path: Path
    schema_version: int
    integrity: list[str]
    counts: dict[str, int]
    page_size: int
    pages: int
    free_pages: int
    auto_vacuum: str

    @property
    def ok(self) -> bool:
        """True when SQLite found nothing wrong."""
        return self.integrity == ["ok"]


def backup_database(source: Path, out: Path) -> BackupResult:
    """Copy the live database at `source` to `out` with SQLite's online backup API.

    The copy is written beside `out`, checked, synced, then renamed into place, so `out` is
    either absent or a whole, sound database. An existing `out` is never overwritten.
    """
    if not source.exists():
        raise StorageError(f"There is no database at {source}.")
    if out.exists():
        raise StorageError(f"{out} already exists: choose a new name for the backup.")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(_connect(source, read_only=True)) as src, closing(_connect(partial)) as dst:
            src.backup(dst)  # one step: a single consistent snapshot
            dst.execute("PRAGMA journal_mode = DELETE")
            integrity = [str(row[0]) for row in dst.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise StorageError(f"The backup failed its integrity check: {integrity[:3]}")
        _fsync(partial)
        os.replace(partial, out)
        _fsync(out.parent)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(out, out.stat().st_size, "ok")


def check_database(path: Path) -> CheckReport:
    """Open the file read-only and report its integrity, schema version and row counts.

    A damaged file still gets a report: its integrity says what SQLite could not read, and
    tables that cannot be counted are left out.
    """
    if not path.exists():
        raise StorageError(f"There is no database at {path}.")
    with closing(_connect(path, read_only=True)) as conn:

        def pragma(name: str) -> int:
            return int(conn.execute(f"PRAGMA {name}").fetchone()[0])

        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        return CheckReport(
            path=path,
            schema_version=pragma("user_version"),
            integrity=_integrity(conn),
            counts=_counts(conn, [t for t in COUNTED_TABLES if t in tables]),
            page_size=pragma("page_size"),
            pages=pragma("page_count"),
            free_pages=pragma("freelist_count"),
            auto_vacuum={0: "none", 1: "full", 2: "incremental"}.get(pragma("auto_vacuum"), "?"),
        )


def _integrity(conn: sqlite3.Connection) -> list[str]:
    try:
        return [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [f"unreadable: {error}"]


def _counts(conn: sqlite3.Connection, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        try:
            counts[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
        except sqlite3.DatabaseError:
            continue  # the integrity report already says the file is damaged
    return counts


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        conn = sqlite3.connect(path)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
