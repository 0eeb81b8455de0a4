"""Admins' use cases: who may use the admin commands, broadcasts' recipients, the figures."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.usecases.backend import Backend
from storage import AuditAction, Broadcast, Stats

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AdminRequest:
    """Who asks for an admin command, from where, and whether they only forwarded it."""

    command: str
    user_id: int | None
    chat_id: int | None
    chat_type: str | None
    forwarded: bool


async def admin_allowed(backend: Backend, request: AdminRequest) -> bool:
    """True for an admin in a private chat, writing (not forwarding); else audit the refusal."""
    if (
        request.user_id is not None
        and request.user_id in backend.settings.admin_ids
        and request.chat_type == "private"
        and not request.forwarded
    ):
        return True
    log.info("admin command refused: %s user=%s", request.command, request.user_id)
    await backend.db.audit.record(
        request.user_id,
        request.chat_id,
        AuditAction.ADMIN_REFUSED,
        {
            "command": request.command,
            "forwarded": request.forwarded,
            "chat_type": request.chat_type,
        },
    )
    return False


async def broadcast_recipients(backend: Backend) -> int:
    """How many chats a broadcast would reach now: those that have not blocked the bot."""
    return len(await backend.db.chats.writable_ids())


async def create_broadcast(backend: Backend, admin_id: int, html: str) -> Broadcast:
    """Store a broadcast with one pending delivery per chat the bot may write to."""
    recipients = await backend.db.chats.writable_ids()
    return await backend.db.broadcasts.create(admin_id, html, recipients)


async def bot_stats(backend: Backend) -> Stats:
    """The figures of /stats, all read from one snapshot."""
    return await backend.db.stats()
