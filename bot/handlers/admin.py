"""Admins' tools: /broadcast (with a preview and a confirm button) and /stats."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from bot import __version__, texts
from bot.context import BotContext
from bot.services import Services
from storage import AuditAction, DeliveryState

log = logging.getLogger(__name__)
_COMMAND = re.compile(r"^/broadcast(@\w+)?\s*", re.IGNORECASE)
USAGE = (
    "Write /broadcast followed by the message, or reply /broadcast to the message to send "
    "(its formatting is kept). /broadcast cancel stops one under way."
)


async def admin_allowed(update: Update, context: BotContext, what: str) -> bool:
    """True for an admin in a private chat, writing (not forwarding); else refuse and audit."""
    svc = context.services
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    forwarded = message is not None and message.forward_origin is not None
    if (
        user is not None
        and user.id in svc.settings.admin_ids
        and chat is not None
        and chat.type == "private"
        and not forwarded
    ):
        return True
    log.info("admin command refused: %s user=%s", what, user.id if user else None)
    await svc.db.audit.record(
        user.id if user else None,
        chat.id if chat else None,
        AuditAction.ADMIN_REFUSED,
        {"command": what, "forwarded": forwarded, "chat_type": chat.type if chat else None},
    )
    if update.callback_query is not None:
        await update.callback_query.answer("Only the bot's admins can do that.")
    elif message is not None:
        await message.reply_text(
            "Only the bot's admins can do that, and only in a private chat with me."
        )
    return False


async def on_broadcast(update: Update, context: BotContext) -> None:
    """Preview a broadcast and ask to confirm; or cancel the one under way."""
    if not await admin_allowed(update, context, "broadcast"):
        return
    message = update.effective_message
    assert message is not None
    svc = context.services
    if (context.args or []) == ["cancel"]:
        await _cancel_running(message, svc)
        return
    text = _broadcast_html(message)
    if not text:
        await message.reply_text(USAGE)
        return
    recipients = len(await svc.db.chats.writable_ids())
    context.chat_state.broadcast_draft = text
    await message.reply_text(f"This goes to {recipients} chats:")
    await message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(
            [[
                InlineKeyboardButton(f"Send to {recipients} chats", callback_data="bc:send"),
                InlineKeyboardButton("Cancel", callback_data="bc:cancel"),
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
    if not await admin_allowed(update, context, "broadcast"):
        return
    text, context.chat_state.broadcast_draft = context.chat_state.broadcast_draft, None
    await query.answer()
    await query.edit_message_reply_markup(None)
    chat_id = query.from_user.id  # admins act in their private chat only
    if query.data != "bc:send" or text is None:
        await context.bot.send_message(chat_id, "Nothing was sent.")
        return
    svc = context.services
    recipients = await svc.db.chats.writable_ids()
    broadcast = await svc.db.broadcasts.create(query.from_user.id, text, recipients)
    svc.broadcaster.start(broadcast.id, report_to=chat_id)


async def _cancel_running(message: Message, svc: Services) -> None:
    running = svc.broadcaster.running
    if not running:
        await message.reply_text("No broadcast is under way.")
        return
    left = sum([await svc.broadcaster.cancel(b) for b in running])
    await message.reply_text(f"Stopped: {texts.plural(left, 'chat')} will not get it.")


async def on_stats(update: Update, context: BotContext) -> None:
    """The state of the bot, for admins."""
    if not await admin_allowed(update, context, "stats"):
        return
    message = update.effective_message
    assert message is not None
    svc = context.services
    s = await svc.db.stats()
    uptime = datetime.now(UTC) - svc.started_at
    median = (
        f"{s.median_compile_seconds_7d:.1f} s" if s.median_compile_seconds_7d is not None else "-"
    )
    lines = [
        f"Chats: {s.chats_total} (active in 7 days {s.chats_active_7d}, blocked {s.chats_blocked})",
        f"Sessions with files: {s.sessions_with_files}",
        f"Uploads: {s.uploads_active} in sessions, {s.uploads_replaced} replaced; "
        f"{s.bytes_stored / 1024 / 1024:.1f} MB stored",
        f"Compiles: {s.compiles_24h} in 24 hours, {s.compiles_7d} in 7 days (median {median})",
        f"Database: {s.database_bytes / 1024 / 1024:.1f} MB, integrity {s.integrity}",
        f"Uptime: {_duration(uptime.total_seconds())}, version {__version__}",
    ]
    last = s.last_broadcast
    if last is None:
        lines.append("Last broadcast: none")
    else:
        state = "finished" if last.broadcast.finished_at else "under way"
        lines.append(
            f"Last broadcast: {last.broadcast.created_at:%Y-%m-%d %H:%M} UTC, {state}: "
            f"sent {last.count(DeliveryState.SENT)}, blocked {last.count(DeliveryState.BLOCKED)}, "
            f"failed {last.count(DeliveryState.FAILED)} of {last.total}"
        )
    await message.reply_text("\n".join(lines))


def _duration(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86_400)
    hours, rest = divmod(rest, 3_600)
    return (f"{days} d " if days else "") + f"{hours} h {rest // 60} min"
