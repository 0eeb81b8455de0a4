"""The one question the bot asks: "Test 4: out of how many marks?", and plain text in general."""

from __future__ import annotations

import re

from telegram import Message, Update

from bot import texts
from bot.context import BotContext
from bot.usecases.session import give_maximum
from compiler import ExportSummary

_NUMBER = re.compile(r"^\s*(?:out of\s*)?(\d+(?:[.,]\d+)?)\s*(?:marks?|points?)?\s*$", re.I)


async def ask_for_maximum(message: Message, context: BotContext, test: ExportSummary) -> None:
    """Ask for a test's maximum, naming its column; the next number the person sends answers it."""
    context.chat_state.awaiting_maximum = test.test.number
    await message.reply_text(texts.ask_maximum(test))


def parse_maximum(text: str) -> float | None:
    """`20`, `20 marks`, `out of 12.5` -> the number; anything else -> None."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    return value if 0 < value <= 100_000 else None


async def on_text(update: Update, context: BotContext) -> None:
    """An answer to the pending question, or a short hint."""
    message = update.effective_message
    assert message is not None and message.text is not None
    test = context.chat_state.awaiting_maximum
    if test is None:
        await message.reply_text(texts.NOT_A_COMMAND)
        return
    maximum = parse_maximum(message.text)
    if maximum is None:
        await message.reply_text(texts.maximum_not_understood(test))
        return
    actor = message.from_user.id if message.from_user else None
    await give_maximum(context.services, message.chat_id, actor, test, maximum)
    context.chat_state.awaiting_maximum = None
    await message.reply_text(texts.maximum_kept(test, maximum))


async def on_cancel(update: Update, context: BotContext) -> None:
    """Drop any pending question."""
    message = update.effective_message
    assert message is not None
    asked, context.chat_state.awaiting_maximum = context.chat_state.awaiting_maximum, None
    await message.reply_text(texts.NO_QUESTION if asked is None else texts.QUESTION_DROPPED)
