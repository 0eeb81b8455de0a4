"""The admins' use cases over a real database: who may, a broadcast's recipients, the figures."""

from __future__ import annotations

from bot.usecases.admin import (
    AdminRequest,
    admin_allowed,
    bot_stats,
    broadcast_recipients,
    create_broadcast,
)
from bot.usecases.backend import Backend
from bot.usecases.uploads import take_upload
from storage import AuditAction, ChatKind
from tests.bot.usecases.helpers import ADMIN, CHAT, TEACHER, Fetcher, incoming
from tests.support.classes import make_class


def asking(
    user_id: int | None, chat_type: str | None = "private", *, forwarded: bool = False
) -> AdminRequest:
    """/stats from `user_id`, in a chat of `chat_type` (None: no chat at all)."""
    chat_id = None if chat_type is None else (user_id if chat_type == "private" else -100)
    return AdminRequest("stats", user_id, chat_id, chat_type, forwarded)


async def test_only_an_admin_writing_in_private_may_and_each_refusal_is_audited(
    backend: Backend,
) -> None:
    assert await admin_allowed(backend, asking(ADMIN))
    refused = [
        asking(TEACHER),
        asking(ADMIN, "group"),
        asking(ADMIN, forwarded=True),
        asking(None, None),
    ]
    for request in refused:
        assert not await admin_allowed(backend, request)
    entries = [e for e in await backend.db.audit.recent() if e.action is AuditAction.ADMIN_REFUSED]
    assert len(entries) == len(refused)
    assert {e.actor_id for e in entries} == {TEACHER, ADMIN, None}
    assert entries[-1].details == {"command": "stats", "forwarded": False, "chat_type": "private"}
    assert entries[0].chat_id is None and entries[1].chat_id == ADMIN  # newest first


async def test_a_broadcast_goes_to_every_chat_that_has_not_blocked_the_bot(
    backend: Backend,
) -> None:
    for chat_id in (1, 2, 3):
        await backend.db.chats.touch(chat_id, ChatKind.PRIVATE, None)
    await backend.db.chats.mark_blocked(2)
    assert await broadcast_recipients(backend) == 3  # CHAT, 1 and 3
    broadcast = await create_broadcast(backend, ADMIN, "<b>Hello</b>")
    deliveries = await backend.db.broadcasts.pending_deliveries(broadcast.id)
    assert sorted(d.chat_id for d in deliveries) == sorted([CHAT, 1, 3])
    assert broadcast.text == "<b>Hello</b>" and broadcast.admin_id == ADMIN


async def test_the_stats_count_what_the_database_holds(backend: Backend) -> None:
    for update_id, file in enumerate(make_class("surveyheart", 6, 2, seed=21).files, start=1):
        await take_upload(backend, incoming(file, update_id), Fetcher(file.data))
    stats = await bot_stats(backend)
    assert (stats.chats_total, stats.sessions_with_files, stats.uploads_active) == (1, 1, 2)
