"""Admins' tools: /broadcast (with a preview and a confirm button) and /stats."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from bot import __version__, texts
from bot.context import BotContext
from bot.services import Services
from bot.usecases.admin import (
    AdminRequest,
    admin_allowed,
    bot_stats,
    broadcast_recipients,
    create_broadcast,
)

_COMMAND = re.compile(r"^/broadcast(@\w+)?\s*", re.IGNORECASE)


async def _allowed(update: Update, context: BotContext, command: str) -> bool:
    """True for an admin in a private chat, writing (not forwarding); else refuse."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    request = AdminRequest(
        command=command,
        user_id=user.id if user else None,
        chat_id=chat.id if chat else None,
        chat_type=chat.type if chat else None,
        forwarded=message is not None and message.forward_origin is not None,
    )
    if await admin_allowed(context.services, request):
        return True
    if update.callback_query is not None:
        await update.callback_query.answer(texts.ADMINS_ONLY)
    elif message is not None:
        await message.reply_text(texts.ADMINS_ONLY_HERE)
    return False


async def on_broadcast(update: Update, context: BotContext) -> None:
    """Preview a broadcast and ask to confirm; or cancel the one under way."""
    if not await _allowed(update, context, "broadcast"):
        return
    message = update.effective_message
    assert message is not None
    svc = context.services
    if (context.args or []) == ["cancel"]:
        await _cancel_running(message, svc)
        return
    text = _broadcast_html(message)
    if not text:
        await message.reply_text(texts.BROADCAST_USAGE)
        return
    recipients = await broadcast_recipients(svc)
    context.chat_state.broadcast_draft = text
    await message.reply_text(texts.broadcast_goes_to(recipients))
    await message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(
            [[
                InlineKeyboardButton(texts.send_to(recipients), callback_data="bc:send"),
                InlineKeyboardButton(texts.CANCEL, callback_data="bc:cancel"),
            ]]
        ),
    )  # fmt: skip


def _broadcast_html(message: Message) -> str:
    """The text to send, as HTML: the replied-to message's, or what follows the command."""
    source = message.reply_to_message
    if source is not None:
        return (source.text_html if source.text else source.caption_html or "").strip()
    return _COMMAND.sub("", message.text_html or "", count=1).strip()


async def on_broadcast_answer(update: Update, context: BotContext) -> None:
    """The confirm / cancel button under a broadcast preview."""
    query = update.callback_query
    assert query is not None
    if not await _allowed(update, context, "broadcast"):
        return
    text, context.chat_state.broadcast_draft = context.chat_state.broadcast_draft, None
    await query.answer()
    await query.edit_message_reply_markup(None)
    chat_id = query.from_user.id  # admins act in their private chat only
    if query.data != "bc:send" or text is None:
        await context.bot.send_message(chat_id, texts.NOTHING_SENT)
        return
    svc = context.services
    broadcast = await create_broadcast(svc, query.from_user.id, text)
    svc.broadcaster.start(broadcast.id, report_to=chat_id)


async def _cancel_running(message: Message, svc: Services) -> None:
    running = svc.broadcaster.running
    if not running:
        await message.reply_text(texts.NO_BROADCAST_RUNNING)
        return
    left = sum([await svc.broadcaster.cancel(b) for b in running])
    await message.reply_text(texts.broadcast_stopped(left))


async def on_stats(update: Update, context: BotContext) -> None:
    """The state of the bot, for admins."""
    if not await _allowed(update, context, "stats"):
        return
    message = update.effective_message
    assert message is not None
    svc = context.services
    stats = await bot_stats(svc)
    uptime = datetime.now(UTC) - svc.started_at
    await message.reply_text(texts.stats(stats, uptime.total_seconds(), __version__))
