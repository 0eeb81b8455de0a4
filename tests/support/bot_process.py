"""`python -m bot` as a child process against the stand-in: start, stop, kill, look inside.

    bot = start_bot(tg, tmp_path, WORKERS="1")
    ...
    code, log = await stop_bot(bot, tmp_path)         # SIGTERM, as a service manager stops it
    await kill_bot(bot)                               # SIGKILL: no chance to clean up

Every run of the bot in one folder appends to `bot.log` there, so a test that restarts the bot
reads the whole story. `database_rows` reads the bot's SQLite file on its own read-only
connection, as an operator would, while the bot runs or after it died.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

from tests.support.telegram_standin import TelegramStandIn

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "bot.sqlite3"
LOG = "bot.log"


def start_bot(tg: TelegramStandIn, folder: Path, **env: str) -> subprocess.Popen[bytes]:
    """Start `python -m bot` in `folder` (its database and log live there) against `tg`."""
    environment = {
        **os.environ,
        **tg.bot_env(),
        "DATABASE_PATH": str(folder / DATABASE),
        "WORKERS": "1",
        **env,
    }
    # Into a file: a pipe that nobody reads until the end fills up and blocks the bot.
    with (folder / LOG).open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=folder,  # no .env of the developer's is read
            env={**environment, "PYTHONPATH": str(ROOT)},
            stdout=log,
            stderr=log,
        )


async def stop_bot(
    process: subprocess.Popen[bytes], folder: Path, timeout: float = 20
) -> tuple[int, str]:
    """SIGTERM, wait for the exit; (exit code, the log). Killed if it outlives `timeout`."""
    process.send_signal(signal.SIGTERM)
    try:
        code = await asyncio.to_thread(process.wait, timeout)
    finally:
        process.kill()
    return code, read_log(folder)


async def kill_bot(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL: the bot gets no chance to finish anything, close anything or say anything."""
    process.kill()
    await asyncio.to_thread(process.wait, 10)


def read_log(folder: Path) -> str:
    """Everything the bot runs in `folder` have logged."""
    return (folder / LOG).read_text(errors="replace")


def database_rows(
    folder: Path, sql: str, params: tuple[Any, ...] = (), *, database: Path | None = None
) -> list[tuple[Any, ...]]:
    """Rows of a query on the bot's database (in `folder`, unless `database` says where),
    opened read-only on a connection of its own."""
    uri = f"file:{database or folder / DATABASE}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def descendants(pid: int) -> set[int]:
    """The ids of every process below `pid` (its workers and their helpers), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # gone meanwhile
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of `pids` that still run (zombies count as gone)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def stop_stray(pids: set[int]) -> None:
    """SIGKILL processes a test left behind (so one failure does not leak into the next)."""
    for pid in alive(pids):
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def free_port() -> int:
    """A loopback port nobody listens on right now (for HEALTH_PORT)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
