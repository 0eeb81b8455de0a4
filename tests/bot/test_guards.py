"""The bot under pressure: floods, failing handlers, and other chats while one compiles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from telegram import Update
from telegram.ext import ContextTypes

from bot import texts
from bot.handlers import session
from bot.settings import Settings
from tests.bot.helpers import OTHER_TEACHER, TEACHER, command, running, send_file
from tests.support.classes import make_class, make_surveyheart_benchmark
from tests.support.telegram_standin import TelegramStandIn


async def test_a_flood_is_told_to_slow_down_once_and_not_served(
    tg: TelegramStandIn, make_settings: Callable[..., Settings]
) -> None:
    async with running(make_settings(updates_per_minute=5)):
        since = tg.mark()
        for n in range(8):
            tg.send_text(TEACHER, f"hello {n}")
        await tg.wait_for_text(TEACHER, texts.SLOW_DOWN, since=since, timeout=30)
        await tg.assert_nothing_sent(TEACHER, within=1.0, since=tg.mark())
        answers = [m.text for m in tg.messages_to(TEACHER) if m.updated_at >= since]
        assert answers.count(texts.NOT_A_COMMAND) == 5
        assert answers.count(texts.SLOW_DOWN) == 1
        await command(tg, OTHER_TEACHER, "/help", "/compile")  # others are still served


async def test_a_failing_handler_gets_an_apology_and_the_bot_goes_on(
    tg: TelegramStandIn,
    make_settings: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        raise RuntimeError("a bug in /status")

    monkeypatch.setattr(session, "on_status", broken)
    async with running(make_settings()):
        await command(tg, TEACHER, "/status", "Sorry, something went wrong")
        await command(tg, TEACHER, "/help", "/compile")


async def test_other_chats_are_answered_while_a_large_class_compiles(
    tg: TelegramStandIn, make_settings: Callable[..., Settings]
) -> None:
    async with running(make_settings(workers=2)):
        for file in make_surveyheart_benchmark(people=2000, tests=4):
            await send_file(tg, TEACHER, file, expect="Test ")
        since = tg.mark()
        tg.send_text(TEACHER, "/compile")
        await tg.wait_for_text(TEACHER, "Compiling 4 tests", since=since, timeout=30)
        helped = await command(tg, OTHER_TEACHER, "/help", "/compile")
        workbook = await tg.wait_for_document(TEACHER, since=since, timeout=120)
        # /help was answered while the compile was still running, not after it.
        assert helped.at < workbook.at


async def test_compile_with_nothing_uploaded_says_how_to_start(
    tg: TelegramStandIn, make_settings: Callable[..., Settings]
) -> None:
    async with running(make_settings()):
        reply = await command(tg, TEACHER, "/compile", "no files")
        assert "Send me your quiz exports" in reply.text


async def test_a_chats_updates_are_handled_in_order(
    tg: TelegramStandIn, make_settings: Callable[..., Settings]
) -> None:
    files = make_class("google_forms", 8, 3, seed=12).files
    async with running(make_settings(workers=2)):
        since = tg.mark()
        for file in files:
            tg.send_document(TEACHER, file.name, file.data)
        tg.send_text(TEACHER, "/status")
        status = await tg.wait_for_text(TEACHER, "tests in this chat", since=since, timeout=60)
        # /status came last, so it saw all three files, each acknowledged before it.
        assert "3 tests in this chat" in status.text
        acks = [m for m in tg.messages_to(TEACHER) if m.updated_at >= since and "(from" in m.shown]
        assert len(acks) == 3 and all(a.at < status.at for a in acks)
