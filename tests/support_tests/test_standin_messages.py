"""Sending, editing and files through the stand-in, its Telegram-like refusals, and faults."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from tests.support.telegram_standin import (
    CLIENT_GONE,
    DOWNLOAD,
    Limits,
    StandInTimeout,
    TelegramStandIn,
)
from tests.support_tests.http_client import bot_api

CHAT = 8001
GROUP = -8002


async def test_parse_mode_markup_is_checked_and_the_visible_text_recorded() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        await api.result("sendMessage", chat_id=CHAT, text="<b>7B</b> &amp; 7C", parse_mode="HTML")
        status, answer = await api.call(
            "sendMessage", chat_id=CHAT, text="Marks <5 & names", parse_mode="HTML"
        )
        v2_status, v2_answer = await api.call(
            "sendMessage", chat_id=CHAT, text="Done.", parse_mode="MarkdownV2"
        )
    assert [(m.text, m.raw_text) for m in tg.sent] == [("7B & 7C", "<b>7B</b> &amp; 7C")]
    assert status == 400
    assert answer["description"].startswith("Bad Request: can't parse entities")
    assert v2_status == 400
    assert "Character '.' is reserved" in v2_answer["description"]


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"chat_id": 999, "text": "x"}, "Bad Request: chat not found"),
        ({"chat_id": CHAT, "text": "  "}, "Bad Request: message text is empty"),
        ({"chat_id": CHAT, "text": "x" * 4097}, "Bad Request: message is too long"),
        (
            {
                "chat_id": CHAT,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "d" * 65}]]},
            },
            "Bad Request: BUTTON_DATA_INVALID",
        ),
        (
            {"chat_id": CHAT, "text": "x", "reply_parameters": {"message_id": 77}},
            "Bad Request: message to be replied not found",
        ),
    ],
)
async def test_send_message_refuses_what_telegram_refuses(
    params: dict[str, Any], description: str
) -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        status, answer = await api.call("sendMessage", **params)
    assert (status, answer["description"]) == (400, description)
    assert tg.sent == []


async def test_message_ids_count_per_chat_across_people_and_bot() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        tg.add_chat(GROUP, title="Staff room")
        tg.send_text(CHAT, "hi")
        tg.send_text(GROUP, "hello all", user_id=CHAT)
        reply = await api.result(
            "sendMessage", chat_id=CHAT, text="hi back", reply_parameters={"message_id": 1}
        )
        in_group = await api.result("sendMessage", chat_id=GROUP, text="hello")
    assert (reply["message_id"], in_group["message_id"]) == (2, 2)
    assert tg.messages_to(CHAT)[0].reply_to_message_id == 1
    assert in_group["chat"] == {"id": GROUP, "type": "group", "title": "Staff room"}


async def test_edits_are_applied_and_an_unchanged_edit_is_refused() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        sent = await api.result("sendMessage", chat_id=CHAT, text="Working 1/3")
        edit = {"chat_id": CHAT, "message_id": sent["message_id"]}
        edited = await api.result("editMessageText", **edit, text="Working 2/3")
        same_status, same = await api.call("editMessageText", **edit, text="Working 2/3")
        gone_status, gone = await api.call("editMessageText", chat_id=CHAT, message_id=99, text="x")
    assert edited["text"] == "Working 2/3" and "edit_date" in edited
    assert tg.sent[0].text == "Working 2/3" and tg.sent[0].history == ["Working 1/3"]
    assert same_status == 400 and same["description"].startswith("Bad Request: message is not")
    assert (gone_status, gone["description"]) == (400, "Bad Request: message to edit not found")


async def test_a_callback_query_can_be_answered_only_once() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}
        await api.result("sendMessage", chat_id=CHAT, text="Sure?", reply_markup=markup)
        update_id = tg.press_button(CHAT, 1, "ok")
        query_id = tg.update(update_id)["callback_query"]["id"]
        await api.result("answerCallbackQuery", callback_query_id=query_id, text="Done")
        status, answer = await api.call("answerCallbackQuery", callback_query_id=query_id)
    assert status == 400 and "query ID is invalid" in answer["description"]
    assert [(a.text, a.show_alert) for a in tg.callback_answers] == [("Done", False)]


async def test_documents_photos_and_resending_by_file_id() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        files = {"document": ("report.xlsx", b"PK\x03\x04", "application/octet-stream")}
        uploaded = await api.send("sendDocument", data={"chat_id": str(CHAT)}, files=files)
        file_id = uploaded[1]["result"]["document"]["file_id"]
        again = await api.result("sendDocument", chat_id=CHAT, document=file_id, caption="again")
        photo = {"photo": ("chart.png", b"\x89PNG fake", "image/png")}
        await api.send("sendPhoto", data={"chat_id": str(CHAT)}, files=photo)
        bad_status, bad = await api.call("sendDocument", chat_id=CHAT, document="nope")
    first, second, third = tg.sent
    assert first.document and first.document.data == b"PK\x03\x04"
    assert second.document == first.document and again["caption"] == "again"
    assert third.photo and third.photo.data == b"\x89PNG fake"
    assert bad_status == 400 and "wrong file identifier" in bad["description"]


async def test_uploads_past_the_limit_are_too_large_and_downloads_need_the_token() -> None:
    async with TelegramStandIn(limits=Limits(max_upload_bytes=1000)) as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        big = {"document": ("big.bin", b"x" * 1001, "application/octet-stream")}
        status, answer = await api.send("sendDocument", data={"chat_id": str(CHAT)}, files=big)
        update_id = tg.send_document(CHAT, "in.csv", b"1,2")
        file_path = (await api.result("getFile", file_id=tg.file_id_of(update_id)))["file_path"]
        good = await api.http.get(f"/file/bot{tg.token}/{file_path}")
        wrong = await api.http.get(f"/file/bot1:wrong/{file_path}")
    assert (status, answer["description"]) == (413, "Request Entity Too Large")
    assert file_path == "documents/file_1.csv"
    assert (good.status_code, good.content) == (200, b"1,2")
    assert wrong.status_code == 404


async def test_a_held_download_comes_late_or_never_if_the_client_hangs_up() -> None:
    async with TelegramStandIn() as tg:
        async with bot_api(tg) as api:
            tg.add_user(CHAT)
            update_id = tg.send_document(CHAT, "in.csv", b"1,2")
            path = (await api.result("getFile", file_id=tg.file_id_of(update_id)))["file_path"]
            tg.delay_next(DOWNLOAD, 0.4)
            started = time.monotonic()
            late = await api.http.get(f"/file/bot{tg.token}/{path}")
            held = time.monotonic() - started
        async with bot_api(tg, timeout=0.2) as impatient:
            tg.delay_next(DOWNLOAD, 1.0)
            with pytest.raises(httpx.ReadTimeout):
                await impatient.http.get(f"/file/bot{tg.token}/{path}")
        await tg.wait_for_call(DOWNLOAD, lambda call: call.status == CLIENT_GONE, timeout=2)
    assert (late.status_code, late.content) == (200, b"1,2") and held >= 0.4


async def test_fail_next_counts_down_and_can_target_one_chat() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        tg.add_user(CHAT + 1)
        tg.fail_next("sendMessage", 500, times=2, chat_id=CHAT)
        other = await api.call("sendMessage", chat_id=CHAT + 1, text="fine")
        statuses = [(await api.call("sendMessage", chat_id=CHAT, text="x"))[0] for _ in range(3)]
    assert other[0] == 200
    assert statuses == [500, 500, 200]


async def test_delay_next_holds_the_answer() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.delay_next("getMe", 0.4)
        started = time.monotonic()
        await api.result("getMe")
        slow = time.monotonic() - started
        started = time.monotonic()
        await api.result("getMe")
        fast = time.monotonic() - started
    assert slow >= 0.4 and fast < 0.2


async def test_a_client_that_gives_up_on_a_delayed_call_may_or_may_not_have_sent() -> None:
    async with TelegramStandIn() as tg, bot_api(tg, timeout=0.2) as api:
        tg.add_user(CHAT)
        tg.delay_next("sendMessage", 1.0, processed=True)  # Telegram sent it, answers late
        with pytest.raises(httpx.ReadTimeout):
            await api.call("sendMessage", chat_id=CHAT, text="sent, answer lost")
        tg.delay_next("sendMessage", 1.0)  # the call only reaches Telegram after the delay
        with pytest.raises(httpx.ReadTimeout):
            await api.call("sendMessage", chat_id=CHAT, text="never arrived")
        held = await tg.wait_for_call(
            "sendMessage", lambda call: call.params["text"] == "never arrived", timeout=2
        )
    assert held.status == 499
    assert [message.text for message in tg.sent] == ["sent, answer lost"]


async def test_blocked_chat_and_flood_limit_errors() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        tg.add_chat(GROUP)
        tg.block_chat(CHAT)
        tg.block_chat(GROUP)
        private = await api.call("sendChatAction", chat_id=CHAT, action="typing")
        group = await api.call("sendMessage", chat_id=GROUP, text="x")
        tg.unblock_chat(CHAT)
        tg.limit_send_rate(3)
        statuses = [(await api.call("sendMessage", chat_id=CHAT, text="x"))[0] for _ in range(4)]
        flood = await api.call("sendMessage", chat_id=CHAT, text="x")
    assert private == (403, private[1]) and "blocked by the user" in private[1]["description"]
    assert group[1]["description"] == "Forbidden: bot was kicked from the group chat"
    assert statuses == [200, 200, 200, 429]
    assert flood[1]["parameters"] == {"retry_after": 1}


async def test_commands_and_chat_actions_are_recorded() -> None:
    commands = [{"command": "compile", "description": "Merge the uploaded files"}]
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        await api.send("setMyCommands", data={"commands": json.dumps(commands)})
        listed = await api.result("getMyCommands")
        bad = await api.call("setMyCommands", commands=[{"command": "Compile", "description": "x"}])
        await api.result("sendChatAction", chat_id=CHAT, action="upload_document")
        wrong_action = await api.call("sendChatAction", chat_id=CHAT, action="dancing")
    assert listed == commands == tg.my_commands()
    assert bad[1]["description"] == "Bad Request: BOT_COMMAND_INVALID"
    assert [(a.chat_id, a.action) for a in tg.chat_actions] == [(CHAT, "upload_document")]
    assert wrong_action[0] == 400


async def test_a_wait_that_sees_nothing_fails_fast_and_says_what_happened() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        await api.result("sendMessage", chat_id=CHAT, text="Something else")
        started = time.monotonic()
        with pytest.raises(StandInTimeout, match="containing 'Workbook ready'") as failure:
            await tg.wait_for_text(CHAT, "Workbook ready", timeout=0.3)
        assert time.monotonic() - started < 1.0
        assert "Something else" in str(failure.value)
        mark = tg.mark()
        with pytest.raises(StandInTimeout):
            await tg.wait_for_text(CHAT, "Something else", since=mark, timeout=0.1)


async def test_assert_nothing_sent_catches_a_message() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        await tg.assert_nothing_sent(CHAT, within=0.1)
        mark = tg.mark()
        await api.result("sendMessage", chat_id=CHAT, text="oops")
        with pytest.raises(AssertionError, match="oops"):
            await tg.assert_nothing_sent(CHAT, within=0.1, since=mark)


async def test_every_call_is_timestamped_in_order() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        for _ in range(5):
            await api.result("getMe")
    calls = tg.calls("getMe")
    assert len(calls) == 5
    assert all(c.finished_at is not None and c.finished_at >= c.at for c in calls)
    assert [c.at for c in calls] == sorted(c.at for c in calls)
