"""/compile: ask the use cases whether the session is ready, compile, deliver, record."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from telegram import Update
from telegram.constants import ChatAction

from bot import texts
from bot.context import BotContext
from bot.handlers.questions import ask_for_maximum
from bot.usecases.compiling import (
    CompiledSession,
    EmptySession,
    MaximumMissing,
    compile_chat,
    plan_compile,
    record_compile,
)


async def on_compile(update: Update, context: BotContext) -> None:
    """Merge the session's files in a worker and send the workbook and its picture."""
    message = update.effective_message
    assert message is not None
    svc, chat_id = context.services, message.chat_id
    plan = await plan_compile(svc, chat_id)
    if isinstance(plan, EmptySession):
        await message.reply_text(texts.NOTHING_UPLOADED)
        return
    if isinstance(plan, MaximumMissing):
        await ask_for_maximum(message, context, plan.summary)
        return
    if plan.worth_announcing:
        await message.reply_text(texts.compiling(plan.tests, plan.rows))
    async with _showing(context, chat_id, ChatAction.UPLOAD_DOCUMENT):
        compiled = await compile_chat(svc, chat_id, plan)
    if not isinstance(compiled, CompiledSession):
        await message.reply_text(texts.compile_not_done(compiled))
        return
    await message.reply_document(
        document=compiled.result.workbook,
        filename=texts.workbook_name(compiled.started),
        caption=texts.compile_caption(compiled.result.report),
    )
    actor = message.from_user.id if message.from_user else None
    await record_compile(svc, chat_id, actor, compiled)
    if compiled.picture:  # after the record: the workbook, the part that matters, went out
        await message.reply_photo(photo=compiled.picture)


@contextlib.asynccontextmanager
async def _showing(context: BotContext, chat_id: int, action: str) -> AsyncIterator[None]:
    """Keep a chat action visible (Telegram shows one for 5 s) while work goes on."""

    async def repeat() -> None:
        while True:
            with contextlib.suppress(Exception):
                await context.bot.send_chat_action(chat_id, action)
            await asyncio.sleep(4.5)

    task = asyncio.create_task(repeat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
