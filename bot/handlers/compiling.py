"""/compile: check the session is ready, compile in a worker, deliver, record."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Message, Update
from telegram.constants import ChatAction

from bot import texts
from bot.context import BotContext
from bot.handlers.questions import ask_for_maximum
from bot.handlers.session import chat_options, session_summaries
from bot.jobs import compile_session
from bot.services import Services
from bot.usecases.backend import STORAGE_FAILURES
from bot.workers import WorkerLimitExceeded
from compiler import CompilerError, CompileResult, TestNumber, UploadedFile
from storage import ChatSettings, NewCompile, StoredFile

log = logging.getLogger(__name__)
PROGRESS_ROWS = 1_000  # a compile reading more rows than this gets a progress message
TOO_BIG = (
    "These files are too big or too complex to compile in one go. "
    "Remove the largest test (/remove N) and try again, or /status to check them."
)


@dataclass(frozen=True, slots=True)
class _Compiled:
    result: CompileResult
    picture: bytes | None
    files: list[StoredFile]
    started: datetime
    seconds: float


async def on_compile(update: Update, context: BotContext) -> None:
    """Merge the session's files in a worker and send the workbook and its picture."""
    message = update.effective_message
    assert message is not None
    svc = context.services
    settings = await _ready(message, context, svc)
    if settings is None:
        return
    compiled = await _run(message, context, svc, settings)
    if compiled is not None:
        await _deliver(message, svc, compiled)


async def _ready(message: Message, context: BotContext, svc: Services) -> ChatSettings | None:
    """The chat's settings when there is something to compile and every maximum is known."""
    summaries = await session_summaries(svc, message.chat_id)
    if not summaries:
        await message.reply_text(texts.NOTHING_UPLOADED)
        return None
    settings = await svc.db.chats.get_settings(message.chat_id)
    unknown = [
        s.test.number for s in summaries if s.needs_maximum and s.test.number not in settings.out_of
    ]
    if unknown:
        await ask_for_maximum(message, context, min(unknown))
        return None
    rows = sum(s.rows_read for s in summaries)
    if rows > PROGRESS_ROWS:
        await message.reply_text(
            f"Compiling {texts.plural(len(summaries), 'test')} ({rows:,} rows). "
            "This takes a few seconds."
        )
    return settings


async def _run(
    message: Message, context: BotContext, svc: Services, settings: ChatSettings
) -> _Compiled | None:
    """Compile in a worker; None after telling the person why it could not be done."""
    stored = await svc.db.uploads.load_files(message.chat_id)
    files = [(_number(f), UploadedFile(f.upload.file_name, f.data)) for f in stored]
    started, clock = datetime.now(UTC), time.monotonic()
    async with _showing(context, message.chat_id, ChatAction.UPLOAD_DOCUMENT):
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
            return None
        except WorkerLimitExceeded:
            await message.reply_text(TOO_BIG)
            return None
    return _Compiled(result, picture, stored, started, time.monotonic() - clock)


def _number(file: StoredFile) -> TestNumber:
    return TestNumber(file.upload.test_number, file.upload.test_how)


async def _deliver(message: Message, svc: Services, compiled: _Compiled) -> None:
    """Send the workbook, record the compile, then the picture."""
    report = compiled.result.report
    await message.reply_document(
        document=compiled.result.workbook,
        filename=f"Results {compiled.started:%Y-%m-%d}.xlsx",
        caption=texts.compile_caption(report),
    )
    done = NewCompile(
        upload_ids=tuple(f.upload.id for f in compiled.files),
        started_at=compiled.started,
        duration_seconds=compiled.seconds,
        participants=len(report.participants),
        passed=report.passed,
        failed=report.failed,
        output_sha256=hashlib.sha256(compiled.result.workbook).hexdigest(),
    )
    actor = message.from_user.id if message.from_user else None
    try:
        await svc.db.compiles.record(message.chat_id, actor, done)
    except STORAGE_FAILURES as exc:  # the workbook went out; only the history misses it
        log.warning("compile chat=%s not recorded: %s", message.chat_id, type(exc).__name__)
    if compiled.picture:  # after the record: the workbook, the part that matters, went out
        await message.reply_photo(photo=compiled.picture)
    log.info(
        "compile chat=%s tests=%s participants=%s seconds=%.2f",
        message.chat_id, len(report.tests), len(report.participants), compiled.seconds,
    )  # fmt: skip


@contextlib.asynccontextmanager
async def _showing(context: BotContext, chat_id: int, action: str) -> AsyncIterator[None]:
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
