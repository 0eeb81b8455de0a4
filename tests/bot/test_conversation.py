"""A teacher's conversation with the real bot, over HTTP, against the Telegram stand-in."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader
from telegram.ext import Application

from bot.settings import Settings
from tests.bot.helpers import (
    GROUP,
    OTHER_TEACHER,
    TEACHER,
    command,
    compile_workbook,
    results_sheet,
    running,
    send_file,
)
from tests.support.accuracy import score_workbook
from tests.support.classes import make_class
from tests.support.telegram_standin import TelegramStandIn


async def test_a_teacher_sends_exports_compiles_and_gets_the_truth_back_after_a_restart(
    tg: TelegramStandIn, make_settings: Callable[..., Settings]
) -> None:
    generated = make_class("surveyheart", people=30, tests=3, seed=11)
    settings = make_settings()
    async with running(settings):
        for file in generated.files:
            reply = await send_file(tg, TEACHER, file, expect="Test ")
            assert "(from the file name" in reply.text and "participants" in reply.text
        status = await command(tg, TEACHER, "/status", "3 tests")
        assert all(f.name in status.text for f in generated.files)
        sent = await compile_workbook(tg, TEACHER)
        assert sent.document is not None and sent.document.file_name.startswith("Results ")
        assert "participants, 3 tests" in (sent.caption or "")
        first = sent.document.data
        assert score_workbook(first, generated).share == 1.0
        await tg.wait_for(lambda m: m.chat_id == TEACHER and m.photo is not None, timeout=10)

    async with running(settings):  # the same database: the session survived the restart
        again = await compile_workbook(tg, TEACHER)
    assert again.document is not None
    assert results_sheet(again.document.data) == results_sheet(first)


async def test_two_chats_never_see_each_others_files(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    file = make_class("google_forms", people=8, tests=1, seed=2).files[0]
    await send_file(tg, TEACHER, file, expect="Test 1")
    status = await command(tg, OTHER_TEACHER, "/status", "no files")
    assert file.name not in status.text
    await command(tg, OTHER_TEACHER, "/compile", "no files")
    # The same bytes are new to the other chat: stored there as its own test, not "already".
    reply = await send_file(tg, OTHER_TEACHER, file, expect="Test 1")
    assert "already" not in reply.text


async def test_reset_asks_first_then_clears_the_session_for_good(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    for file in make_class("moodle", people=8, tests=2, seed=3).files:
        await send_file(tg, TEACHER, file, expect="Test ")
    question = await command(tg, TEACHER, "/reset", "Delete every file")
    assert [data for _, data in question.buttons] == ["reset:yes", "reset:no"]

    tg.press_button(TEACHER, question.message_id, "reset:no")
    await tg.wait_for(lambda m: m.message_id == question.message_id and "Nothing" in m.shown)
    await command(tg, TEACHER, "/status", "2 tests")

    question = await command(tg, TEACHER, "/reset", "Delete every file")
    tg.press_button(TEACHER, question.message_id, "reset:yes")
    done = await tg.wait_for(lambda m: m.message_id == question.message_id and "Done" in m.shown)
    assert "2 files deleted" in done.text
    await command(tg, TEACHER, "/status", "no files")


async def test_an_album_of_exports_is_taken_whole(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    files = make_class("handmade", people=10, tests=3, seed=4).files
    since = tg.mark()
    for file in files:
        tg.send_document(TEACHER, file.name, file.data, media_group_id="album-1")
    for number in (1, 2, 3):
        await tg.wait_for_text(TEACHER, f"Test {number} (", since=since, timeout=30)
    await command(tg, TEACHER, "/status", "3 tests")


async def test_an_unknown_maximum_is_asked_for_and_the_answer_used(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    generated = make_class("microsoft_forms", people=12, tests=1, seed=5)
    (file,) = generated.files
    since = tg.mark()
    tg.send_document(TEACHER, file.name, file.data)
    await tg.wait_for_text(TEACHER, "needs its maximum", since=since, timeout=30)
    await tg.wait_for_text(TEACHER, "Test 1: out of how many marks?", since=since)
    await command(tg, TEACHER, "twenty", "I need just a number")
    (maximum,) = generated.out_of.values()
    await command(tg, TEACHER, f"{maximum:g}", f"Test 1 is out of {maximum:g}")
    sent = await compile_workbook(tg, TEACHER)
    assert sent.document is not None
    assert score_workbook(sent.document.data, generated).share == 1.0


async def test_a_maximum_can_be_given_by_a_button_and_an_old_button_stores_nothing(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    generated = make_class("microsoft_forms", people=12, tests=1, seed=5)
    (file,) = generated.files
    (maximum,) = generated.out_of.values()
    since = tg.mark()
    tg.send_document(TEACHER, file.name, file.data)
    asked = await tg.wait_for_text(TEACHER, "Test 1: out of how many marks?", since=since)
    assert "Tap it below, or send the number" in asked.shown and "the highest" in asked.shown
    offered = {label: data for label, data in asked.buttons}
    assert f"out of {maximum:g}" in offered  # the real maximum is among the likely ones
    labels = [float(label.removeprefix("out of ")) for label in offered]
    assert labels == sorted(labels) and len(labels) <= 4

    since = tg.mark()
    tg.press_button(TEACHER, asked.message_id, offered[f"out of {maximum:g}"])
    await tg.wait_for_text(TEACHER, f"Test 1 is out of {maximum:g}", since=since)
    assert tg.callback_answers[-1].text == "Saved."
    edited = await tg.wait_for(lambda m: m.message_id == asked.message_id and not m.buttons)
    assert edited.shown == asked.shown
    sent = await compile_workbook(tg, TEACHER)
    assert sent.document is not None
    assert score_workbook(sent.document.data, generated).share == 1.0

    # A button under an older question (here, sent by hand) keeps nothing once it is not asked.
    since = tg.mark()
    tg.press_button(TEACHER, asked.message_id, "max:1:100", check=False)
    await tg.wait_for_call("answerCallbackQuery", since=since, timeout=30)
    assert tg.callback_answers[-1].text.startswith("That question is no longer open")
    sent = await compile_workbook(tg, TEACHER)
    assert sent.document is not None
    assert score_workbook(sent.document.data, generated).share == 1.0  # still out of the max


async def test_compile_asks_again_for_a_maximum_still_missing(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    (file,) = make_class("microsoft_forms", people=6, tests=1, seed=6).files
    await send_file(tg, TEACHER, file, expect="out of how many")
    await command(tg, TEACHER, "/cancel", "dropped the question")
    await command(tg, TEACHER, "/compile", "Test 1: out of how many marks?")


async def test_a_group_shares_one_session_and_commands_carry_the_bot_name(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    tg.add_chat(GROUP, "group", title="Anatomy staff")
    first, second = make_class("google_forms_csv", people=10, tests=2, seed=8).files
    await send_file(tg, GROUP, first, expect="Test ", user_id=TEACHER)
    await send_file(tg, GROUP, second, expect="Test ", user_id=OTHER_TEACHER)
    username = tg.bot_user["username"]
    await command(tg, GROUP, f"/status@{username}", "2 tests", user_id=OTHER_TEACHER)
    sent = await compile_workbook(tg, GROUP, f"/compile@{username}", user_id=TEACHER)
    assert sent.document is not None
    await command(tg, TEACHER, "/status", "no files")  # the private chat is another session


async def test_text_that_is_not_a_command_gets_a_hint(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await command(tg, TEACHER, "hello?", "Send me quiz-result files")
    await command(tg, TEACHER, "/frobnicate", "I don't know that command")


async def test_settings_buttons_change_the_policy_used_by_compile(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await send_file(tg, TEACHER, make_class("moodle", 8, 1, seed=9).files[0], expect="Test")
    menu = await command(tg, TEACHER, "/settings", "Settings for this chat")
    assert ("average", "set:policy:average") in menu.buttons
    tg.press_button(TEACHER, menu.message_id, "set:policy:average")
    await tg.wait_for(lambda m: m.message_id == menu.message_id and "✓ average" in m.shown)
    tg.press_button(TEACHER, menu.message_id, "set:pass:60")
    await tg.wait_for(lambda m: m.message_id == menu.message_id and "Pass mark: 60%" in m.shown)
    sent = await compile_workbook(tg, TEACHER)
    assert "Policy: average" in (sent.caption or "") and "pass mark 60%" in (sent.caption or "")
    header = list(results_sheet(sent.document.data)[0]) if sent.document else []
    assert "Assignment" not in header and "Final Average" in header


async def test_remove_drops_one_test(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    for file in make_class("google_forms", 8, 2, seed=10).files:
        await send_file(tg, TEACHER, file, expect="Test ")
    await command(tg, TEACHER, "/remove", "Say which test")
    await command(tg, TEACHER, "/remove 9", "There is no test 9")
    await command(tg, TEACHER, "/remove 1", "Test 1 is gone")
    status = await command(tg, TEACHER, "/status", "1 test")
    assert "Test 2:" in status.text and "Test 1:" not in status.text


async def test_report_cards_come_from_cards_and_from_the_button_under_the_workbook(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await command(tg, TEACHER, "/cards", "I have no files in this chat yet")
    for file in make_class("google_forms", 8, 2, seed=12).files:
        await send_file(tg, TEACHER, file, expect="Test ")
    since = tg.mark()
    tg.send_text(TEACHER, "/cards")
    pdf = await tg.wait_for_document(TEACHER, since=since, timeout=60)
    assert pdf.document is not None and pdf.document.file_name.endswith(".pdf")
    pages = PdfReader(io.BytesIO(pdf.document.data)).pages
    assert len(pages) == 1 + 8  # a cover and a page per participant
    assert "Final average" in pages[1].extract_text()
    sent = await compile_workbook(tg, TEACHER)
    assert ("Report cards (PDF)", "cards:") in sent.buttons
    since = tg.mark()
    tg.press_button(TEACHER, sent.message_id, "cards:")
    again = await tg.wait_for_document(TEACHER, since=since, timeout=60)
    assert again.document is not None and again.document.file_name.startswith("Report cards ")
