"""A real python-telegram-bot Application talks to the stand-in over loopback HTTP."""

from __future__ import annotations

import asyncio
import datetime as dtm
import socket
import time

import pytest
from telegram import Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, CommandHandler, ContextTypes, MessageHandler, filters

from tests.support.telegram_standin import TelegramStandIn
from tests.support_tests.ptb_apps import ECHO_PREFIX, add_demo_handlers, polling

AMARA = 4201
BEN = 4202


@pytest.fixture(autouse=True)
def _timedelta_attributes(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22.2+ warns on every int-valued time attribute (RetryAfter reads one in __init__)
    # unless this opt-in is set; with warnings as errors the warning would replace RetryAfter.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_text_is_echoed_and_startup_calls_are_the_expected_ones() -> None:
    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        add_demo_handlers(app)
        tg.add_user(AMARA, "Amara")
        async with polling(app):
            tg.send_text(AMARA, "hello there")
            reply = await tg.wait_for_text(AMARA, "hello there", timeout=5)
            startup = [call.method for call in tg.calls()[:3]]
        assert reply.text == ECHO_PREFIX + "hello there"
        assert reply.method == "sendMessage"
        assert reply.message["from"]["id"] == tg.bot_user["id"]
        assert startup == ["getMe", "deleteWebhook", "getUpdates"]
        assert tg.unknown_calls == []
        assert all(call.token_ok for call in tg.calls())
    # Shut down cleanly: nothing left running, nothing listening.
    await asyncio.sleep(0)
    assert asyncio.all_tasks() == {asyncio.current_task()}
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", tg.port), timeout=1).close()


async def test_document_is_downloaded_and_sent_back_byte_for_byte() -> None:
    payload = bytes(range(256)) * 300  # binary, with every byte value
    name = 'Résultats 7Б "final".xlsx'
    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        add_demo_handlers(app)
        async with polling(app):
            update_id = tg.send_document(AMARA, name, payload, caption="term 1")
            echoed = await tg.wait_for_document(AMARA, timeout=5)
        assert echoed.document is not None
        assert echoed.document.data == payload
        assert echoed.document.file_name == name
        assert echoed.caption == f"got {len(payload)} bytes"
        assert tg.calls("getFile")[0].params["file_id"] == tg.file_id_of(update_id)
        assert tg.calls("sendDocument")[0].body_kind == "multipart"
        downloads = [call for call in tg.calls() if call.method == "(file download)"]
        assert [call.status for call in downloads] == [200]
        # Same bytes, same file_unique_id, as Telegram does for re-uploads.
        assert (
            echoed.document.file_unique_id
            == tg.update(update_id)["message"]["document"]["file_unique_id"]
        )


async def test_inline_keyboard_press_is_answered_and_edits_the_message() -> None:
    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        add_demo_handlers(app)
        async with polling(app):
            tg.send_text(AMARA, "/menu")
            menu = await tg.wait_for_text(AMARA, "Pick a fruit", timeout=5)
            assert menu.buttons == [("Apples", "pick:apples"), ("Pears", "pick:pears")]
            tg.press_button(AMARA, menu.message_id, "pick:pears")
            edited = await tg.wait_for(
                lambda m: m.message_id == menu.message_id and m.edit_count == 1, timeout=5
            )
        assert edited.text == "Picked: pears"
        assert edited.raw_text == "<b>Picked</b>: pears"
        assert edited.history == ["Pick a fruit"]
        assert edited.buttons == []  # an edit without reply_markup drops the keyboard
        assert [answer.text for answer in tg.callback_answers] == ["You picked pears"]


async def test_pressing_a_button_the_message_does_not_have_is_refused() -> None:
    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        add_demo_handlers(app)
        async with polling(app):
            tg.send_text(AMARA, "/menu")
            menu = await tg.wait_for_text(AMARA, "Pick a fruit", timeout=5)
        with pytest.raises(ValueError, match="no button with callback_data 'pick:plums'"):
            tg.press_button(AMARA, menu.message_id, "pick:plums")


async def test_429_is_retried_by_the_rate_limiter_after_retry_after() -> None:
    async with TelegramStandIn() as tg:
        app = tg.application_builder().rate_limiter(AIORateLimiter(max_retries=2)).build()
        add_demo_handlers(app)
        async with polling(app):
            tg.fail_next("sendMessage", 429, retry_after=1)
            tg.send_text(AMARA, "slow down")
            await tg.wait_for_text(AMARA, "slow down", timeout=5)
        first, second = tg.calls("sendMessage")
        assert (first.status, first.description) == (429, "Too Many Requests: retry after 1")
        assert second.ok
        assert second.at - first.at >= 1.0


async def test_429_without_a_rate_limiter_reaches_the_error_handler_as_retry_after() -> None:
    errors: asyncio.Queue[object] = asyncio.Queue()

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.put_nowait(context.error)

    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        add_demo_handlers(app)
        app.add_error_handler(on_error)
        async with polling(app):
            tg.fail_next("sendMessage", 429, retry_after=3)
            tg.send_text(AMARA, "hi")
            error = await asyncio.wait_for(errors.get(), 5)
        assert isinstance(error, RetryAfter)
        assert error.retry_after == dtm.timedelta(seconds=3)
        assert tg.sent == []


async def test_blocked_chat_raises_forbidden_in_the_handler() -> None:
    seen: asyncio.Queue[TelegramError] = asyncio.Queue()

    async def notify(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and context.args
        try:
            await context.bot.send_message(int(context.args[0]), "Your results are ready")
        except Forbidden as error:
            seen.put_nowait(error)
            await update.effective_message.reply_text(f"{context.args[0]} blocked the bot")

    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        app.add_handler(CommandHandler("notify", notify))
        tg.add_user(BEN, "Ben")
        tg.block_chat(BEN)
        async with polling(app):
            tg.send_text(AMARA, f"/notify {BEN}")
            await tg.wait_for_text(AMARA, "blocked the bot", timeout=5)
        error = seen.get_nowait()
        assert error.message == "Forbidden: bot was blocked by the user"
        assert tg.messages_to(BEN) == []


async def test_file_too_big_raises_bad_request_on_get_file() -> None:
    seen: asyncio.Queue[TelegramError] = asyncio.Queue()

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message and update.effective_message.document
        try:
            await context.bot.get_file(update.effective_message.document.file_id)
        except BadRequest as error:
            seen.put_nowait(error)

    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        app.add_handler(MessageHandler(filters.Document.ALL, on_document))
        async with polling(app):
            marked = tg.send_document(AMARA, "a.xlsx", b"small")
            tg.file_too_big(tg.file_id_of(marked))
            tg.send_document(AMARA, "b.xlsx", b"small", file_size=21 * 1024 * 1024)
            errors = [await asyncio.wait_for(seen.get(), 5) for _ in range(2)]
        assert [error.message for error in errors] == ["File is too big"] * 2


async def test_long_polling_waits_instead_of_spinning_and_wakes_on_an_update() -> None:
    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        add_demo_handlers(app)
        async with polling(app, timeout=1):
            await asyncio.sleep(2.0)
            idle_polls = len(tg.calls("getUpdates"))
            sent_at = time.monotonic()
            tg.send_text(AMARA, "wake up")
            reply = await tg.wait_for_text(AMARA, "wake up", timeout=5)
        assert 2 <= idle_polls <= 4  # one per second of timeout, not a busy loop
        assert reply.at - sent_at < 0.5  # the waiting poll answered at once


async def test_stopping_the_app_confirms_what_it_fetched() -> None:
    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        add_demo_handlers(app)
        async with polling(app):
            last = tg.send_text(AMARA, "one")
            await tg.wait_for_text(AMARA, "one", timeout=5)
        assert tg.was_delivered(last)
        assert tg.confirmed_offset == last + 1
        assert tg.pending_updates == 0


async def test_group_command_addressed_to_the_bot_reaches_its_handler() -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message and update.effective_chat
        await update.effective_message.reply_text(f"hello {update.effective_chat.title}")

    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        app.add_handler(CommandHandler("start", start))
        tg.add_chat(-100500, "supergroup", title="Form 7B")
        async with polling(app):
            tg.send_text(-100500, f"/start@{tg.bot_user['username']}", user_id=AMARA)
            reply = await tg.wait_for_text(-100500, "hello Form 7B", timeout=5)
        assert reply.message["chat"]["type"] == "supergroup"


async def test_polling_survives_an_outage_and_gets_what_was_sent_meanwhile() -> None:
    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()
        add_demo_handlers(app)
        async with polling(app):
            tg.add_user(AMARA, "Amara")
            await tg.wait_for_call("getUpdates", answered=False, timeout=5)
            tg.start_outage()
            await tg.wait_for_call("getUpdates", lambda call: call.status == 502, timeout=5)
            tg.send_text(AMARA, "are you there?")
            await tg.assert_nothing_sent(within=0.3)
            tg.end_outage()
            reply = await tg.wait_for_text(AMARA, "are you there?", timeout=5)
        assert reply.text == "echo: are you there?"
