"""Updates delivered again after a restart change nothing, and get no second answer.

The choice: an update the bot already handled is dropped when it comes again, silently (the
person sent it once and got one answer). An update whose handling a crash cut short is handled
again, once, whether the bot's inbox or Telegram brings it back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.bot.helpers import TEACHER, command
from tests.support.bot_process import database_rows, kill_bot, start_bot, stop_bot
from tests.support.classes import make_class
from tests.support.telegram_standin import DOWNLOAD, TelegramStandIn


def _state(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a handler could have changed (the chat's last-seen time aside)."""
    queries = {
        "uploads": "SELECT u.id, u.state, t.number, u.file_name, u.update_id FROM uploads u "
        "JOIN upload_tests t ON t.upload_id = u.id ORDER BY u.id, t.number",
        "bytes": "SELECT upload_id, length(data) FROM upload_bytes ORDER BY upload_id",
        "settings": "SELECT id, policy, duplicates, pass_mark, out_of FROM chats ORDER BY id",
        "audit": "SELECT id, action, details FROM audit_log ORDER BY id",
        "compiles": "SELECT id, upload_ids FROM compiles ORDER BY id",
    }
    return {name: database_rows(folder, sql) for name, sql in queries.items()}


async def _teacher_works(tg: TelegramStandIn) -> list[int]:
    """Upload, reset, upload two, remove one, change a setting, compile; the update ids."""
    a, b, c = make_class("google_forms", people=8, tests=3, seed=51).files
    ids: list[int] = []

    async def act(send: int, expect: str) -> None:
        since = tg.mark()
        ids.append(send)
        await tg.wait_for_text(TEACHER, expect, since=since, timeout=30)

    await act(tg.send_document(TEACHER, a.name, a.data, caption="Test 1"), "Test 1 (")
    await act(tg.send_text(TEACHER, "/reset"), "Delete every file")
    asked = tg.messages_to(TEACHER)[-1].message_id
    await act(tg.press_button(TEACHER, asked, "reset:yes"), "1 file deleted")
    await act(tg.send_document(TEACHER, b.name, b.data, caption="Test 1"), "Test 1 (")
    await act(tg.send_document(TEACHER, c.name, c.data, caption="Test 2"), "Test 2 (")
    await act(tg.send_text(TEACHER, "/remove 2"), "Test 2 is gone")
    await act(tg.send_text(TEACHER, "/settings"), "Settings for this chat")
    shown = tg.messages_to(TEACHER)[-1].message_id
    await act(tg.press_button(TEACHER, shown, "set:policy:average"), "✓ average")
    since = tg.mark()
    ids.append(tg.send_text(TEACHER, "/compile"))
    await tg.wait_for_document(TEACHER, since=since, timeout=30)
    return ids


async def test_every_update_delivered_again_after_a_restart_changes_nothing(
    tg: TelegramStandIn, tmp_path: Path
) -> None:
    first = start_bot(tg, tmp_path)
    try:
        await command(tg, TEACHER, "/help", "/compile")
        update_ids = await _teacher_works(tg)
    finally:
        code, log = await stop_bot(first, tmp_path)
    assert code == 0, log
    before = _state(tmp_path)

    second = start_bot(tg, tmp_path)
    try:
        since = tg.mark()
        for update_id in update_ids:
            tg.redeliver(update_id)
        for update_id in update_ids:
            await tg.wait_delivered(update_id, times=2)
        await command(tg, TEACHER, "/status", "1 test in this chat")
    finally:
        code, log = await stop_bot(second, tmp_path)
    assert code == 0, log
    assert [m.shown.split("\n")[0] for m in tg.messages_to(TEACHER) if m.at >= since] == [
        "1 test in this chat:"
    ]
    assert _state(tmp_path) == before
    assert log.count("delivered again: already received, dropped") == len(update_ids)


async def test_an_update_telegram_sends_again_after_a_crash_is_handled_once(
    tg: TelegramStandIn, tmp_path: Path
) -> None:
    file = make_class("moodle", people=10, tests=1, seed=52).files[0]
    first = start_bot(tg, tmp_path)
    try:
        help_id = tg.send_text(TEACHER, "/help")
        await tg.wait_for_text(TEACHER, "/compile", timeout=30)
        # The bot waits in the poll that confirmed /help; hold the next one, which would
        # confirm the file: Telegram then still has the file's update when the bot dies.
        await tg.wait_for_call(
            "getUpdates", lambda c: int(c.params.get("offset") or 0) > help_id, answered=False
        )
        tg.delay_next("getUpdates", 30)
        tg.delay_next(DOWNLOAD, 30)
        since = tg.mark()
        update_id = tg.send_document(TEACHER, file.name, file.data)
        await tg.wait_for_call(DOWNLOAD, since=since, answered=False)
    finally:
        await kill_bot(first)
    assert tg.confirmed_offset <= update_id

    second = start_bot(tg, tmp_path)
    try:
        await tg.wait_delivered(update_id, times=2)
        await command(tg, TEACHER, "/status", "1 test in this chat")
    finally:
        code, log = await stop_bot(second, tmp_path)
    assert code == 0, log
    assert tg.deliveries(update_id) == 2  # Telegram sent it again...
    answers = [m for m in tg.messages_to(TEACHER) if m.at >= since and "Test 1 (" in m.shown]
    assert len(answers) == 1  # ...and the bot, which also had it in its inbox, answered once
    assert database_rows(tmp_path, "SELECT count(*) FROM uploads") == [(1,)]
