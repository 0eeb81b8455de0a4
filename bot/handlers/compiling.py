"""/compile (and the "Compile again" button): ask the use cases whether the session is ready,
compile, deliver, record; then ask about the look-alike people the compile found."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction

from bot import texts
from bot.context import BotContext
from bot.handlers.people import send_questions
from bot.handlers.questions import ask_for_maximum
from bot.usecases.compiling import (
    CardsMade,
    CompiledSession,
    CompilePlan,
    EmptySession,
    MaximumMissing,
    compile_chat,
    make_cards,
    plan_compile,
    record_compile,
)

CARDS_CALLBACK = "cards:"
CARDS_KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton(texts.CARDS_BUTTON, callback_data=CARDS_CALLBACK)]]
)


async def _ready(message: Message, context: BotContext) -> CompilePlan | None:
    """The session's plan, or None after saying why it cannot be compiled now."""
    plan = await plan_compile(context.services, message.chat_id)
    if isinstance(plan, EmptySession):
        await message.reply_text(texts.NOTHING_UPLOADED)
        return None
    if isinstance(plan, MaximumMissing):
        await ask_for_maximum(message, context, plan.summary)
        return None
    return plan


async def on_compile(update: Update, context: BotContext) -> None:
    """Merge the session's files in a worker and send the workbook and its picture."""
    message = update.effective_message
    assert message is not None
    await _compile(message, context, message.from_user.id if message.from_user else None)


async def on_compile_again(update: Update, context: BotContext) -> None:
    """The "Compile again" button, once every question about people is answered: /compile."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if isinstance(query.message, Message):
        await query.edit_message_reply_markup(None)  # one compile per offer
        await _compile(query.message, context, query.from_user.id)


async def _compile(message: Message, context: BotContext, actor: int | None) -> None:
    """Compile, send the workbook, record it, send the picture, then ask about people."""
    svc, chat_id = context.services, message.chat_id
    plan = await _ready(message, context)
    if plan is None:
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
        caption=texts.compile_caption(compiled.result.report, compiled.changes),
        reply_markup=CARDS_KEYBOARD,
    )
    await record_compile(svc, chat_id, actor, compiled)
    if compiled.picture:  # after the record: the workbook, the part that matters, went out
        await message.reply_photo(photo=compiled.picture)
    await send_questions(message, context, compiled.result.report)


async def on_cards(update: Update, context: BotContext) -> None:
    """/cards: a printable PDF, a page per participant, for the session's files."""
    message = update.effective_message
    assert message is not None
    await _send_cards(message, context)


async def on_cards_button(update: Update, context: BotContext) -> None:
    """The report-cards button under a workbook: the same as /cards."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if isinstance(query.message, Message):
        await _send_cards(query.message, context)


async def _send_cards(message: Message, context: BotContext) -> None:
    plan = await _ready(message, context)
    if plan is None:
        return
    if plan.worth_announcing:
        await message.reply_text(texts.making_cards(plan.rows))
    async with _showing(context, message.chat_id, ChatAction.UPLOAD_DOCUMENT):
        made = await make_cards(context.services, message.chat_id, plan)
    if not isinstance(made, CardsMade):
        await message.reply_text(texts.compile_not_done(made))
        return
    await message.reply_document(
        document=made.pdf,
        filename=texts.cards_name(made.started),
        caption=texts.cards_caption(made.pages),
    )


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
