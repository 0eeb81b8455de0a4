"""A file the checks accept but a worker cannot afford: past the memory ceiling or the time
limit the worker is killed and replaced, the person is told the file is too big or too complex,
other chats are served meanwhile, and the next ordinary upload is read as usual."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest

from bot.settings import Settings
from compiler.model import TestNumber, UploadedFile
from compiler.pipeline import inspect_file
from tests.bot.helpers import OTHER_TEACHER, TEACHER, command, running, send_file
from tests.hostile.odd import stray_cell_export, unpositioned_cells
from tests.support.classes import make_class
from tests.support.telegram_standin import TelegramStandIn

TOO_BIG = "too big or too complex for me to read"


def ordinary_upload() -> UploadedFile:
    return make_class("google_forms", 8, 1, seed=21).files[0]


def test_the_costly_files_are_legitimate_within_the_usual_limits() -> None:
    # Refused below only for the small ceiling and limit the tests set, not by any check.
    (summary,) = inspect_file(
        UploadedFile("stray cell.xlsx", stray_cell_export()), TestNumber(1, "")
    )
    assert summary.participants == 4


async def test_a_file_needing_more_memory_than_a_worker_has_is_refused_and_the_worker_replaced(
    tg: TelegramStandIn,
    make_settings: Callable[..., Settings],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.workers")
    async with running(make_settings(worker_memory_mb=256)):
        costly = UploadedFile("stray cell.xlsx", stray_cell_export())
        reply = await send_file(tg, TEACHER, costly, expect=TOO_BIG)
        assert reply.text.startswith("stray cell.xlsx: ")
        assert reply.text.endswith("I kept nothing from this file.")
        assert "replacing the pool" in caplog.text
        await send_file(tg, TEACHER, ordinary_upload(), expect="Test 1")
        await command(tg, TEACHER, "/status", "1 test in this chat")


async def test_a_file_taking_longer_than_the_limit_is_refused_while_others_are_served(
    tg: TelegramStandIn,
    make_settings: Callable[..., Settings],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.workers")
    slow = unpositioned_cells()  # about 15 s of parsing, on this machine
    async with running(make_settings(parse_timeout_s=2)):
        since, started = tg.mark(), time.monotonic()
        tg.send_document(TEACHER, "slow.xlsx", slow)
        helped = await command(tg, OTHER_TEACHER, "/help", "/compile")
        refused = await tg.wait_for_text(TEACHER, TOO_BIG, since=since, timeout=30)
        assert refused.text.startswith("slow.xlsx: ")
        assert helped.at < refused.at  # the other chat did not wait for the slow file
        assert time.monotonic() - started < 10  # stopped at the limit, not run to the end
        assert "passed its 2 s limit; replacing the pool" in caplog.text
        await send_file(tg, TEACHER, ordinary_upload(), expect="Test 1")
        await command(tg, TEACHER, "/status", "1 test in this chat")
