"""The session commands: /start, /help, /status, /compile, /remove, /reset, /settings."""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot import texts
from bot.context import BotContext
from bot.services import Services
from compiler import (
    DUPLICATE_RULES,
    POLICIES,
    CompileOptions,
    DuplicateRule,
    ExportSummary,
    summary_from_dict,
)
from storage import ChatSettings

log = logging.getLogger(__name__)
PASS_MARKS = (40, 50, 60, 70)


async def on_help(update: Update, context: BotContext) -> None:
    """What the bot does and its commands."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.HELP)


async def on_status(update: Update, context: BotContext) -> None:
    """The session: tests, files, participants, warnings, what is missing, the settings."""
    message = update.effective_message
    assert message is not None
    svc = context.services
    summaries = await session_summaries(svc, message.chat_id)
    settings = await svc.db.chats.get_settings(message.chat_id)
    await message.reply_text(texts.status(summaries, settings))


def chat_options(settings: ChatSettings) -> CompileOptions:
    """A chat's stored settings as the compiler's options (unknown names fall back)."""
    policy = POLICIES.get(settings.policy) or POLICIES["classic"]
    duplicates: DuplicateRule = next(
        (rule for rule in DUPLICATE_RULES if rule == settings.duplicates), "best"
    )
    return CompileOptions(
        policy=replace(policy, pass_mark=settings.pass_mark),
        duplicates=duplicates,
        out_of=dict(settings.out_of),
    )


async def on_remove(update: Update, context: BotContext) -> None:
    """Drop one test from the session: /remove N."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    if len(args) != 1 or not args[0].isdigit():
        await message.reply_text("Say which test to drop, for example: /remove 3")
        return
    svc = context.services
    actor = message.from_user.id if message.from_user else None
    removal = await svc.db.uploads.remove_test(message.chat_id, int(args[0]), actor)
    if removal.uploads == 0:
        await message.reply_text(f"There is no test {args[0]} in this chat. /status lists them.")
    else:
        await message.reply_text(f"Test {args[0]} is gone from this chat.")


async def on_reset(update: Update, context: BotContext) -> None:
    """Ask to confirm before clearing the session."""
    message = update.effective_message
    assert message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes, delete every file", callback_data="reset:yes"),
                InlineKeyboardButton("No, keep them", callback_data="reset:no"),
            ]
        ]
    )
    await message.reply_text(
        "Delete every file in this chat for good? Settings and past compiles stay.",
        reply_markup=keyboard,
    )


async def on_reset_answer(update: Update, context: BotContext) -> None:
    """The reset button: clear the session, or leave it."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    if query.data != "reset:yes":
        await query.edit_message_text("Nothing was deleted.")
        return
    svc = context.services
    removal = await svc.db.sessions.reset(query.message.chat.id, query.from_user.id)
    await query.edit_message_text(
        f"Done: {texts.plural(removal.uploads, 'file')} deleted. Send new files to start again."
    )


async def on_settings(update: Update, context: BotContext) -> None:
    """Show the settings with buttons to change them."""
    message = update.effective_message
    assert message is not None
    settings = await context.services.db.chats.get_settings(message.chat_id)
    await message.reply_text(_settings_text(settings), reply_markup=_settings_keyboard(settings))


async def on_settings_choice(update: Update, context: BotContext) -> None:
    """A settings button: store the choice for this chat and redraw."""
    query = update.callback_query
    assert query is not None and query.message is not None and query.data is not None
    change = settings_change(query.data)
    if not change:
        await query.answer("That choice is no longer offered.")
        return
    settings = await context.services.db.chats.update_settings(
        query.message.chat.id,
        query.from_user.id,
        **change,  # type: ignore[arg-type]
    )
    await query.answer("Saved.")
    await query.edit_message_text(
        _settings_text(settings), reply_markup=_settings_keyboard(settings)
    )


def settings_change(data: str) -> dict[str, object]:
    """The change a settings button's data asks for (`set:policy:average`, `set:pass:60`);
    empty for data no button offers now (an old button, or data sent by hand)."""
    _, _, rest = data.partition(":")
    field, _, value = rest.partition(":")
    if field == "policy" and value in POLICIES:
        return {"policy": value}
    if field == "duplicates" and value in DUPLICATE_RULES:
        return {"duplicates": value}
    if field == "pass" and value.isdecimal() and len(value) < 4 and int(value) in PASS_MARKS:
        return {"pass_mark": float(value)}
    return {}


def _settings_text(settings: ChatSettings) -> str:
    lines = ["Settings for this chat:"]
    for name, policy in POLICIES.items():
        mark = "✓" if name == settings.policy else " "
        lines.append(f"{mark} {name}: {policy.description}")
    lines.append(f"Repeated submissions: keep the {settings.duplicates} one.")
    lines.append(f"Pass mark: {settings.pass_mark:g}%.")
    return "\n".join(lines)


def _settings_keyboard(settings: ChatSettings) -> InlineKeyboardMarkup:
    def button(label: str, data: str, chosen: bool) -> InlineKeyboardButton:
        return InlineKeyboardButton(("✓ " if chosen else "") + label, callback_data=data)

    return InlineKeyboardMarkup(
        [
            [button(p, f"set:policy:{p}", p == settings.policy) for p in POLICIES],
            [
                button(f"keep {r}", f"set:duplicates:{r}", r == settings.duplicates)
                for r in DUPLICATE_RULES
            ],
            [button(f"pass {m}", f"set:pass:{m}", m == settings.pass_mark) for m in PASS_MARKS],
        ]
    )


async def session_summaries(svc: Services, chat_id: int) -> list[ExportSummary]:
    """The parse summaries of a chat's active uploads."""
    return [summary_from_dict(dict(u.summary)) for u in await svc.db.uploads.active(chat_id)]
