"""Load: 200 overlapping updates (files and commands) from 20 chats at once.

Every update is answered, each chat's answers come in the order its updates were sent, the
database never says "locked" and no transaction runs into another (which would show as an
error and an apology), and what was stored adds up.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import texts
from bot.settings import Settings
from tests.bot.helpers import running
from tests.support.bot_process import database_rows
from tests.support.classes import make_class
from tests.support.telegram_standin import TelegramStandIn

CHATS = range(5000, 5020)
PER_CHAT = 10
UPLOAD_AT = (0, 4, 8)  # the rest are /remove commands
_ANSWER_ID = re.compile(r"^Test (\d+) \(|^There is no test (\d+) ")


def _expected(step: int) -> int:
    """What identifies the answer to a chat's `step`-th update: a test number either way."""
    return step + 1 if step in UPLOAD_AT else 100 + step


async def test_200_overlapping_updates_from_20_chats_are_answered_in_each_chats_order(
    tg: TelegramStandIn,
    tmp_path: Path,
    make_settings: Callable[..., Settings],
    caplog: pytest.LogCaptureFixture,
) -> None:
    files = make_class("google_forms", people=8, tests=len(UPLOAD_AT), seed=71).files
    for chat in CHATS:
        tg.add_user(chat, f"Pupil{chat}")
    caplog.set_level(logging.INFO)
    async with running(make_settings(workers=2)) as _:
        started = time.monotonic()
        for step in range(PER_CHAT):  # chat after chat, step after step: all overlapping
            for chat in CHATS:
                if step in UPLOAD_AT:
                    file = files[UPLOAD_AT.index(step)]
                    tg.send_document(chat, file.name, file.data, caption=f"Test {step + 1}")
                else:
                    tg.send_text(chat, f"/remove {_expected(step)}")
        await tg.wait_for(
            lambda _: sum(1 for m in tg.sent if m.chat_id in CHATS) >= len(CHATS) * PER_CHAT,
            timeout=60,
            describe="an answer to every update",
        )
        took = time.monotonic() - started
    print(f"200 updates from 20 chats answered in {took:.1f} s")

    expected = [_expected(step) for step in range(PER_CHAT)]
    for chat in CHATS:
        answers = [m.shown for m in tg.messages_to(chat)]
        assert [_answer_id(text) for text in answers] == expected, (chat, answers)
    assert not [m for m in tg.sent if texts.APOLOGY in m.shown]
    for trouble in ("database is locked", "within a transaction", "no transaction is active"):
        assert trouble not in caplog.text  # messages and tracebacks alike
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]

    def count(sql: str) -> int:
        return int(database_rows(tmp_path, sql)[0][0])

    assert count("SELECT count(*) FROM uploads") == len(CHATS) * len(UPLOAD_AT)
    assert count("SELECT count(*) FROM audit_log WHERE action = 'upload'") == 60
    assert count("SELECT count(*) FROM inbox WHERE handled_at IS NOT NULL") == 200
    assert database_rows(tmp_path, "PRAGMA integrity_check") == [("ok",)]


def _answer_id(text: str) -> int | None:
    match = _ANSWER_ID.match(text)
    return None if match is None else int(match.group(1) or match.group(2))
