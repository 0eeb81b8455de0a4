"""The grading commands: /weights to see, set and clear what each test counts; /letters for the
letter scale, a preset or one's own."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import BotContext
from bot.usecases.grading import (
    LettersRefused,
    clear_weights,
    parse_weights,
    set_letters,
    set_weights,
    show_weights,
)
from bot.usecases.session import chat_settings


async def on_weights(update: Update, context: BotContext) -> None:
    """`/weights` shows them, `/weights 1=1 3=2` sets some, `/weights clear` forgets them."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    actor = message.from_user.id if message.from_user else None
    if not args:
        await message.reply_text(
            texts.weights(await show_weights(context.services, message.chat_id))
        )
        return
    if [a.lower() for a in args] == ["clear"]:
        cleared = await clear_weights(context.services, message.chat_id, actor)
        await message.reply_text(texts.weights(cleared, cleared=True))
        return
    given = parse_weights(args)
    if given is None:
        await message.reply_text(texts.WEIGHTS_USAGE)
        return
    done = await set_weights(context.services, message.chat_id, actor, given)
    await message.reply_text(texts.weights(done, saved=True))


async def on_letters(update: Update, context: BotContext) -> None:
    """`/letters` shows the scale; `/letters uk`, `/letters A=70,B=60,F=0` or `none` sets it."""
    message = update.effective_message
    assert message is not None
    text = " ".join(context.args or [])
    if not text:
        settings = await chat_settings(context.services, message.chat_id)
        await message.reply_text(texts.letters_shown(settings))
        return
    actor = message.from_user.id if message.from_user else None
    done = await set_letters(context.services, message.chat_id, actor, text)
    if isinstance(done, LettersRefused):
        await message.reply_text(done.reason)
        return
    await message.reply_text(texts.letters_kept(done))
