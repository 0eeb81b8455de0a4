"""The questions the bot asks: "Test 4: out of how many marks?", "Which pass mark?", and plain
text in general. One is pending at a time; the next number sent answers it (a maximum also by
a button: the likely maxima from the highest mark in the file)."""

from __future__ import annotations

import re

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot import texts
from bot.context import AskedMaximum, AskedPassMark, BotContext
from bot.usecases.session import change_settings, give_maximum
from compiler import ExportSummary

MAXIMUM_CALLBACK = "max:"
# Maxima tests are commonly out of; a button offers those at or above the highest mark seen.
_ROUND_MAXIMA = (5, 10, 12, 15, 20, 25, 30, 40, 50, 60, 80, 100)
_MAXIMA_OFFERED = 4
_NUMBER = re.compile(r"^\s*(?:out of\s*)?(\d+(?:[.,]\d+)?)\s*(?:marks?|points?)?\s*$", re.I)
_PASS_MARK = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{1,2})?)\s*%?\s*$")


async def ask_for_maximum(message: Message, context: BotContext, test: ExportSummary) -> None:
    """Ask for a test's maximum, naming its column; the next number the person sends answers
    it, or a button of the likely maxima."""
    context.chat_state.question = AskedMaximum(test.test.number)
    choices = maximum_choices(test.highest_points)
    keyboard = (
        InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        texts.maximum_button(choice),
                        callback_data=f"{MAXIMUM_CALLBACK}{test.test.number}:{choice:g}",
                    )
                    for choice in choices
                ]
            ]
        )
        if choices
        else None
    )
    await message.reply_text(texts.ask_maximum(test, bool(choices)), reply_markup=keyboard)


def maximum_choices(highest: float | None) -> list[float]:
    """The maxima a button offers for a test whose highest mark is `highest`: that mark itself
    when whole (somebody got full marks), then the round maxima above it; none when unknown,
    or above 100 (the teacher types it)."""
    if highest is None or highest <= 0 or highest > _ROUND_MAXIMA[-1]:
        return []
    choices = [float(highest)] if float(highest).is_integer() else []
    choices += [float(m) for m in _ROUND_MAXIMA if m > highest]
    return choices[:_MAXIMA_OFFERED]


async def on_maximum_button(update: Update, context: BotContext) -> None:
    """A maximum's button: kept as if typed, while the question is the one pending."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    parsed = _maximum_button(query.data)
    pending = context.chat_state.question
    if parsed is None or pending != AskedMaximum(parsed[0]):
        await query.answer(texts.MAXIMUM_NO_LONGER_ASKED)
        await _without_buttons(query)
        return
    test, maximum = parsed
    await give_maximum(context.services, query.message.chat.id, query.from_user.id, test, maximum)
    context.chat_state.question = None
    await query.answer(texts.SAVED)
    await _without_buttons(query)
    await context.bot.send_message(query.message.chat.id, texts.maximum_kept(test, maximum))


async def _without_buttons(query: CallbackQuery) -> None:
    """The question's buttons taken away (already gone: a replayed press changes nothing)."""
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


def _maximum_button(data: str) -> tuple[int, float] | None:
    """`max:4:20` -> (4, 20.0); None for data no button of ours carries."""
    test, _, value = data.removeprefix(MAXIMUM_CALLBACK).partition(":")
    if not (test.isascii() and test.isdecimal()) or len(test) > 6:
        return None
    maximum = parse_maximum(value)
    return None if maximum is None else (int(test), maximum)


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
