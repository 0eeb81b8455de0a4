"""The stand-in speaks the Bot API's HTTP protocol: tokens, encodings, getUpdates semantics."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from telegram import Update

from tests.support.telegram_standin import StandInError, TelegramStandIn
from tests.support_tests.http_client import bot_api

CHAT = 7001
WRONG_TOKEN = "1:not-the-stand-ins-token"  # noqa: S105 (fake)


async def test_a_wrong_token_is_unauthorized_and_changes_nothing() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        status, answer = await api.call("sendMessage", token=WRONG_TOKEN, chat_id=CHAT, text="x")
        assert status == 401
        assert answer == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        assert tg.sent == []
        assert tg.calls()[0].token_ok is False


async def test_an_unknown_method_is_404_and_fails_a_strict_stand_in_at_exit() -> None:
    with pytest.raises(StandInError, match="unknown method getChat"):
        async with TelegramStandIn() as tg, bot_api(tg) as api:
            status, answer = await api.call("getChat", chat_id=CHAT)
            assert (status, answer["description"]) == (404, "Not Found: method getChat")
            assert [call.method for call in tg.unknown_calls] == ["getChat"]


async def test_a_lenient_stand_in_only_records_unknown_methods() -> None:
    async with TelegramStandIn(strict=False) as tg, bot_api(tg) as api:
        await api.call("getChat", chat_id=CHAT)
    assert [call.method for call in tg.unknown_calls] == ["getChat"]


async def test_json_form_and_query_bodies_mean_the_same_and_names_ignore_case() -> None:
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        await api.call("sendMessage", chat_id=CHAT, text="json", reply_markup=markup)
        form = {"chat_id": str(CHAT), "text": "form", "reply_markup": json.dumps(markup)}
        await api.send("SENDMESSAGE", data=form)
        query = {"chat_id": str(CHAT), "text": "query", "reply_markup": json.dumps(markup)}
        await api.send("sendmessage", http_method="GET", params=query)
        kinds = [call.body_kind for call in tg.calls()]
    assert [message.text for message in tg.sent] == ["json", "form", "query"]
    assert all(message.buttons == [("Go", "go")] for message in tg.sent)
    assert [message.message["reply_markup"] for message in tg.sent] == [markup] * 3
    assert kinds == ["json", "form", "query"]


async def test_get_updates_honours_offset_limit_and_a_negative_offset() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        first, second, third = (tg.send_text(CHAT, f"m{n}") for n in range(3))
        everything = await api.result("getUpdates")
        one = await api.result("getUpdates", limit=1)
        from_second = await api.result("getUpdates", offset=second)
        again = await api.result("getUpdates")  # `first` was confirmed by that offset
        last_only = await api.result("getUpdates", offset=-1)
        after_all = await api.result("getUpdates", offset=third + 1)
    assert [u["update_id"] for u in everything] == [first, second, third]
    assert [u["update_id"] for u in one] == [first]
    assert [u["update_id"] for u in from_second] == [second, third]
    assert [u["update_id"] for u in again] == [second, third]
    assert [u["update_id"] for u in last_only] == [third]
    assert after_all == []
    assert tg.confirmed_offset == third + 1


async def test_allowed_updates_filters_and_is_remembered_between_calls() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.send_text(CHAT, "a message")
        query = tg.inject_update({"callback_query": {"id": "1", "from": {}, "chat_instance": "1"}})
        only_queries = await api.result("getUpdates", allowed_updates=["callback_query"])
        tg.send_text(CHAT, "another message")
        still_only_queries = await api.result("getUpdates")
    assert [u["update_id"] for u in only_queries] == [query]
    assert [u["update_id"] for u in still_only_queries] == [query]


async def test_long_poll_waits_for_the_timeout_or_returns_as_soon_as_an_update_arrives() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        started = time.monotonic()
        empty = await api.result("getUpdates", timeout=1)
        waited = time.monotonic() - started

        asyncio.get_running_loop().call_later(0.2, tg.send_text, CHAT, "late")
        started = time.monotonic()
        updates = await api.result("getUpdates", timeout=5)
        answered_after = time.monotonic() - started
    assert empty == []
    assert 0.95 <= waited < 1.5
    assert [u["message"]["text"] for u in updates] == ["late"]
    assert 0.15 <= answered_after < 0.6


async def test_a_second_poller_terminates_the_first_with_409() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        older = asyncio.create_task(api.call("getUpdates", timeout=5))
        await tg.wait_for_call("getUpdates", answered=False, timeout=2)
        newer = await api.call("getUpdates", timeout=0)
        status, answer = await older
    assert newer[0] == 200
    assert status == 409
    assert answer["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_redeliver_hands_out_a_confirmed_update_once_more() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        update_id = tg.send_text(CHAT, "pay once")
        await api.result("getUpdates")
        assert await api.result("getUpdates", offset=update_id + 1) == []
        tg.redeliver(update_id)
        duplicate = await api.result("getUpdates", offset=update_id + 1)
        after = await api.result("getUpdates", offset=update_id + 1)
    assert [u["update_id"] for u in duplicate] == [update_id]
    assert duplicate[0]["message"]["text"] == "pay once"
    assert after == []


async def test_a_webhook_blocks_polling_and_delete_webhook_can_drop_pending_updates() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.send_text(CHAT, "queued")
        await api.result("setWebhook", url="https://example.invalid/hook")
        status, answer = await api.call("getUpdates")
        info = await api.result("getWebhookInfo")
        await api.result("deleteWebhook", drop_pending_updates=True)
        after = await api.result("getUpdates")
    assert status == 409 and "webhook is active" in answer["description"]
    assert info["url"] == "https://example.invalid/hook" and info["pending_update_count"] == 1
    assert after == []


async def test_get_me_close_and_log_out_answer_like_telegram() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        me = await api.result("getMe")
        closed = await api.result("close")
        logged_out = await api.result("logOut")
    assert me["is_bot"] is True and me["id"] == 4242
    assert me["username"] == "results_compiler_test_bot"
    assert (closed, logged_out) == (True, True)


async def test_every_kind_of_injected_update_deserialises_in_ptb() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT, "Amara")
        await api.result(
            "sendMessage",
            chat_id=CHAT,
            text="menu",
            reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
        )
        ids = [
            tg.send_text(CHAT, "😀 /start now"),
            tg.send_document(CHAT, "marks.csv", b"a,b\n1,2\n", caption="week 3"),
            tg.press_button(CHAT, 1, "a"),
            tg.forward_text(CHAT, "from someone", origin_user_id=9001),
            tg.forward_text(CHAT, "from a hidden one", origin_name="Hidden Person"),
        ]
        updates = [Update.de_json(tg.update(update_id), None) for update_id in ids]
    text, document, press, forwarded, hidden = updates
    assert text.message and text.message.entities[0].offset == 3  # UTF-16: the emoji is 2
    assert document.message and document.message.document
    assert document.message.document.mime_type == "text/csv"
    assert document.message.document.file_size == 8
    assert press.callback_query and press.callback_query.data == "a"
    assert press.callback_query.message and press.callback_query.message.message_id == 1
    assert forwarded.message and forwarded.message.forward_origin
    assert forwarded.message.forward_origin.type == "user"
    assert hidden.message and hidden.message.forward_origin
    assert hidden.message.forward_origin.type == "hidden_user"


async def test_an_outage_answers_bad_gateway_to_everything_until_it_ends() -> None:
    async with TelegramStandIn() as tg, bot_api(tg) as api:
        tg.add_user(CHAT)
        update_id = tg.send_document(CHAT, "a.csv", b"1")
        path = (await api.result("getFile", file_id=tg.file_id_of(update_id)))["file_path"]
        waiting = asyncio.create_task(api.call("getUpdates", offset=update_id + 1, timeout=5))
        await tg.wait_for_call("getUpdates", answered=False, timeout=2)
        tg.start_outage()
        cut_off = await waiting
        during = await api.call("sendMessage", chat_id=CHAT, text="x")
        download = await api.http.get(f"/file/bot{tg.token}/{path}")
        tg.end_outage()
        after = await api.call("sendMessage", chat_id=CHAT, text="x")
    assert cut_off == (502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
    assert during[0] == download.status_code == 502
    assert after[0] == 200
