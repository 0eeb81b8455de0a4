"""Small query helpers shared by the repositories."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aiosqlite

Params = Sequence[Any]


async def fetch_one(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> aiosqlite.Row | None:
    """The first row of a query, or None."""
    async with conn.execute(sql, params) as cursor:
        row: aiosqlite.Row | None = await cursor.fetchone()
    return row


async def fetch_all(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> list[aiosqlite.Row]:
    """Every row of a query."""
    return list(await conn.execute_fetchall(sql, params))


async def scalar(conn: aiosqlite.Connection, sql: str, params: Params = ()) -> Any:
    """The first column of the first row (None when there is no row)."""
    row = await fetch_one(conn, sql, params)
    return None if row is None else row[0]


async def fetch_aggregate(
    conn: aiosqlite.Connection, sql: str, params: Params = ()
) -> aiosqlite.Row:
    """The single row an aggregate query (count, sum) always returns."""
    row = await fetch_one(conn, sql, params)
    if row is None:
        raise RuntimeError(f"an aggregate query returned no row: {sql.split()[0:4]}")
    return row
