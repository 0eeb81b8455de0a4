"""The one question the bot asks: "Test 4: out of how many marks?", and plain text in general."""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot import texts
from bot.services import services

AWAITING_MAXIMUM = "awaiting_maximum"  # chat_data key: the test whose maximum was asked for
_NUMBER = re.compile(r"^\s*(?:out of\s*)?(\d+(?:[.,]\d+)?)\s*(?:marks?|points?)?\s*$", re.I)


async def ask_for_maximum(message: Message, context: ContextTypes.DEFAULT_TYPE, test: int) -> None:
    """Ask for a test's maximum; the next number the person sends answers it."""
    assert context.chat_data is not None
    context.chat_data[AWAITING_MAXIMUM] = test
    await message.reply_text(texts.ask_maximum(test))


def parse_maximum(text: str) -> float | None:
    """`20`, `20 marks`, `out of 12.5` -> the number; anything else -> None."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    value = float(match.group(1).replace(",", "."))
    return value if 0 < value <= 100_000 else None


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An answer to the pending question, or a short hint."""
    message = update.effective_message
    assert message is not None and message.text is not None and context.chat_data is not None
    test = context.chat_data.get(AWAITING_MAXIMUM)
    if test is None:
        await message.reply_text(texts.NOT_A_COMMAND)
        return
    maximum = parse_maximum(message.text)
    if maximum is None:
        await message.reply_text(
            f"I need just a number above 0: out of how many marks is test {test}? Or /cancel."
        )
        return
    svc = services(context)
    actor = message.from_user.id if message.from_user else None
    await svc.db.chats.update_settings(message.chat_id, actor, out_of={test: maximum})
    del context.chat_data[AWAITING_MAXIMUM]
    await message.reply_text(
        f"Test {test} is out of {maximum:g}. Send more files, or /compile when you are ready."
    )


async def on_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop any pending question."""
    message = update.effective_message
    assert message is not None and context.chat_data is not None
    if context.chat_data.pop(AWAITING_MAXIMUM, None) is None:
        await message.reply_text("There was no question pending.")
    else:
        await message.reply_text("All right, I dropped the question.")
