"""The session commands: /start, /help, /status, /remove, /reset, /settings."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot import texts
from bot.context import BotContext
from bot.handlers.questions import ask_for_pass_mark
from bot.usecases.grading import compare_policies_now
from bot.usecases.people import remove_roster
from bot.usecases.session import (
    change_settings,
    chat_settings,
    remove_test,
    reset_chat,
    session_status,
)
from compiler import DUPLICATE_RULES, LETTER_SCALES, POLICIES
from storage import NO_LETTERS, ChatSettings

PASS_MARKS = (40, 50, 60, 70)
OTHER_PASS_MARK = "set:pass:other"  # noqa: S105  # then the next number sent is the pass mark
DROP_LOWEST = (0, 1, 2)
NO_LETTERS_BUTTON = "none"


async def on_help(update: Update, context: BotContext) -> None:
    """What the bot does and its commands."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.HELP)


async def on_status(update: Update, context: BotContext) -> None:
    """The session: tests, files, participants, warnings, what is missing, the settings."""
    message = update.effective_message
    assert message is not None
    status = await session_status(context.services, message.chat_id)
    await message.reply_text(
        texts.status(status.summaries, status.settings, status.roster, status.answers)
    )


async def on_remove(update: Update, context: BotContext) -> None:
    """Drop one test from the session (/remove N), or the class roster (/remove roster)."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    actor = message.from_user.id if message.from_user else None
    if [arg.casefold() for arg in args] == ["roster"]:
        removed = await remove_roster(context.services, message.chat_id, actor)
        await message.reply_text(texts.roster_removed(removed))
        return
    if len(args) != 1 or not args[0].isdigit():
        await message.reply_text(texts.REMOVE_USAGE)
        return
    if await remove_test(context.services, message.chat_id, int(args[0]), actor):
        await message.reply_text(texts.test_removed(args[0]))
    else:
        await message.reply_text(texts.no_such_test(args[0]))


async def on_reset(update: Update, context: BotContext) -> None:
    """Ask to confirm before clearing the session."""
    message = update.effective_message
    assert message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(texts.RESET_YES, callback_data="reset:yes"),
                InlineKeyboardButton(texts.RESET_NO, callback_data="reset:no"),
            ]
        ]
    )
    await message.reply_text(texts.RESET_QUESTION, reply_markup=keyboard)


async def on_reset_answer(update: Update, context: BotContext) -> None:
    """The reset button: clear the session, or leave it."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    if query.data != "reset:yes":
        await query.edit_message_text(texts.NOTHING_DELETED)
        return
    removal = await reset_chat(context.services, query.message.chat.id, query.from_user.id)
    await query.edit_message_text(texts.reset_done(removal))


async def on_settings(update: Update, context: BotContext) -> None:
    """Show the settings with buttons to change them."""
    message = update.effective_message
    assert message is not None
    settings = await chat_settings(context.services, message.chat_id)
    counts = await compare_policies_now(context.services, message.chat_id, settings)
    await message.reply_text(
        texts.settings(settings, counts), reply_markup=_settings_keyboard(settings)
    )


async def on_settings_choice(update: Update, context: BotContext) -> None:
    """A settings button: store the choice for this chat and redraw."""
    query = update.callback_query
    assert query is not None and query.message is not None and query.data is not None
    if query.data == OTHER_PASS_MARK and isinstance(query.message, Message):
        await query.answer()
        await ask_for_pass_mark(query.message, context)
        return
    change = settings_change(query.data)
    if not change:
        await query.answer(texts.CHOICE_GONE)
        return
    settings = await change_settings(
        context.services, query.message.chat.id, query.from_user.id, change
    )
    await query.answer(texts.SAVED)
    counts = await compare_policies_now(context.services, query.message.chat.id, settings)
    await query.edit_message_text(
        texts.settings(settings, counts), reply_markup=_settings_keyboard(settings)
    )


def settings_change(data: str) -> dict[str, object]:
    """The change a settings button's data asks for (`set:policy:average`, `set:pass:60`,
    `set:drop:1`, `set:letters:uk`, `set:letters:none`); empty for data no button offers now
    (an old button, or data sent by hand) and for the "other pass mark" button."""
    _, _, rest = data.partition(":")
    field, _, value = rest.partition(":")
    if field == "policy" and value in POLICIES:
        return {"policy": value}
    if field == "duplicates" and value in DUPLICATE_RULES:
        return {"duplicates": value}
    if field == "pass" and value.isdecimal() and len(value) < 4 and int(value) in PASS_MARKS:
        return {"pass_mark": float(value)}
    if field == "drop" and value.isdecimal() and len(value) < 2 and int(value) in DROP_LOWEST:
        return {"drop_lowest": int(value)}
    if field == "letters" and value == NO_LETTERS_BUTTON:
        return {"letters": NO_LETTERS}
    if field == "letters" and value in LETTER_SCALES:
        return {"letters": value}
    return {}


def _settings_keyboard(settings: ChatSettings) -> InlineKeyboardMarkup:
    other_mark = None if settings.pass_mark in PASS_MARKS else settings.pass_mark
    letters = settings.letters

    def button(label: str, data: str, chosen: bool) -> InlineKeyboardButton:
        return InlineKeyboardButton(texts.choice_button(label, chosen), callback_data=data)

    return InlineKeyboardMarkup(
        [
            [button(p, f"set:policy:{p}", p == settings.policy) for p in POLICIES],
            [
                button(texts.duplicates_button(r), f"set:duplicates:{r}", r == settings.duplicates)
                for r in DUPLICATE_RULES
            ],
            [
                *(
                    button(texts.pass_mark_button(m), f"set:pass:{m}", m == settings.pass_mark)
                    for m in PASS_MARKS
                ),
                button(
                    texts.other_pass_mark_button(other_mark),
                    OTHER_PASS_MARK,
                    other_mark is not None,
                ),
            ],
            [
                button(texts.drop_button(n), f"set:drop:{n}", n == settings.drop_lowest)
                for n in DROP_LOWEST
            ],
            [
                button(texts.NO_LETTERS_BUTTON, f"set:letters:{NO_LETTERS_BUTTON}", not letters),
                *(
                    button(texts.letters_button(name), f"set:letters:{name}", name == letters)
                    for name in LETTER_SCALES
                ),
            ],
        ]
    )
