"""Killed at any instant, the database stays sound and keeps every upload, roster and answer
about people it acknowledged."""

from __future__ import annotations

import hashlib
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.storage.crash_writer import roster_size

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
TIME_BUDGET_SECONDS = 25.0


@dataclass
class Reported:
    """What the writers said was committed, over every run."""

    uploads: dict[int, tuple[int, str]] = field(default_factory=dict)  # id -> (chat, sha256)
    rosters: dict[int, str] = field(default_factory=dict)  # chat -> the last roster's file name
    decisions: dict[int, tuple[int, str]] = field(
        default_factory=dict
    )  # question -> (chat, verdict)

    def take(self, line: str) -> None:
        """One complete line of a writer's output."""
        parts = line.split()
        if len(parts) == 3 and len(parts[2]) == 64:
            upload_id = int(parts[0])
            assert upload_id not in self.uploads, "an upload id was handed out twice"
            self.uploads[upload_id] = (int(parts[1]), parts[2])
        elif len(parts) == 4 and parts[0] == "roster":
            assert int(parts[3]) == roster_size(parts[2])
            self.rosters[int(parts[1])] = parts[2]
        elif len(parts) == 4 and parts[0] == "decided":
            question = int(parts[2])
            assert question not in self.decisions, "a question id was handed out twice"
            self.decisions[question] = (int(parts[1]), parts[3])


def run_and_kill(db_path: Path, seed: int, rng: random.Random, reported: Reported) -> None:
    """Start a writer, SIGKILL it after a random time; note what it reported."""
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
    for line in out.split("\n")[:-1]:  # a line cut by the kill is no report
        reported.take(line)


def assert_sound_and_whole(db_path: Path, reported: Reported) -> None:
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
        rosters = {
            chat_id: (name, count, len(json.loads(people)))
            for chat_id, name, count, people in conn.execute(
                "SELECT chat_id, file_name, people_count, people FROM rosters"
            )
        }
        decided = {
            question: (chat_id, verdict)
            for question, chat_id, verdict in conn.execute(
                "SELECT id, chat_id, verdict FROM people_questions WHERE state = 'decided'"
            )
        }
    for upload_id, (chat_id, sha) in reported.uploads.items():
        assert upload_id in stored, f"acknowledged upload {upload_id} was lost"
        assert stored[upload_id] == (chat_id, sha, sha), f"upload {upload_id} is not whole"
    for chat_id, name in reported.rosters.items():
        assert chat_id in rosters, f"chat {chat_id}'s acknowledged roster was lost"
        kept, count, people = rosters[chat_id]
        assert kept >= name, f"chat {chat_id}'s roster went back from {name} to {kept}"
        assert count == people == roster_size(kept), f"roster {kept} is not whole"
    for question, answer in reported.decisions.items():
        assert decided.get(question) == answer, f"acknowledged answer {question} was lost"


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_upload(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.sqlite3"
    rng = random.Random(20250301)
    reported = Reported()
    started = time.monotonic()
    kills = 0
    try:
        while kills < KILLS and time.monotonic() - started < TIME_BUDGET_SECONDS:
            run_and_kill(db_path, seed=kills, rng=rng, reported=reported)
            kills += 1
            assert_sound_and_whole(db_path, reported)
    finally:
        for leftover in tmp_path.glob("crash.sqlite3*"):  # a few hundred MB: do not keep it
            leftover.unlink()

    assert kills >= 15, f"only {kills} kills fit in the time budget"
    assert len(reported.uploads) > 100, "the writer barely wrote: the test proved little"
    assert len(reported.rosters) == 3 and len(reported.decisions) > 20
