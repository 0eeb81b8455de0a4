"""Operator commands: `python -m storage check | backup OUT | purge`.

Reads DATABASE_PATH and SESSION_TTL_DAYS from the environment or `.env`. Safe while the bot
runs: `check` opens the file read-only, `backup` uses the online backup API, `purge` takes
the same write lock the bot's transactions take.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from storage.backup import backup_database, check_database
from storage.clock import utc_now
from storage.database import Database
from storage.errors import StorageError
from storage.settings import StorageSettings


def main(argv: Sequence[str] | None = None, settings: StorageSettings | None = None) -> int:
    """Run one command; return the process exit code (0 ok, 1 problem found, 2 cannot run)."""
    args = _parser().parse_args(argv)
    settings = settings or StorageSettings()
    try:
        if args.command == "check":
            return _check(settings.database_path)
        if args.command == "backup":
            result = backup_database(settings.database_path, Path(args.out))
            print(f"backup written: {result.path} ({result.bytes} bytes, {result.integrity})")
            return 0
        return asyncio.run(_purge(settings))
    except StorageError as error:
        print(error.message, file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as error:
        print(f"The database cannot be read: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m storage", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="integrity check, schema version and row counts")
    backup = commands.add_parser("backup", help="online backup to a new file")
    backup.add_argument("out", help="where to write the copy (must not exist)")
    commands.add_parser("purge", help="delete sessions idle longer than SESSION_TTL_DAYS now")
    return parser


def _check(path: Path) -> int:
    report = check_database(path)
    print(f"database: {report.path}")
    print(f"schema version: {report.schema_version}")
    print(f"integrity: {'; '.join(report.integrity[:10])}")
    print(
        f"pages: {report.pages} x {report.page_size} bytes, {report.free_pages} free "
        f"(auto_vacuum {report.auto_vacuum})"
    )
    for table, count in report.counts.items():
        print(f"{table}: {count}")
    return 0 if report.ok else 1


async def _purge(settings: StorageSettings) -> int:
    if not settings.database_path.exists():
        raise StorageError(f"There is no database at {settings.database_path}.")
    db = await Database.open(settings.database_path, settings.limits)
    try:
        result = await db.sessions.purge_expired(utc_now(), settings.session_ttl_days)
    finally:
        await db.close()
    print(
        f"purged sessions idle over {settings.session_ttl_days:g} days: {result.chats} chats, "
        f"{result.uploads} files, {result.bytes} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
