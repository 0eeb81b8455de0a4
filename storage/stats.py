"""Figures for admins, gathered in one read transaction."""

from __future__ import annotations

import os
import statistics
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite

from storage.broadcasts import broadcast_progress
from storage.clock import to_text
from storage.models import Stats
from storage.sql import fetch_aggregate, fetch_all, scalar


async def collect_stats(conn: aiosqlite.Connection, path: Path, now: datetime) -> Stats:
    """Every figure of `Stats`, read on a connection inside a read transaction.

    Integrity uses `quick_check` (seconds on large files, not minutes); `python -m storage
    check` runs the full `integrity_check`.
    """
    week_ago, day_ago = to_text(now - timedelta(days=7)), to_text(now - timedelta(days=1))
    chats = await fetch_aggregate(
        conn,
        """SELECT count(*), count(*) FILTER (WHERE last_seen >= ?),
                  count(*) FILTER (WHERE can_write = 0)
           FROM chats""",
        (week_ago,),
    )
    uploads = await fetch_aggregate(
        conn,
        """SELECT count(DISTINCT chat_id) FILTER (WHERE state = 'active'),
                  count(*) FILTER (WHERE state = 'active'),
                  count(*) FILTER (WHERE state = 'replaced'),
                  coalesce(sum(size), 0)
           FROM uploads""",
    )
    durations = [
        row[0]
        for row in await fetch_all(
            conn, "SELECT duration_seconds FROM compiles WHERE started_at >= ?", (week_ago,)
        )
    ]
    compiles_24h = await scalar(
        conn, "SELECT count(*) FROM compiles WHERE started_at >= ?", (day_ago,)
    )
    integrity = await fetch_all(conn, "PRAGMA quick_check")
    newest = await scalar(conn, "SELECT max(id) FROM broadcasts")
    return Stats(
        chats_total=chats[0],
        chats_active_7d=chats[1],
        chats_blocked=chats[2],
        sessions_with_files=uploads[0],
        uploads_active=uploads[1],
        uploads_replaced=uploads[2],
        bytes_stored=uploads[3],
        compiles_24h=compiles_24h,
        compiles_7d=len(durations),
        median_compile_seconds_7d=statistics.median(durations) if durations else None,
        database_bytes=database_bytes(path),
        integrity="; ".join(str(row[0]) for row in integrity[:3]),
        last_broadcast=None if newest is None else await broadcast_progress(conn, newest),
    )


def database_bytes(path: Path) -> int:
    """The database file plus its WAL, as the disk holds them."""
    return sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))
