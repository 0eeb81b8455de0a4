"""Who is who with the real bot, over HTTP, against the Telegram stand-in: the "same person?"
buttons after a compile, /people and its undo, and the class roster."""

from __future__ import annotations

from telegram.ext import Application

from tests.bot.helpers import TEACHER, command, compile_workbook, results_sheet, send_file
from tests.support.look_alikes import (
    AMARA,
    AMARA_TYPO,
    BENO,
    KARI,
    KARI_TYPO,
    ROSTER,
    ROSTER_PEOPLE,
    TEST_1,
    TEST_2,
    TEST_2_WITHOUT_AMARA,
)
from tests.support.telegram_standin import SentMessage, TelegramStandIn

SAME, DIFFERENT = "Same person", "Different people"


async def compile_and_questions(
    tg: TelegramStandIn, expected: int
) -> tuple[SentMessage, list[SentMessage]]:
    """/compile; the workbook, and the `expected` questions that follow it."""
    since = tg.mark()
    workbook = await compile_workbook(tg, TEACHER)
    await tg.wait_for_text(TEACHER, "may be the same person", since=since, timeout=30)
    for number in range(1, expected + 1):
        await tg.wait_for_text(TEACHER, f"Same person? ({number} of {expected})", since=since)
    asked = [m for m in tg.messages_to(TEACHER) if m.at >= since and "Same person? (" in m.shown]
    assert len(asked) == expected
    return workbook, asked


def about(questions: list[SentMessage], name: str) -> SentMessage:
    """The question that shows `name`."""
    [question] = [q for q in questions if name in q.shown]
    return question


def button(message: SentMessage, label: str) -> str:
    [data] = [data for text, data in message.buttons if text == label]
    assert data is not None and len(data.encode()) <= 64
    return data


async def press(tg: TelegramStandIn, message: SentMessage, data: str, check: bool = True) -> None:
    since = tg.mark()
    tg.press_button(TEACHER, message.message_id, data, check=check)
    await tg.wait_for_call("answerCallbackQuery", since=since, timeout=30)


def rows(workbook: SentMessage) -> list[str]:
    assert workbook.document is not None
    return sorted(str(row["Name"]) for row in results_sheet(workbook.document.data))


async def test_answers_are_kept_shown_in_place_and_obeyed_by_the_compile_again(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await send_file(tg, TEACHER, TEST_1, expect="Test 1")
    await send_file(tg, TEACHER, TEST_2, expect="Test 2")
    workbook, questions = await compile_and_questions(tg, 2)
    assert rows(workbook) == sorted([AMARA, AMARA_TYPO, BENO, KARI, KARI_TYPO])
    amara, kari = about(questions, AMARA), about(questions, KARI)
    assert [label for label, _ in amara.buttons] == [SAME, DIFFERENT]
    assert "no e-mail; Test 1" in amara.shown and "no e-mail; Test 2" in amara.shown
    assert "Why I ask: names one letter apart" in amara.shown

    await press(tg, amara, button(amara, SAME))
    shown = await tg.wait_for(lambda m: m.message_id == amara.message_id and "✔" in m.shown)
    assert shown.shown.endswith("✔ Same person") and shown.buttons == []
    assert shown.shown.startswith(amara.shown)
    assert tg.callback_answers[-1].text == "Kept: same person."

    since = tg.mark()
    await press(tg, kari, button(kari, DIFFERENT))
    offer = await tg.wait_for_text(TEACHER, "Every question so far is answered", since=since)
    assert offer.buttons == [("Compile again", "who:again")]
    await tg.wait_for(lambda m: m.message_id == kari.message_id and "✔ Different" in m.shown)

    # A replayed press (a client still showing the buttons): the first answer stands.
    await press(tg, amara, button(amara, DIFFERENT), check=False)
    assert tg.callback_answers[-1].text == "Already answered: same person. /people can undo it."

    since = tg.mark()
    tg.press_button(TEACHER, offer.message_id, "who:again")
    again = await tg.wait_for_document(TEACHER, since=since, timeout=60)
    assert rows(again) == sorted([AMARA, BENO, KARI, KARI_TYPO])  # one Amara
    assert "2 answers about people applied" in (again.caption or "")
    await tg.wait_for(lambda m: m.chat_id == TEACHER and m.photo is not None, since=since)
    await tg.assert_nothing_sent(TEACHER, within=1.0)  # no question comes back
    assert not [m for m in tg.messages_to(TEACHER) if m.at >= since and "Same person?" in m.shown]
    await tg.wait_for(lambda m: m.message_id == offer.message_id and m.buttons == [])


async def test_people_lists_the_answers_and_an_undone_one_is_asked_again(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await command(tg, TEACHER, "/people", "No answers about people in this chat yet")
    await send_file(tg, TEACHER, TEST_1, expect="Test 1")
    await send_file(tg, TEACHER, TEST_2, expect="Test 2")
    _, questions = await compile_and_questions(tg, 2)
    for question in questions:
        await press(tg, question, button(question, DIFFERENT))
    await command(tg, TEACHER, "/status", "Your answers about people: 2 in force")

    listed = await command(tg, TEACHER, "/people", "Your answers about people in this chat (2)")
    assert [label for label, _ in listed.buttons] == ["Undo 1", "Undo 2"]
    assert "≠" in listed.shown and "different people" in listed.shown
    undo = listed.buttons[0][1]
    assert undo is not None
    await press(tg, listed, undo)
    redrawn = await tg.wait_for(lambda m: m.message_id == listed.message_id and "(1)" in m.shown)
    assert [label for label, _ in redrawn.buttons] == ["Undo 1"]
    assert (
        tg.callback_answers[-1].text == "Undone: I ask about that pair again at the next /compile."
    )
    await press(tg, listed, undo, check=False)  # the same undo again: nothing more
    assert tg.callback_answers[-1].text == "That answer no longer stands."

    _, asked = await compile_and_questions(tg, 1)  # only the undone pair comes back
    assert len(asked) == 1


async def test_a_press_after_reset_or_once_the_pair_left_the_files_stores_nothing(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await send_file(tg, TEACHER, TEST_1, expect="Test 1")
    await send_file(tg, TEACHER, TEST_2, expect="Test 2")
    _, questions = await compile_and_questions(tg, 2)
    amara, kari = about(questions, AMARA), about(questions, KARI)

    # Test 2 corrected: the misspelt Amara is gone, so the next compile no longer raises her.
    await send_file(tg, TEACHER, TEST_2_WITHOUT_AMARA, expect="replaces", caption="Test 2")
    await compile_and_questions(tg, 1)
    await press(tg, amara, button(amara, SAME))
    gone = await tg.wait_for(lambda m: m.message_id == amara.message_id and m.buttons == [])
    assert "no longer in the files" in gone.shown and "✔" not in gone.shown
    assert tg.callback_answers[-1].text == "Nothing stored: that question is closed."

    reset = await command(tg, TEACHER, "/reset", "your answers about people")
    tg.press_button(TEACHER, reset.message_id, "reset:yes")
    await tg.wait_for(lambda m: m.message_id == reset.message_id and "Done" in m.shown)
    await press(tg, kari, button(kari, SAME))
    closed = await tg.wait_for(lambda m: m.message_id == kari.message_id and m.buttons == [])
    assert "I no longer have this question" in closed.shown
    await command(tg, TEACHER, "/people", "No answers about people in this chat yet")


async def test_a_roster_by_caption_gives_one_row_per_person_until_removed(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    await send_file(tg, TEACHER, TEST_1, expect="Test 1")
    await send_file(tg, TEACHER, TEST_2, expect="Test 2")
    kept = await send_file(tg, TEACHER, ROSTER, expect="class roster", caption="roster")
    assert kept.shown == (
        "Class 9B.csv is this chat's class roster now: 4 people (1 with an e-mail or id). "
        "Every /compile has one row per person on it."
    )
    status = await command(tg, TEACHER, "/status", "2 tests")
    assert "Roster: Class 9B.csv, 4 people (1 with an e-mail or id)" in status.shown

    since = tg.mark()
    workbook = await compile_workbook(tg, TEACHER)
    assert rows(workbook) == sorted(ROSTER_PEOPLE)
    assert "Roster Class 9B.csv: 3 of 4 in the files." in (workbook.caption or "")
    await tg.wait_for(lambda m: m.chat_id == TEACHER and m.photo is not None, since=since)
    await tg.assert_nothing_sent(TEACHER, within=1.0)  # every row is on the roster: no question

    await command(tg, TEACHER, "/remove roster", "The roster Class 9B.csv is gone")
    await command(tg, TEACHER, "/remove roster", "This chat has no roster")
    status = await command(tg, TEACHER, "/status", "2 tests")
    assert "Roster" not in status.shown
    workbook, _ = await compile_and_questions(tg, 2)
    assert len(rows(workbook)) == 5


async def test_a_file_without_a_score_column_is_kept_as_the_roster_and_reset_drops_it(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    kept = await send_file(tg, TEACHER, ROSTER, expect="no score column")
    assert kept.shown.startswith(
        "Class 9B.csv has no score column, so I kept it as the class roster: 4 people"
    )
    assert "Send /remove roster if it was meant to be a test." in kept.shown
    await command(tg, TEACHER, "/status", "Roster: Class 9B.csv")
    await send_file(
        tg, TEACHER, ROSTER, expect="replaces the earlier roster (Class 9B.csv)", caption="ROSTER"
    )

    reset = await command(tg, TEACHER, "/reset", "class roster")
    tg.press_button(TEACHER, reset.message_id, "reset:yes")
    done = await tg.wait_for(lambda m: m.message_id == reset.message_id and "Done" in m.shown)
    assert done.shown == "Done: 0 files and the roster deleted. Send new files to start again."
    status = await command(tg, TEACHER, "/status", "no files")
    assert "Roster" not in status.shown
