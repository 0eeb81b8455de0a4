"""A teacher's grading choices with the real bot, over HTTP, against the Telegram stand-in."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from tests.bot.helpers import TEACHER, command, compile_workbook, results_sheet, send_file
from tests.support.classes import make_class
from tests.support.telegram_standin import TelegramStandIn


def _percent(value: object) -> float:
    return 0.0 if value in (None, "") else float(str(value).rstrip("%"))


async def test_weights_are_shown_set_refused_used_by_compile_and_cleared(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await command(tg, TEACHER, "/weights", "No tests in this chat yet")
    for file in make_class("google_forms", 8, 2, seed=21).files:
        await send_file(tg, TEACHER, file, expect="Test ")
    shown = await command(tg, TEACHER, "/weights", "Weights:")
    assert "Test 1: 1 (the default)" in shown.text and "Test 2: 1 (the default)" in shown.text
    await command(tg, TEACHER, "/weights 2=heavy", "TEST=WEIGHT")
    await command(tg, TEACHER, "/weights 1=0 2=0", "Nothing changed")
    await command(tg, TEACHER, "/weights", "Test 2: 1 (the default)")

    saved = await command(tg, TEACHER, "/weights 2=3 7=2", "Weights saved")
    assert "Test 2: 3 (given by you)" in saved.text and "Test 1: 1 (the default)" in saved.text
    assert "Test 7: 2 (given by you, for when its file comes)" in saved.text
    await command(tg, TEACHER, "/status", "Weights given by you: test 2 = 3, test 7 = 2")
    menu = await command(tg, TEACHER, "/settings", "Settings for this chat")
    tg.press_button(TEACHER, menu.message_id, "set:policy:strict")  # the mean of all tests
    await tg.wait_for(lambda m: m.message_id == menu.message_id and "✓ strict" in m.shown)
    sent = await compile_workbook(tg, TEACHER)
    assert sent.document is not None
    for row in results_sheet(sent.document.data):
        expected = (_percent(row["Test 1"]) + 3 * _percent(row["Test 2"])) / 4
        assert _percent(row["Final Average"]) == pytest.approx(expected, abs=0.01)

    cleared = await command(tg, TEACHER, "/weights clear", "Weights cleared")
    assert "Test 2: 1 (the default)" in cleared.text and "Test 7" not in cleared.text


async def test_settings_buttons_choose_the_drop_and_letters_and_a_typed_pass_mark(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    for file in make_class("google_forms", 8, 3, seed=22).files:
        await send_file(tg, TEACHER, file, expect="Test ")
    menu = await command(tg, TEACHER, "/settings", "Settings for this chat")
    assert ("drop lowest 1", "set:drop:1") in menu.buttons
    assert ("✓ no letters", "set:letters:none") in menu.buttons
    shown = lambda text: lambda m: m.message_id == menu.message_id and text in m.shown  # noqa: E731

    tg.press_button(TEACHER, menu.message_id, "set:policy:strict")
    await tg.wait_for(shown("✓ strict"))
    tg.press_button(TEACHER, menu.message_id, "set:drop:1")
    await tg.wait_for(shown("Drop the lowest: 1 result per person"))
    tg.press_button(TEACHER, menu.message_id, "set:letters:nigeria")
    await tg.wait_for(shown("Letter grades: Nigerian university"))
    since = tg.mark()
    tg.press_button(TEACHER, menu.message_id, "set:pass:other")
    await tg.wait_for_text(TEACHER, "Which pass mark?", since=since)
    await command(tg, TEACHER, "fifty-five", "I need just a number from 0 to 100")
    await command(tg, TEACHER, "55%", "The pass mark is 55% now")
    await command(tg, TEACHER, "55", "Send me quiz-result files")  # the question was answered
    again = await command(tg, TEACHER, "/settings", "Pass mark: 55%")
    assert ("✓ pass 55", "set:pass:other") in again.buttons
    status = await command(tg, TEACHER, "/status", "3 tests")
    assert "pass mark 55%, drop the lowest: 1 result per person, letter grades: Nigerian" in (
        status.text
    )
    assert "Weights given by you" not in status.text

    sent = await compile_workbook(tg, TEACHER)
    assert "pass mark 55%" in (sent.caption or "")
    assert sent.document is not None
    for row in results_sheet(sent.document.data):
        kept = sorted(_percent(row[f"Test {n}"]) for n in (1, 2, 3))[1:]  # the lowest dropped
        final = _percent(row["Final Average"])
        assert final == pytest.approx(sum(kept) / 2, abs=0.01)
        assert row["Status"] == ("PASS" if final >= 55 else "FAIL")
        assert row["Grade"] in ("A", "B", "C", "D", "E", "F")


async def test_a_pending_pass_mark_question_is_dropped_by_cancel(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    menu = await command(tg, TEACHER, "/settings", "Settings for this chat")
    since = tg.mark()
    tg.press_button(TEACHER, menu.message_id, "set:pass:other")
    await tg.wait_for_text(TEACHER, "Which pass mark?", since=since)
    await command(tg, TEACHER, "/cancel", "I dropped the question")
    await command(tg, TEACHER, "45", "Send me quiz-result files")
    await command(tg, TEACHER, "/settings", "Pass mark: 50%")


async def test_settings_count_who_passes_under_each_policy_before_choosing(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    empty = await command(tg, TEACHER, "/settings", "Settings for this chat")
    assert "PASS" not in empty.text  # nothing to count on
    for file in make_class("moodle", 12, 3, seed=23).files:
        await send_file(tg, TEACHER, file, expect="Test ")
    menu = await command(tg, TEACHER, "/settings", "counted on the files here")
    tg.press_button(TEACHER, menu.message_id, "set:drop:1")
    redrawn = await tg.wait_for(
        lambda m: m.message_id == menu.message_id and "1 result per person" in m.shown
    )
    assert "counted on the files here" in redrawn.shown
    for policy in ("classic", "strict", "average"):
        menu_line = next(line for line in redrawn.shown.splitlines() if f" {policy}:" in line)
        figures = menu_line[menu_line.rindex("(PASS ") :]
        tg.press_button(TEACHER, menu.message_id, f"set:policy:{policy}")
        ticked = f"✓ {policy}"
        await tg.wait_for(lambda m, t=ticked: m.message_id == menu.message_id and t in m.shown)
        sent = await compile_workbook(tg, TEACHER)
        passed, failed = figures.strip("()").replace("PASS ", "").replace("FAIL ", "").split(", ")
        assert f"PASS {passed}, FAIL {failed}." in (sent.caption or "")


async def test_each_compile_after_the_first_says_what_moved(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    files = make_class("google_forms", 20, 3, seed=24).files
    for file in files[:2]:
        await send_file(tg, TEACHER, file, expect="Test ")
    first = await compile_workbook(tg, TEACHER)
    assert "Since the last compile" not in (first.caption or "")
    again = await compile_workbook(tg, TEACHER)
    assert "Since the last compile: nothing moved." in (again.caption or "")

    menu = await command(tg, TEACHER, "/settings", "Settings for this chat")
    tg.press_button(TEACHER, menu.message_id, "set:pass:70")
    await tg.wait_for(lambda m: m.message_id == menu.message_id and "Pass mark: 70%" in m.shown)
    await send_file(tg, TEACHER, files[2], expect="Test 3")
    sent = await compile_workbook(tg, TEACHER)
    caption = sent.caption or ""
    assert "test 3 added" in caption and "settings changed: pass mark" in caption

    assert first.document is not None and sent.document is not None
    before = {row["Email"] or row["Name"]: row for row in results_sheet(first.document.data)}
    after = {row["Email"] or row["Name"]: row for row in results_sheet(sent.document.data)}
    added = len(after.keys() - before.keys())
    assert (f"{added} people added" in caption) == (added > 1)
    failing = sorted(
        (str(row["Name"]) for key, row in after.items()
         if key in before and before[key]["Status"] == "PASS" and row["Status"] == "FAIL"),
        key=str.casefold,
    )  # fmt: skip
    assert failing, "the class should have someone between 50% and 70%"
    more = f" and {len(failing) - 3} more" if len(failing) > 3 else ""
    assert "now FAIL: " + ", ".join(failing[:3]) + more in caption


async def test_a_letter_scale_of_ones_own_is_kept_and_grades_the_compile(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await command(tg, TEACHER, "/letters", "Letter grades: none")
    await command(tg, TEACHER, "/letters A=70,B=x", "B=x: the mark must be a number")
    await command(tg, TEACHER, "/letters best", "write your own like")
    kept = await command(tg, TEACHER, "/letters A=70,B=50,F=0", "Letter grades from now on")
    assert "A from 70, B from 50, F from 0" in kept.text
    for file in make_class("google_forms", 8, 2, seed=23).files:
        await send_file(tg, TEACHER, file, expect="Test ")
    sent = await compile_workbook(tg, TEACHER)
    assert sent.document is not None
    for row in results_sheet(sent.document.data):
        final = _percent(row["Final Average"])
        assert row["Grade"] == ("A" if final >= 70 else "B" if final >= 50 else "F")
    await command(tg, TEACHER, "/letters uk", "Letter grades from now on")
    await command(tg, TEACHER, "/letters none", "No letter grades from now on")
    await command(tg, TEACHER, "/letters", "Letter grades: none")
