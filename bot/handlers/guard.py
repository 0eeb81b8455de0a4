"""Runs before every handler: remember the chat, refuse floods; and the error handler."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot import texts
from bot.context import BotContext
from bot.usecases.session import note_chat
from storage import ChatKind

log = logging.getLogger(__name__)


async def track_update(update: Update, context: BotContext) -> None:
    """Note the chat and the time; stop a person who sends too much, warning them once.

    Noting the chat is bookkeeping: when the database refuses the write, the update is still
    handled, so reads keep working and a file is refused with a plain "not saved".
    """
    svc = context.services
    svc.last_update_at = datetime.now(UTC)
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    if user is not None:
        verdict = svc.limiter.check(user.id)
        if verdict != "allow":
            log.info("flood chat=%s user=%s verdict=%s", chat.id, user.id, verdict)
            if verdict == "warn" and update.effective_message is not None:
                await update.effective_message.reply_text(texts.SLOW_DOWN)
            raise ApplicationHandlerStop
    await note_chat(svc, chat.id, ChatKind.from_telegram(chat.type), chat.title)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with the update's ids; tell the person plainly."""
    error = context.error
    ids = ""
    if isinstance(update, Update):
        chat = update.effective_chat
        ids = f" update={update.update_id} chat={chat.id if chat else None}"
    log.error("handler failed%s: %s", ids, type(error).__name__, exc_info=error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(texts.APOLOGY)
        except Exception:
            log.warning("could not send the apology%s", ids)
