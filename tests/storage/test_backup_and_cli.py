"""Online backup beside a writer, and the operator's `python -m storage` commands."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from storage import Database, StorageLimits, StorageSettings
from storage.__main__ import main
from storage.migrations import LATEST_VERSION
from tests.storage.factories import FakeClock, new_upload, seen_chat, sha256

ROOT = Path(__file__).resolve().parents[2]
ROOMY = StorageLimits(max_files_per_chat=10_000, max_bytes_per_chat=10**10)


def uploads_in(path: Path) -> list[tuple[int, str, bytes]]:
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return conn.execute(
            "SELECT u.id, u.sha256, b.data FROM uploads u JOIN upload_bytes b ON b.upload_id = u.id"
        ).fetchall()


@pytest.mark.parametrize("limits", [ROOMY])
async def test_a_backup_taken_while_another_task_writes_is_sound(
    db: Database, tmp_path: Path
) -> None:
    await seen_chat(db, 1)
    for test in range(1, 41):  # 20 MB already there, so the copy takes a while
        await db.uploads.add(1, new_upload(test, seed=test, size=512 * 1024))
    written = 40
    stop = asyncio.Event()

    async def writer() -> None:
        nonlocal written
        while not stop.is_set():
            written += 1
            await db.uploads.add(1, new_upload(written, seed=written, size=64 * 1024))

    task = asyncio.create_task(writer())
    overlapped = []
    for n in range(3):
        before = written
        await db.backup(tmp_path / f"copy{n}.sqlite3")
        overlapped.append(written > before)
    stop.set()
    await task

    assert any(overlapped), "the writer never ran during a backup"
    for n in range(3):
        rows = uploads_in(tmp_path / f"copy{n}.sqlite3")
        assert 40 <= len(rows) <= written
        assert all(sha256(data) == sha for _, sha, data in rows)


def settings_for(path: Path, ttl: float = 30) -> StorageSettings:
    return StorageSettings(database_path=path, session_ttl_days=ttl)


async def test_check_reports_integrity_and_counts(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await seen_chat(db, 1)
    await db.uploads.add(1, new_upload(1, seed=1))

    code = await asyncio.to_thread(main, ["check"], settings_for(db_path))

    out = capsys.readouterr().out
    assert code == 0
    assert "integrity: ok" in out and f"schema version: {LATEST_VERSION}" in out
    assert "uploads: 1" in out and "chats: 1" in out and "auto_vacuum incremental" in out


async def test_check_fails_on_a_damaged_file(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await seen_chat(db, 1)
    for test in range(1, 21):
        await db.uploads.add(1, new_upload(test, seed=test, size=40_000))
    await db.close()
    with db_path.open("r+b") as damaged:
        damaged.seek(16384 * 2)  # past the header page: some table or index page
        damaged.write(os.urandom(16384 * 3))

    code = main(["check"], settings_for(db_path))

    assert code == 1
    assert "integrity: ok" not in capsys.readouterr().out


def test_commands_on_a_missing_database_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.sqlite3"
    for argv in (["check"], ["backup", str(tmp_path / "b.sqlite3")], ["purge"]):
        assert main(argv, settings_for(missing)) == 2
        assert "There is no database" in capsys.readouterr().err
    assert not missing.exists()


async def test_backup_command_writes_a_new_file_and_never_overwrites(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await seen_chat(db, 1)
    await db.uploads.add(1, new_upload(1, seed=5))
    out = tmp_path / "backups" / "bot-copy.sqlite3"

    assert await asyncio.to_thread(main, ["backup", str(out)], settings_for(db_path)) == 0
    assert await asyncio.to_thread(main, ["backup", str(out)], settings_for(db_path)) == 2

    assert "already exists" in capsys.readouterr().err
    [(_, sha, data)] = uploads_in(out)
    assert data == new_upload(1, seed=5).data and sha == sha256(data)
    assert not out.with_name(out.name + ".partial").exists()


async def test_purge_command_ends_idle_sessions(
    db_path: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    clock.current = clock.current.replace(year=2020)  # long before the command's "now"
    db = await Database.open(db_path, clock=clock)
    await seen_chat(db, 1)
    await db.uploads.add(1, new_upload(1, seed=1))
    await db.close()

    code = await asyncio.to_thread(main, ["purge"], settings_for(db_path, ttl=30))

    assert code == 0
    assert "1 chats, 1 files, 2048 bytes" in capsys.readouterr().out
    assert uploads_in(db_path) == []


def test_the_module_runs_and_reads_database_path_from_the_environment(tmp_path: Path) -> None:
    path = tmp_path / "env.sqlite3"
    sqlite3.connect(path).close()  # an empty but valid database file
    env = {**os.environ, "DATABASE_PATH": str(path), "SESSION_TTL_DAYS": "7"}

    done = subprocess.run(
        [sys.executable, "-m", "storage", "check"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert f"database: {path}" in done.stdout and "integrity: ok" in done.stdout
