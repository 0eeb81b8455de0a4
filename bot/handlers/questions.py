"""The questions the bot asks: "Test 4: out of how many marks?", "Which pass mark?", and plain
text in general. One is pending at a time; the next number sent answers it."""

from __future__ import annotations

import re

from telegram import Message, Update

from bot import texts
from bot.context import AskedMaximum, AskedPassMark, BotContext
from bot.usecases.session import change_settings, give_maximum
from compiler import ExportSummary

_NUMBER = re.compile(r"^\s*(?:out of\s*)?(\d+(?:[.,]\d+)?)\s*(?:marks?|points?)?\s*$", re.I)
_PASS_MARK = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?\s*$")


async def ask_for_maximum(message: Message, context: BotContext, test: ExportSummary) -> None:
    """Ask for a test's maximum, naming its column; the next number the person sends answers it."""
    context.chat_state.question = AskedMaximum(test.test.number)
    await message.reply_text(texts.ask_maximum(test))


async def ask_for_pass_mark(message: Message, context: BotContext) -> None:
    """Ask for a pass mark; the next number the person sends answers it."""
    context.chat_state.question = AskedPassMark()
    await message.reply_text(texts.ASK_PASS_MARK)


def parse_maximum(text: str) -> float | None:
    """`20`, `20 marks`, `out of 12.5` -> the number; anything else -> None."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    return value if 0 < value <= 100_000 else None


def parse_pass_mark(text: str) -> float | None:
    """`55`, `55%`, `47.5` -> the number, when from 0 to 100; anything else -> None."""
    match = _PASS_MARK.match(text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    return value if 0 <= value <= 100 else None


async def on_text(update: Update, context: BotContext) -> None:
    """An answer to the pending question, or a short hint."""
    message = update.effective_message
    assert message is not None and message.text is not None
    actor = message.from_user.id if message.from_user else None
    match context.chat_state.question:
        case None:
            await message.reply_text(texts.NOT_A_COMMAND)
        case AskedMaximum(test):
            maximum = parse_maximum(message.text)
            if maximum is None:
                await message.reply_text(texts.maximum_not_understood(test))
                return
            await give_maximum(context.services, message.chat_id, actor, test, maximum)
            context.chat_state.question = None
            await message.reply_text(texts.maximum_kept(test, maximum))
        case AskedPassMark():
            mark = parse_pass_mark(message.text)
            if mark is None:
                await message.reply_text(texts.PASS_MARK_NOT_UNDERSTOOD)
                return
            await change_settings(context.services, message.chat_id, actor, {"pass_mark": mark})
            context.chat_state.question = None
            await message.reply_text(texts.pass_mark_kept(mark))


async def on_cancel(update: Update, context: BotContext) -> None:
    """Drop any pending question."""
    message = update.effective_message
    assert message is not None
    asked, context.chat_state.question = context.chat_state.question, None
    await message.reply_text(texts.NO_QUESTION if asked is None else texts.QUESTION_DROPPED)
