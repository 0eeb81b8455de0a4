"""Shared pieces of the bot's end-to-end tests: people, running the bot, reading its output."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator

from openpyxl import load_workbook
from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings
from compiler.model import UploadedFile
from tests.support.telegram_standin import SentMessage, TelegramStandIn

TEACHER = 1001
OTHER_TEACHER = 1002
ADMIN = 9001
GROUP = -100_777


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run the bot in the order `run_polling` does, and stop it as SIGTERM would."""
    app = build_application(settings)
    assert app.post_init and app.post_stop and app.post_shutdown and app.updater
    await app.initialize()
    try:
        await app.post_init(app)
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_stop(app)
    finally:
        await app.shutdown()
        await app.post_shutdown(app)


async def send_file(
    tg: TelegramStandIn,
    chat_id: int,
    file: UploadedFile,
    *,
    expect: str = "",
    caption: str | None = None,
    user_id: int | None = None,
    chat_type: str | None = None,
) -> SentMessage:
    """Send one document and wait for the bot's answer to it (containing `expect`)."""
    since = tg.mark()
    tg.send_document(
        chat_id, file.name, file.data, caption=caption, user_id=user_id, chat_type=chat_type
    )
    return await tg.wait_for(
        lambda m: m.chat_id == chat_id and m.method == "sendMessage" and expect in m.shown,
        since=since,
        timeout=30,
        describe=f"the answer to {file.name!r} containing {expect!r}",
    )


async def command(
    tg: TelegramStandIn, chat_id: int, text: str, expect: str = "", **kwargs: object
) -> SentMessage:
    """Send a command or text and wait for an answer containing `expect`."""
    since = tg.mark()
    tg.send_text(chat_id, text, **kwargs)  # type: ignore[arg-type]
    return await tg.wait_for(
        lambda m: m.chat_id == chat_id and expect in m.shown,
        since=since,
        timeout=30,
        describe=f"an answer to {text!r} containing {expect!r}",
    )


async def compile_workbook(
    tg: TelegramStandIn, chat_id: int, text: str = "/compile", user_id: int | None = None
) -> SentMessage:
    """Send /compile and wait for the workbook."""
    since = tg.mark()
    tg.send_text(chat_id, text, user_id=user_id)
    return await tg.wait_for_document(chat_id, since=since, timeout=60)


def results_sheet(workbook: bytes) -> list[dict[str, object]]:
    """The Results sheet as one dict per row, keyed by the header."""
    book = load_workbook(io.BytesIO(workbook), read_only=True)
    rows = list(book["Results"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


async def meet_users(tg: TelegramStandIn, users: range) -> None:
    """Every user starts a private chat with the bot, so it knows them."""
    since = tg.mark()
    for user in users:
        tg.add_user(user, f"Pupil{user}")
        tg.send_text(user, "/start")
    for user in users:
        await tg.wait_for_text(user, "/compile", since=since, timeout=120)
