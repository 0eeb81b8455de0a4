"""Uploads: what is refused, what is stored once, what replaces what, and what the bot says."""

from __future__ import annotations

import io
import zipfile

from telegram.ext import Application

from compiler.model import UploadedFile
from tests.bot.helpers import TEACHER, command, compile_workbook, results_sheet, send_file
from tests.support.classes import make_class
from tests.support.platform_corpus import CORPUS
from tests.support.telegram_standin import TelegramStandIn


def _bomb() -> bytes:
    """A zip that declares a sheet expanding far past any limit."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 300_000_000 + b"</a>")
    return buffer.getvalue()


BAD_FILES = [
    ("scores.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 200, "PNG"),
    ("scores.xlsx", b"PK\x03\x04truncated", "damaged"),
    ("notes.csv", b"just some words, nothing else", "score"),
]


async def test_bad_files_get_a_clear_answer_and_nothing_is_stored(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    for name, data, _ in BAD_FILES:
        reply = await send_file(tg, TEACHER, UploadedFile(name, data), expect="kept nothing")
        assert reply.text.startswith(name)
    await command(tg, TEACHER, "/status", "no files")


async def test_a_zip_bomb_is_refused_before_it_is_expanded(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    bomb = UploadedFile("bomb.xlsx", _bomb())
    reply = await send_file(tg, TEACHER, bomb, expect="kept nothing")
    assert reply.text.startswith("bomb.xlsx")
    await command(tg, TEACHER, "/status", "no files")


async def test_the_same_bytes_twice_are_stored_once(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    file = make_class("surveyheart", 8, 1, seed=1).files[0]
    await send_file(tg, TEACHER, file, expect="Test 1")
    again = await send_file(tg, TEACHER, UploadedFile("copy.xlsx", file.data), expect="already")
    assert "test 1" in again.text
    await command(tg, TEACHER, "/status", "1 test in this chat")


async def test_an_update_delivered_twice_stores_nothing_twice(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    file = make_class("google_forms", 8, 1, seed=2).files[0]
    since = tg.mark()
    update_id = tg.send_document(TEACHER, file.name, file.data)
    await tg.wait_for_text(TEACHER, "Test 1", since=since, timeout=30)
    tg.redeliver(update_id)
    await tg.wait_delivered(update_id)
    await command(tg, TEACHER, "/status", "1 test in this chat")


async def test_the_caption_wins_over_the_file_name(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    file = make_class("moodle", 8, 1, seed=3).files[0]
    reply = await send_file(tg, TEACHER, file, caption="quiz 5", expect="Test 5")
    assert "(from the label" in reply.text


async def test_a_new_file_for_a_taken_test_replaces_it_and_says_so(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    first = make_class("handmade", 8, 1, seed=4).files[0]
    second = make_class("handmade", 9, 1, seed=5).files[0]
    await send_file(tg, TEACHER, first, caption="Test 2", expect="Test 2")
    reply = await send_file(tg, TEACHER, second, caption="Test 2", expect="Test 2")
    assert f"replaces the earlier file for test 2 ({first.name})" in reply.text
    await command(tg, TEACHER, "/status", "1 test in this chat")


async def test_a_file_over_the_limit_is_refused_before_downloading(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    since = tg.mark()
    tg.send_document(TEACHER, "huge.xlsx", b"PK", file_size=25 * 1024 * 1024)
    reply = await tg.wait_for_text(TEACHER, "huge.xlsx is 25.0 MB", since=since, timeout=30)
    assert "up to 20 MB" in reply.text
    assert not tg.calls("getFile")


async def test_a_file_without_a_number_gets_the_next_free_one(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    a, b = make_class("google_forms", 8, 2, seed=6).files
    await send_file(tg, TEACHER, UploadedFile("results.xlsx", a.data), expect="Test 1 (next free")
    reply = await send_file(tg, TEACHER, UploadedFile("more.xlsx", b.data), expect="Test 2")
    assert "next free number" in reply.text


async def test_a_gradebook_is_acknowledged_as_several_tests_and_compiles_with_titles(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    path = CORPUS / "d2l" / "BIO 110 - Spring 2026_GradesExport_2026-03-04-16-55.csv"
    reply = await send_file(
        tg, TEACHER, UploadedFile(path.name, path.read_bytes()), expect="4 tests"
    )
    assert "Test 1 · Quiz 1: 6 participants, out of 5, scaled to %" in reply.shown
    assert "Test 4 · Midterm Exam: " in reply.shown
    assert "Not tests: Quiz 1 Scheme Symbol, Quiz 2 Scheme Symbol, Quizzes Subtotal" in reply.shown
    await command(tg, TEACHER, "/status", "Test 3 · Lab Practical: ")
    await command(tg, TEACHER, "/remove 2", "Test 2 is gone")
    sent = await compile_workbook(tg, TEACHER)
    assert sent.document is not None
    header = list(results_sheet(sent.document.data)[0])
    assert header[2:5] == ["Test 1 · Quiz 1", "Test 3 · Lab Practical", "Test 4 · Midterm Exam"]


async def test_an_ungraded_export_is_refused_naming_its_column(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    path = CORPUS / "moodle" / "Grades-BIO101-Essay 1-4822.csv"
    reply = await send_file(tg, TEACHER, UploadedFile(path.name, path.read_bytes()), expect="Grade")
    assert "'Grade': no one has a score in it" in reply.shown
    assert "I kept nothing from this file." in reply.shown
    await command(tg, TEACHER, "/status", "no files")
