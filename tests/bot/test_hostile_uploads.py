"""The hostile set sent to the bot: each refused file answered by name with nothing kept, while
another chat is answered all along; the odd but legitimate files stored, and compiled with their
odd text intact."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from telegram.ext import Application

from bot import texts
from compiler.model import UploadedFile
from tests.bot.helpers import OTHER_TEACHER, TEACHER, command, compile_workbook, send_file
from tests.hostile.catalogue import LEGITIMATE, REFUSED
from tests.support.exports.files import csv_bytes
from tests.support.exports.samples import person
from tests.support.telegram_standin import TelegramStandIn


async def test_every_hostile_file_is_answered_by_name_and_other_chats_are_served(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    for hostile in REFUSED:
        since = tg.mark()
        tg.send_document(TEACHER, hostile.name, hostile.build())
        tg.send_text(OTHER_TEACHER, "/help")
        reply = await tg.wait_for(
            lambda m, name=hostile.name: m.chat_id == TEACHER and m.shown.startswith(name),
            since=since,
            timeout=30,
            describe=f"the answer to {hostile.name!r}",
        )
        assert hostile.says in reply.text
        assert reply.text.endswith("I kept nothing from this file.")
        await tg.wait_for_text(OTHER_TEACHER, "/compile", since=since, timeout=30)
    await command(tg, TEACHER, "/status", texts.NOTHING_UPLOADED)
    helps = [m for m in tg.messages_to(OTHER_TEACHER) if m.text == texts.HELP]
    assert len(helps) == len(REFUSED)
    assert not [m for m in tg.messages_to(TEACHER) if texts.APOLOGY in m.shown]


async def test_odd_but_legitimate_files_are_stored_and_compiled_with_their_text(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    # The Arabic file name holds test 3: sent first, so no file given a free number takes it.
    odd_files = sorted(LEGITIMATE, key=lambda h: "3" not in h.name)
    for hostile in odd_files:
        reply = await send_file(tg, TEACHER, hostile.upload(), expect="participant")
        assert reply.text.startswith("Test ")
    status = await command(tg, TEACHER, "/status", f"{len(odd_files)} tests in this chat")
    assert "Test 3: نتائج الاختبار 3 📊.xlsx" in status.text
    sent = await compile_workbook(tg, TEACHER)
    assert sent.document is not None
    book = load_workbook(io.BytesIO(sent.document.data))
    names = {str(row[0]) for row in book["Results"].iter_rows(min_row=2, values_only=True)}
    assert {name for h in odd_files for name in h.people} == names
    assert not [
        cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.data_type == "f"
    ]


async def test_a_score_header_thousands_of_characters_long_is_acknowledged(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    # SurveyHeart's signature with a `Total Marks ...` header of 5,000 characters: the
    # acknowledgement quoted it whole, Telegram refused a message over 4,096 characters, and the
    # stored file was answered with an apology.
    header = "Total Marks (" + "1" * 5_000 + ")"  # also no maximum at all: it is infinity
    rows: list[list[object]] = [["Name", header, "Submitted Time", "Result", "S.NO"]]
    rows += [[" ".join(person(i)[:2]), 8, "x", "x", "x"] for i in range(2)]
    file = UploadedFile("Test 2.csv", csv_bytes(rows))
    reply = await send_file(tg, TEACHER, file, expect="Test 2")
    assert len(reply.text) < 300 and 'score "Total Marks (111' in reply.text
    await tg.wait_for_text(TEACHER, "Test 2: out of how many marks?", timeout=30)
