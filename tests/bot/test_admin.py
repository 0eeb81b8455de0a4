"""Admins: broadcasts that reach every chat once, refusals for everyone else, and /stats."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable

from telegram.ext import Application

from bot.services import Services
from bot.settings import Settings
from storage import AuditAction
from tests.bot.helpers import (
    ADMIN,
    GROUP,
    TEACHER,
    command,
    compile_workbook,
    meet_users,
    running,
    send_file,
)
from tests.support.classes import make_class
from tests.support.telegram_standin import SentMessage, TelegramStandIn

USERS = range(2000, 2030)
MESSAGE = SHOWN = "Exams move to Friday & Saturday <3"  # sent as HTML: escaping must hold


async def broadcast(tg: TelegramStandIn, text: str = MESSAGE) -> SentMessage:
    """An admin asks for a broadcast and confirms it; returns the progress report when done."""
    preview = await command(tg, ADMIN, f"/broadcast {text}", SHOWN)
    assert preview.parse_mode == "HTML"
    since = tg.mark()
    tg.press_button(ADMIN, preview.message_id, "bc:send")
    return await tg.wait_for(  # the report is a new message, edited as the broadcast goes
        lambda m: m.chat_id == ADMIN and m.at >= since and "finished" in m.shown, timeout=60
    )


def copies(tg: TelegramStandIn) -> Counter[int]:
    return Counter(m.chat_id for m in tg.sent if m.shown == SHOWN and m.chat_id != ADMIN)


async def test_a_broadcast_reaches_every_chat_once_and_marks_those_who_blocked(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await meet_users(tg, USERS)
    blocked = [USERS[3], USERS[11], USERS[20]]
    for user in blocked:
        tg.block_chat(user)
    await command(tg, ADMIN, "/start", "/compile")

    report = await broadcast(tg)
    assert "sent 28, blocked 3, failed 0 of 31" in report.text  # 30 users and the admin
    received = copies(tg)
    assert set(received) == set(USERS) - set(blocked)
    assert set(received.values()) == {1}

    # Chats that blocked the bot are skipped from then on.
    report = await broadcast(tg, MESSAGE + " ")
    assert "of 28" in report.text
    assert set(copies(tg).values()) == {2}


async def test_retry_after_is_honoured_and_nobody_gets_two_copies(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await meet_users(tg, USERS[:5])
    await command(tg, ADMIN, "/start", "/compile")
    tg.fail_next("sendMessage", 429, retry_after=1, chat_id=USERS[2], times=2)
    report = await broadcast(tg)
    assert "failed 0" in report.text
    assert copies(tg) == Counter({user: 1 for user in USERS[:5]})
    tries = [c for c in tg.calls("sendMessage") if str(c.params.get("chat_id")) == str(USERS[2])]
    assert [c.status for c in tries[-3:]] == [429, 429, 200]
    assert tries[-1].at - tries[-3].at >= 2.0  # waited retry_after (1 s) each time


async def test_only_admins_in_a_private_chat_writing_themselves_may_broadcast(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await command(tg, TEACHER, "/broadcast hello", "Only the bot's admins")
    await command(tg, TEACHER, "/stats", "Only the bot's admins")
    tg.add_chat(GROUP, "group", title="Staff room")
    await command(tg, GROUP, "/broadcast hello", "Only the bot's admins", user_id=ADMIN)
    since = tg.mark()
    tg.forward_text(TEACHER, "/broadcast hello", user_id=TEACHER, origin_user_id=ADMIN)
    tg.forward_text(ADMIN, "/broadcast hello", user_id=ADMIN, origin_user_id=TEACHER)
    await tg.wait_for_text(TEACHER, "Only the bot's admins", since=since, timeout=30)
    await tg.wait_for_text(ADMIN, "Only the bot's admins", since=since, timeout=30)
    assert not any(m.shown == "hello" for m in tg.sent)

    svc: Services = bot.bot_data.services
    refused = [e for e in await svc.db.audit.recent() if e.action is AuditAction.ADMIN_REFUSED]
    assert len(refused) == 5
    assert {e.actor_id for e in refused} == {TEACHER, ADMIN}


async def test_stats_match_what_happened(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await meet_users(tg, USERS[:4])
    tg.block_chat(USERS[0])
    for file in make_class("google_forms", 10, 2, seed=30).files:
        await send_file(tg, TEACHER, file, expect="Test ")
    await compile_workbook(tg, TEACHER)
    await command(tg, ADMIN, "/start", "/compile")
    await broadcast(tg)

    stats = await command(tg, ADMIN, "/stats", "Chats:")
    assert "Chats: 6 (active in 7 days 6, blocked 1)" in stats.text  # 4 users, teacher, admin
    assert "Sessions with files: 1" in stats.text
    assert "Uploads: 2 in sessions, 0 replaced" in stats.text
    assert "Compiles: 1 in 24 hours, 1 in 7 days" in stats.text
    assert "integrity ok" in stats.text
    assert "sent 5, blocked 1, failed 0 of 6" in stats.text


async def test_broadcast_cancel_stops_one_under_way(
    tg: TelegramStandIn, make_settings: Callable[..., Settings]
) -> None:
    async with running(make_settings(broadcast_per_second=4)):
        await meet_users(tg, USERS)
        await command(tg, ADMIN, "/start", "/compile")
        preview = await command(tg, ADMIN, f"/broadcast {MESSAGE}", SHOWN)
        tg.press_button(ADMIN, preview.message_id, "bc:send")
        while sum(copies(tg).values()) < 3:
            await asyncio.sleep(0.1)
        await command(tg, ADMIN, "/broadcast cancel", "will not get it")
        report = await tg.wait_for(
            lambda m: m.chat_id == ADMIN and "finished" in m.shown, timeout=30
        )
        received = copies(tg)
        assert 3 <= len(received) < len(USERS) and set(received.values()) == {1}
        assert f"sent {len(received)}," in report.text


async def test_broadcast_in_reply_to_a_message_sends_that_message(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await meet_users(tg, USERS[:3])
    draft = tg.update(tg.send_text(ADMIN, "Results are out <today> & tomorrow"))
    since = tg.mark()
    tg.send_text(ADMIN, "/broadcast", reply_to=draft["message"]["message_id"])
    preview = await tg.wait_for(
        lambda m: m.chat_id == ADMIN and bool(m.buttons), since=since, timeout=30
    )
    assert preview.text == "Results are out <today> & tomorrow"
    assert preview.raw_text == "Results are out &lt;today&gt; &amp; tomorrow"  # sent as HTML
    tg.press_button(ADMIN, preview.message_id, "bc:send")
    await tg.wait_for(lambda m: m.chat_id == ADMIN and "finished" in m.shown, timeout=30)
    assert all(any(m.shown == preview.text for m in tg.messages_to(user)) for user in USERS[:3])
