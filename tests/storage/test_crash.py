"""Killed at any instant, the database stays sound and keeps every upload it acknowledged."""

from __future__ import annotations

import hashlib
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
TIME_BUDGET_SECONDS = 25.0


def run_and_kill(db_path: Path, seed: int, rng: random.Random) -> list[tuple[int, int, str]]:
    """Start a writer, SIGKILL it after a random time; return the uploads it reported."""
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.crash_writer", str(db_path), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    ready = child.stdout.readline()
    assert ready == "ready\n", child.communicate(timeout=30)[1]
    time.sleep(rng.uniform(0.02, 0.5))
    child.send_signal(signal.SIGKILL)
    out, _ = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    reported = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and len(parts[2]) == 64:  # a line cut by the kill is not a report
            reported.append((int(parts[0]), int(parts[1]), parts[2]))
    return reported


def assert_sound_and_whole(db_path: Path, reported: dict[int, tuple[int, str]]) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {
            upload_id: (chat_id, sha, hashlib.sha256(data).hexdigest())
            for upload_id, chat_id, sha, data in conn.execute(
                "SELECT u.id, u.chat_id, u.sha256, b.data "
                "FROM uploads u JOIN upload_bytes b ON b.upload_id = u.id"
            )
        }
    for upload_id, (chat_id, sha) in reported.items():
        assert upload_id in stored, f"acknowledged upload {upload_id} was lost"
        assert stored[upload_id] == (chat_id, sha, sha), f"upload {upload_id} is not whole"


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_upload(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.sqlite3"
    rng = random.Random(20250301)
    reported: dict[int, tuple[int, str]] = {}
    started = time.monotonic()
    kills = 0
    try:
        while kills < KILLS and time.monotonic() - started < TIME_BUDGET_SECONDS:
            for upload_id, chat_id, sha in run_and_kill(db_path, seed=kills, rng=rng):
                assert upload_id not in reported, "an upload id was handed out twice"
                reported[upload_id] = (chat_id, sha)
            kills += 1
            assert_sound_and_whole(db_path, reported)
    finally:
        for leftover in tmp_path.glob("crash.sqlite3*"):  # a few hundred MB: do not keep it
            leftover.unlink()

    assert kills >= 15, f"only {kills} kills fit in the time budget"
    assert len(reported) > 100, "the writer barely wrote: the test proved little"
