"""SIGTERM with work in flight: the real bot finishes it, closes the database, exits in seconds."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from compiler.model import UploadedFile
from tests.bot.helpers import TEACHER, command
from tests.support.bot_process import DATABASE, database_rows, start_bot, stop_bot
from tests.support.classes import make_class
from tests.support.telegram_standin import DOWNLOAD, TelegramStandIn

HOLD = 2.0  # the work in flight takes at least this long after the SIGTERM


@pytest.mark.parametrize("work", ["upload", "compile"])
async def test_sigterm_finishes_the_work_in_flight_closes_the_database_and_exits(
    tg: TelegramStandIn, tmp_path: Path, work: str
) -> None:
    file = make_class("moodle", people=10, tests=1, seed=41).files[0]
    bot = start_bot(tg, tmp_path)
    try:
        await command(tg, TEACHER, "/help", "/compile")
        if work == "compile":  # a file to compile first
            tg.send_document(TEACHER, file.name, file.data)
            await tg.wait_for_text(TEACHER, "Test 1 (", timeout=30)
        since = tg.mark()
        held = await _start_slow_work(tg, work, file)
        await tg.wait_for_call(held, since=since, answered=False, timeout=30)
    finally:
        started = asyncio.get_running_loop().time()
        code, log = await stop_bot(bot, tmp_path)
    took = asyncio.get_running_loop().time() - started

    assert code == 0, log
    assert HOLD <= took < 10, f"stopping took {took:.1f} s"
    if work == "compile":
        await tg.wait_for_document(TEACHER, since=since, timeout=1)
    else:
        await tg.wait_for_text(TEACHER, "Test 1 (", since=since, timeout=1)
    # Closed: SQLite folded its WAL into the file and removed it (a kill leaves it behind).
    assert not (tmp_path / f"{DATABASE}-wal").exists(), "the database was not closed"
    assert database_rows(tmp_path, "SELECT count(*) FROM uploads") == [(1,)]
    # Marked handled, so a restart has nothing to do again.
    assert database_rows(tmp_path, "SELECT count(*) FROM inbox WHERE handled_at IS NULL") == [(0,)]
    assert log.rstrip().endswith("stopped")


async def _start_slow_work(tg: TelegramStandIn, work: str, file: UploadedFile) -> str:
    """Send what starts `work`, with the call it will wait on held; that call's method."""
    if work == "compile":
        tg.delay_next("sendDocument", HOLD)
        tg.send_text(TEACHER, "/compile")
        return "sendDocument"
    tg.delay_next(DOWNLOAD, HOLD)
    tg.send_document(TEACHER, file.name, file.data)
    return DOWNLOAD
