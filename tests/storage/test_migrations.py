"""Migrations: every earlier version reaches the newest, with data kept and the same schema."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

import aiosqlite
import pytest

from storage import Database, SchemaTooNew
from storage.database import _configure
from storage.migrations import LATEST_VERSION, MIGRATIONS, migrate
from tests.storage.factories import FakeClock, file_bytes, sha256


async def build_at(path: Path, version: int) -> None:
    """A database as an older program left it: configured, migrated up to `version`."""
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await _configure(conn)
        await migrate(conn, target=version)
        if version >= 1:
            await conn.execute(
                "INSERT INTO chats (id, kind, first_seen, last_seen) VALUES (7, 'group', ?, ?)",
                ("2025-01-01T00:00:00.000000+00:00",) * 2,
            )
            if version < 5:
                await conn.execute(
                    """INSERT INTO uploads (chat_id, state, test_number, test_how, file_name,
                           size, sha256, received_at, summary)
                       VALUES (7, 'active', 1, 'from the label', 'Quiz 1.xlsx', 64, ?, ?, '{}')""",
                    (sha256(file_bytes(1, 64)), "2025-01-01T00:00:00.000000+00:00"),
                )
            else:  # a file's tests have their own table from version 5
                await conn.execute(
                    """INSERT INTO uploads (chat_id, state, file_name, size, sha256, received_at)
                       VALUES (7, 'active', 'Quiz 1.xlsx', 64, ?, ?)""",
                    (sha256(file_bytes(1, 64)), "2025-01-01T00:00:00.000000+00:00"),
                )
                await conn.execute(
                    """INSERT INTO upload_tests (upload_id, chat_id, number, how, state, summary)
                       VALUES (1, 7, 1, 'from the label', 'active', '{}')"""
                )
            await conn.execute(
                "INSERT INTO upload_bytes (upload_id, data) VALUES (1, ?)", (file_bytes(1, 64),)
            )


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(
            "SELECT type, name, sql FROM sqlite_master "
            "WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"  # PRAGMA optimize's statistics
        ).fetchall()
    return [(kind, name, " ".join((sql or "").split())) for kind, name, sql in rows]


def test_versions_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))


@pytest.mark.parametrize("version", range(LATEST_VERSION))
async def test_every_earlier_version_migrates_to_the_newest(
    tmp_path: Path, clock: FakeClock, version: int
) -> None:
    fresh, old = tmp_path / "fresh.sqlite3", tmp_path / "old.sqlite3"
    await (await Database.open(fresh, clock=clock)).close()
    await build_at(old, version)

    db = await Database.open(old, clock=clock)
    try:
        assert await db.integrity_check() == ["ok"]
        files = await db.uploads.load_files(7) if version >= 1 else []
    finally:
        await db.close()

    assert schema_of(old) == schema_of(fresh)
    with closing(sqlite3.connect(old)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    if version >= 1:
        assert [f.data for f in files] == [file_bytes(1, 64)]


async def test_a_newer_file_is_refused_not_downgraded(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(SchemaTooNew) as refused:
        await Database.open(path)
    assert (refused.value.found, refused.value.known) == (LATEST_VERSION + 1, LATEST_VERSION)


async def test_migrating_twice_applies_nothing(tmp_path: Path) -> None:
    async with aiosqlite.connect(tmp_path / "x.sqlite3", isolation_level=None) as conn:
        assert await migrate(conn) == list(range(1, LATEST_VERSION + 1))
        assert await migrate(conn) == []


@asynccontextmanager
async def upgraded(
    path: Path, clock: FakeClock, version: int, sql: str, params: tuple[object, ...] = ()
) -> AsyncIterator[Database]:
    """A database an older program left at `version` (with `sql` run on it then), opened by
    this one: migrated to the latest version on the way."""
    await build_at(path, version)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(sql, params)
        conn.commit()
    db = await Database.open(path, clock=clock)
    try:
        yield db
    finally:
        await db.close()


async def test_migration_6_gives_every_chat_the_default_grading(
    tmp_path: Path, clock: FakeClock
) -> None:
    change = "UPDATE chats SET policy = 'strict', out_of = '{\"1\": 20.0}' WHERE id = 7"
    async with upgraded(tmp_path / "five.sqlite3", clock, 5, change) as db:
        settings = await db.chats.get_settings(7)

    assert (settings.policy, settings.out_of) == ("strict", {1: 20.0})
    assert (settings.weights, settings.drop_lowest, settings.letters) == ({}, 0, None)


async def test_migration_7_leaves_earlier_compiles_without_a_digest(
    tmp_path: Path, clock: FakeClock
) -> None:
    compiled = """INSERT INTO compiles (chat_id, started_at, upload_ids, duration_seconds,
                      participants, passed, failed, output_sha256)
                  VALUES (7, '2025-01-01T00:00:00.000000+00:00', '[1]', 1.0, 3, 2, 1, ?)"""
    async with upgraded(tmp_path / "six.sqlite3", clock, 6, compiled, ("c" * 64,)) as db:
        [record] = await db.compiles.recent(7)

    assert (record.upload_ids, record.passed, record.digest) == ((1,), 2, None)


async def test_migration_8_keeps_a_chats_files_and_starts_with_no_roster_or_answers(
    tmp_path: Path, clock: FakeClock
) -> None:
    change = "UPDATE chats SET policy = 'average', weights = '{\"1\": 2.0}' WHERE id = 7"
    async with upgraded(tmp_path / "seven.sqlite3", clock, 7, change) as db:
        settings = await db.chats.get_settings(7)
        files = await db.uploads.load_files(7)
        roster, decisions = await db.rosters.info(7), await db.people.decisions(7)

    assert (settings.policy, settings.weights) == ("average", {1: 2.0})
    assert [f.data for f in files] == [file_bytes(1, 64)]
    assert (roster, decisions) == (None, [])
