"""The database refuses writes: read-only, or full. The person is told the file was not saved,
/health says 503, reads keep working, nothing half-written remains; once writes work again the
file is saved and /health says 200.

Two seams work everywhere, on the running bot's own connection: `PRAGMA query_only` (SQLite
answers SQLITE_READONLY, as for a read-only file) and `PRAGMA max_page_count` (SQLITE_FULL
from SQLite itself). Two are the real thing and need root: the database files made immutable
(`chattr +i`, refused by the kernel even on open files) and a tiny tmpfs filled to the brim.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot import texts
from bot.services import Services
from bot.settings import Settings
from tests.bot.helpers import TEACHER, command, running, send_file
from tests.support.bot_process import DATABASE, database_rows, free_port, start_bot, stop_bot
from tests.support.classes import make_class
from tests.support.telegram_standin import TelegramStandIn

Action = Callable[[], Awaitable[None]]
SMALL_FILES_MB = "1"  # the largest file taken: what /health checks room for


@dataclass
class Fault:
    """How to make writes fail and work again, and what /health should name."""

    break_writes: Action
    repair: Action
    problem: str  # in /health's "problem" while writes fail (a full disk may be named as
    # the write that failed, or as too little room left: small writes may still get through)


async def _refused_then_saved(
    tg: TelegramStandIn, health_port: int, database: Path, fault: Fault
) -> None:
    """The whole story, against whichever bot runs: refused, 503, intact; repaired, saved, 200."""
    # The second file spans several pages, so it cannot slip into a page's leftover room.
    first = make_class("surveyheart", people=10, tests=1, seed=61).files[0]
    second = make_class("surveyheart", people=300, tests=2, seed=61).files[1]
    url = f"http://127.0.0.1:{health_port}/health"
    async with httpx.AsyncClient() as http:
        await send_file(tg, TEACHER, first, expect="Test 1 (")
        assert (await http.get(url)).status_code == 200

        await fault.break_writes()
        refused = await send_file(tg, TEACHER, second, expect="could not save")
        assert refused.text == f"{second.name}: {texts.NOT_SAVED}"
        broken = await http.get(url)
        assert broken.status_code == 503 and fault.problem in broken.json()["problem"]
        await command(tg, TEACHER, "/status", "1 test in this chat")  # reads still work
        await command(tg, TEACHER, "/compile", "1 test: PASS")  # so do compiles
        _assert_nothing_half_written(database, refused_name=second.name)

        await fault.repair()
        await send_file(tg, TEACHER, second, expect="Test 2 (")
        healed = await http.get(url)
        assert healed.status_code == 200, healed.json()
        assert healed.json()["problem"] is None
    assert not [m for m in tg.messages_to(TEACHER) if texts.APOLOGY in m.shown]


def _assert_nothing_half_written(database: Path, refused_name: str) -> None:
    def rows(sql: str, *params: object) -> list[tuple[object, ...]]:
        return database_rows(database.parent, sql, params, database=database)

    assert rows("PRAGMA integrity_check") == [("ok",)]
    assert rows("SELECT number FROM upload_tests") == [(1,)]
    assert rows("SELECT count(*) FROM upload_bytes") == [(1,)]
    assert rows("SELECT count(*) FROM uploads WHERE file_name = ?", refused_name) == [(0,)]


# The bot in the test's process, its connection reached for the SQLite seams


@contextlib.asynccontextmanager
async def _bot_in_process(
    make_settings: Callable[..., Settings], port: int
) -> AsyncIterator[Services]:
    settings = make_settings(health_port=port, max_file_mb=float(SMALL_FILES_MB))
    async with running(settings) as app:
        yield app.bot_data.services


def _pragma(svc: Services, statement: str) -> Action:
    async def run() -> None:
        async with svc.db.snapshot() as conn:  # the bot's own connection
            await conn.execute(statement)

    return run


async def test_a_read_only_database_refuses_the_file_plainly_and_recovers(
    tg: TelegramStandIn, tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    port = free_port()
    async with _bot_in_process(make_settings, port) as svc:
        fault = Fault(
            _pragma(svc, "PRAGMA query_only = ON"),
            _pragma(svc, "PRAGMA query_only = OFF"),
            "SQLITE_READONLY",
        )
        await _refused_then_saved(tg, port, tmp_path / DATABASE, fault)


async def test_a_full_database_refuses_the_file_plainly_and_recovers(
    tg: TelegramStandIn, tmp_path: Path, make_settings: Callable[..., Settings]
) -> None:
    port = free_port()
    async with _bot_in_process(make_settings, port) as svc:

        async def fill() -> None:
            await svc.db.reclaim_space()  # no free pages left inside the file either
            pages = database_rows(tmp_path, "PRAGMA page_count")[0][0]
            await _pragma(svc, f"PRAGMA max_page_count = {pages}")()

        fault = Fault(fill, _pragma(svc, "PRAGMA max_page_count = 1000000"), "full")
        await _refused_then_saved(tg, port, tmp_path / DATABASE, fault)


# The real bot process, and the operating system refusing


async def test_database_files_made_immutable_refuse_the_file_plainly_and_recover(
    tg: TelegramStandIn, tmp_path: Path
) -> None:
    _need_immutable_flag(tmp_path)
    database = tmp_path / DATABASE
    files = [database, database.with_name(f"{DATABASE}-wal")]

    async def freeze() -> None:
        _chattr("+i", files)

    async def thaw() -> None:
        _chattr("-i", files)

    port = free_port()
    bot = start_bot(tg, tmp_path, HEALTH_PORT=str(port), MAX_FILE_MB=SMALL_FILES_MB)
    try:
        await command(tg, TEACHER, "/help", "/compile")
        await _refused_then_saved(tg, port, database, Fault(freeze, thaw, "disk I/O error"))
    finally:
        _chattr("-i", files, check=False)
        code, log = await stop_bot(bot, tmp_path)
    assert code == 0, log


async def test_a_full_disk_refuses_the_file_plainly_and_recovers(
    tg: TelegramStandIn, tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    with _tiny_filesystem(disk, megabytes=8):
        database = disk / DATABASE
        filler = disk / "filler"

        async def fill() -> None:
            _fill_to_the_brim(filler)

        async def free() -> None:
            filler.unlink()

        port = free_port()
        bot = start_bot(
            tg,
            tmp_path,
            DATABASE_PATH=str(database),
            HEALTH_PORT=str(port),
            MAX_FILE_MB=SMALL_FILES_MB,
        )
        try:
            await command(tg, TEACHER, "/help", "/compile")
            await _refused_then_saved(tg, port, database, Fault(fill, free, "full"))
        finally:
            code, log = await stop_bot(bot, tmp_path)
        assert code == 0, log


def _need_immutable_flag(folder: Path) -> None:
    probe = folder / "immutable-probe"
    probe.write_bytes(b"x")
    if shutil.which("chattr") is None or os.geteuid() != 0:
        pytest.skip("making a file immutable needs root and chattr")
    try:
        _chattr("+i", [probe])
    except subprocess.CalledProcessError:
        pytest.skip(f"the filesystem of {folder} has no immutable flag")
    _chattr("-i", [probe])


def _chattr(flag: str, files: list[Path], check: bool = True) -> None:
    existing = [str(f) for f in files if f.exists()]
    subprocess.run(["chattr", flag, *existing], check=check, capture_output=True)


@contextlib.contextmanager
def _tiny_filesystem(where: Path, megabytes: int) -> Iterator[Path]:
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tiny tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "--lazy", str(where)], check=False)


def _fill_to_the_brim(filler: Path) -> None:
    """Write until the filesystem says ENOSPC, in ever smaller pieces down to one page."""
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for piece in (1 << 20, 1 << 16, 1 << 12):
            try:
                while True:
                    os.write(fd, b"\0" * piece)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)
