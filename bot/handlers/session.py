"""The session commands: /start, /help, /status, /compile, /remove, /reset, /settings."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot import texts
from bot.handlers.questions import ask_for_maximum
from bot.jobs import compile_session
from bot.services import Services, services
from bot.workers import WorkerLimitExceeded
from compiler.errors import CompilerError
from compiler.grading import POLICIES
from compiler.model import (
    DUPLICATE_RULES,
    CompileOptions,
    DuplicateRule,
    ExportSummary,
    TestNumber,
    UploadedFile,
    summary_from_dict,
)
from storage import ChatSettings, NewCompile

log = logging.getLogger(__name__)
PASS_MARKS = (40, 50, 60, 70)
PROGRESS_ROWS = 1_000  # a compile reading more rows than this gets a progress message


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot does and its commands."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.HELP)


async def on_status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The session: tests, files, participants, warnings, what is missing, the settings."""
    message = update.effective_message
    assert message is not None
    svc = services(context)
    summaries = await _summaries(svc, message.chat_id)
    settings = await svc.db.chats.get_settings(message.chat_id)
    await message.reply_text(
        texts.status(
            summaries,
            settings.policy,
            settings.duplicates,
            settings.pass_mark,
            dict(settings.out_of),
        )
    )


async def on_compile(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Merge the session's files in a worker and send the workbook and its picture."""
    message = update.effective_message
    assert message is not None
    svc = services(context)
    chat_id = message.chat_id
    summaries = await _summaries(svc, chat_id)
    if not summaries:
        await message.reply_text(texts.NOTHING_UPLOADED)
        return
    settings = await svc.db.chats.get_settings(chat_id)
    unknown = [
        s.test.number for s in summaries if s.needs_maximum and s.test.number not in settings.out_of
    ]
    if unknown:
        await ask_for_maximum(message, context, min(unknown))
        return
    rows = sum(s.rows_read for s in summaries)
    progress = None
    if rows > PROGRESS_ROWS:
        progress = await message.reply_text(
            f"Compiling {texts.plural(len(summaries), 'test')} ({rows:,} rows). "
            "This takes a few seconds."
        )
    stored = await svc.db.uploads.load_files(chat_id)
    files = [
        (
            TestNumber(f.upload.test_number, f.upload.test_how),
            UploadedFile(f.upload.file_name, f.data),
        )
        for f in stored
    ]
    started, clock = datetime.now(UTC), time.monotonic()
    async with _showing(context, chat_id, ChatAction.UPLOAD_DOCUMENT):
        try:
            result, picture = await svc.workers.run(
                svc.settings.compile_timeout_s,
                compile_session,
                files,
                chat_options(settings),
                svc.parse_limits,
            )
        except CompilerError as exc:
            await message.reply_text(str(exc))
            return
        except WorkerLimitExceeded:
            await message.reply_text(
                "These files are too big or too complex to compile in one go. "
                "Remove the largest test (/remove N) and try again, or /status to check them."
            )
            return
    seconds = time.monotonic() - clock
    report = result.report
    await message.reply_document(
        document=result.workbook,
        filename=f"Results {started:%Y-%m-%d}.xlsx",
        caption=texts.compile_caption(report),
    )
    if picture:
        await message.reply_photo(photo=picture)
    actor = message.from_user.id if message.from_user else None
    await svc.db.compiles.record(
        chat_id,
        actor,
        NewCompile(
            upload_ids=tuple(f.upload.id for f in stored),
            started_at=started,
            duration_seconds=seconds,
            participants=len(report.participants),
            passed=report.passed,
            failed=report.failed,
            output_sha256=hashlib.sha256(result.workbook).hexdigest(),
        ),
    )
    log.info(
        "compile chat=%s tests=%s participants=%s seconds=%.2f",
        chat_id,
        len(report.tests),
        len(report.participants),
        seconds,
    )
    if progress is not None:
        await progress.edit_text(f"Done in {seconds:.1f} s.")


@contextlib.asynccontextmanager
async def _showing(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, action: str
) -> AsyncIterator[None]:
    """Keep a chat action visible (Telegram shows one for 5 s) while work goes on."""

    async def repeat() -> None:
        while True:
            with contextlib.suppress(Exception):
                await context.bot.send_chat_action(chat_id, action)
            await asyncio.sleep(4.5)

    task = asyncio.create_task(repeat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def chat_options(settings: ChatSettings) -> CompileOptions:
    """A chat's stored settings as the compiler's options (unknown names fall back)."""
    policy = POLICIES.get(settings.policy) or POLICIES["classic"]
    duplicates: DuplicateRule = next(
        (rule for rule in DUPLICATE_RULES if rule == settings.duplicates), "best"
    )
    return CompileOptions(
        policy=replace(policy, pass_mark=settings.pass_mark),
        duplicates=duplicates,
        out_of=dict(settings.out_of),
    )


async def on_remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop one test from the session: /remove N."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    if len(args) != 1 or not args[0].isdigit():
        await message.reply_text("Say which test to drop, for example: /remove 3")
        return
    svc = services(context)
    actor = message.from_user.id if message.from_user else None
    removal = await svc.db.uploads.remove_test(message.chat_id, int(args[0]), actor)
    if removal.uploads == 0:
        await message.reply_text(f"There is no test {args[0]} in this chat. /status lists them.")
    else:
        await message.reply_text(f"Test {args[0]} is gone from this chat.")


async def on_reset(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask to confirm before clearing the session."""
    message = update.effective_message
    assert message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes, delete every file", callback_data="reset:yes"),
                InlineKeyboardButton("No, keep them", callback_data="reset:no"),
            ]
        ]
    )
    await message.reply_text(
        "Delete every file in this chat for good? Settings and past compiles stay.",
        reply_markup=keyboard,
    )


async def on_reset_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The reset button: clear the session, or leave it."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    if query.data != "reset:yes":
        await query.edit_message_text("Nothing was deleted.")
        return
    svc = services(context)
    removal = await svc.db.sessions.reset(query.message.chat.id, query.from_user.id)
    await query.edit_message_text(
        f"Done: {texts.plural(removal.uploads, 'file')} deleted. Send new files to start again."
    )


async def on_settings(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the settings with buttons to change them."""
    message = update.effective_message
    assert message is not None
    settings = await services(context).db.chats.get_settings(message.chat_id)
    await message.reply_text(_settings_text(settings), reply_markup=_settings_keyboard(settings))


async def on_settings_choice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A settings button: store the choice for this chat and redraw."""
    query = update.callback_query
    assert query is not None and query.message is not None and query.data is not None
    change = settings_change(query.data)
    if not change:
        await query.answer("That choice is no longer offered.")
        return
    settings = await services(context).db.chats.update_settings(
        query.message.chat.id,
        query.from_user.id,
        **change,  # type: ignore[arg-type]
    )
    await query.answer("Saved.")
    await query.edit_message_text(
        _settings_text(settings), reply_markup=_settings_keyboard(settings)
    )


def settings_change(data: str) -> dict[str, object]:
    """The change a settings button's data asks for (`set:policy:average`, `set:pass:60`);
    empty for data no button offers now (an old button, or data sent by hand)."""
    _, _, rest = data.partition(":")
    field, _, value = rest.partition(":")
    if field == "policy" and value in POLICIES:
        return {"policy": value}
    if field == "duplicates" and value in DUPLICATE_RULES:
        return {"duplicates": value}
    if field == "pass" and value.isdecimal() and len(value) < 4 and int(value) in PASS_MARKS:
        return {"pass_mark": float(value)}
    return {}


def _settings_text(settings: ChatSettings) -> str:
    lines = ["Settings for this chat:"]
    for name, policy in POLICIES.items():
        mark = "✓" if name == settings.policy else " "
        lines.append(f"{mark} {name}: {policy.description}")
    lines.append(f"Repeated submissions: keep the {settings.duplicates} one.")
    lines.append(f"Pass mark: {settings.pass_mark:g}%.")
    return "\n".join(lines)


def _settings_keyboard(settings: ChatSettings) -> InlineKeyboardMarkup:
    def button(label: str, data: str, chosen: bool) -> InlineKeyboardButton:
        return InlineKeyboardButton(("✓ " if chosen else "") + label, callback_data=data)

    return InlineKeyboardMarkup(
        [
            [button(p, f"set:policy:{p}", p == settings.policy) for p in POLICIES],
            [
                button(f"keep {r}", f"set:duplicates:{r}", r == settings.duplicates)
                for r in DUPLICATE_RULES
            ],
            [button(f"pass {m}", f"set:pass:{m}", m == settings.pass_mark) for m in PASS_MARKS],
        ]
    )


async def _summaries(svc: Services, chat_id: int) -> list[ExportSummary]:
    return [summary_from_dict(dict(u.summary)) for u in await svc.db.uploads.active(chat_id)]
