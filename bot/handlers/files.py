"""A document arrives: refuse it early, or download, parse in a worker, store, then answer."""

from __future__ import annotations

import dataclasses
import logging

from telegram import Document, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest

from bot import texts
from bot.context import BotContext
from bot.handlers.questions import ask_for_maximum
from bot.services import Services
from bot.usecases.backend import STORAGE_FAILURES
from bot.workers import WorkerLimitExceeded
from compiler import (
    CompilerError,
    ExportSummary,
    TestNumber,
    UploadedFile,
    inspect_file,
    number_upload,
    summary_from_dict,
)
from storage import AddOutcome, AddStatus, LimitExceeded, NewUpload

log = logging.getLogger(__name__)


async def on_document(update: Update, context: BotContext) -> None:
    """Take one export: check, download, parse in a worker, store, acknowledge."""
    message = update.effective_message
    assert message is not None and message.document is not None
    svc = context.services
    document = message.document
    name = document.file_name or "file"
    chat_id = message.chat_id

    if (document.file_size or 0) > svc.settings.max_file_bytes:
        await message.reply_text(_too_big(name, document.file_size or 0, svc))
        return
    known = await svc.db.uploads.find_by_file_unique_id(chat_id, document.file_unique_id)
    if known is not None and known.update_id == update.update_id:
        # This very message stored it, and a crash came before the answer: answer it now.
        stored = summary_from_dict(dict(known.summary))
        await _answer(message, context, AddOutcome(AddStatus.STORED, known), stored, svc)
        return
    if known is not None:
        await message.reply_text(_already_have(name, known.test_number))
        return

    await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    data = await _download(message, document, context)
    if data is None:
        return
    taken = {u.test_number for u in await svc.db.uploads.active(chat_id)}
    test, _ = number_upload(name, message.caption, taken)
    summary = await _parse(message, UploadedFile(name, data, message.caption), test, svc)
    if summary is None:
        return
    outcome = await _store(message, update, data, summary, svc)
    if outcome is not None:
        await _answer(message, context, outcome, summary, svc)


async def _answer(
    message: Message,
    context: BotContext,
    outcome: AddOutcome,
    summary: ExportSummary,
    svc: Services,
) -> None:
    """Say what was stored, and ask for the test's maximum if the file does not give it."""
    test = outcome.upload.test_number
    log.info(
        "upload chat=%s test=%s status=%s rows=%s",
        message.chat_id,
        test,
        outcome.status,
        summary.rows_read,
    )
    await message.reply_text(_acknowledgement(outcome, summary))
    settings = await svc.db.chats.get_settings(message.chat_id)
    if (
        outcome.status is not AddStatus.ALREADY_STORED
        and summary.needs_maximum
        and test not in settings.out_of
    ):
        await ask_for_maximum(message, context, test)


async def _download(message: Message, document: Document, context: BotContext) -> bytes | None:
    name = document.file_name or "file"
    try:
        file = await context.bot.get_file(document.file_id)
        return bytes(await file.download_as_bytearray())
    except BadRequest as exc:
        if "too big" in str(exc).lower():
            await message.reply_text(_too_big(name, document.file_size or 0, context.services))
            return None
        raise


async def _parse(
    message: Message, file: UploadedFile, test: TestNumber, svc: Services
) -> ExportSummary | None:
    """The compiler's reading of the file, or None after telling the person what is wrong."""
    try:
        return await svc.workers.run(
            svc.settings.parse_timeout_s, inspect_file, file, test, svc.parse_limits
        )
    except CompilerError as exc:
        log.info("upload refused chat=%s reason=%s", message.chat_id, type(exc).__name__)
        await message.reply_text(f"{exc}\nI kept nothing from this file.")
    except WorkerLimitExceeded as exc:
        log.warning("upload refused chat=%s reason=worker-%s", message.chat_id, exc.reason)
        await message.reply_text(
            f"{file.name}: this file is too big or too complex for me to read. "
            "Open it, keep only the results sheet, save it as .xlsx and send it again. "
            "I kept nothing from this file."
        )
    return None


async def _store(
    message: Message, update: Update, data: bytes, summary: ExportSummary, svc: Services
) -> AddOutcome | None:
    """Commit the file and its summary; only a committed file is ever acknowledged."""
    document = message.document
    assert document is not None
    upload = NewUpload(
        file_name=summary.file_name,
        data=data,
        test_number=summary.test.number,
        test_how=summary.test.how,
        summary=dataclasses.asdict(summary),
        sender_id=message.from_user.id if message.from_user else None,
        file_unique_id=document.file_unique_id,
        update_id=update.update_id,
    )
    try:
        return await svc.db.uploads.add(message.chat_id, upload)
    except LimitExceeded as exc:
        await message.reply_text(f"{summary.file_name}: {exc}")
    except STORAGE_FAILURES:  # read-only, full, I/O error; or the chat could not be noted
        log.exception("storing an upload failed in chat=%s", message.chat_id)
        await message.reply_text(f"{summary.file_name}: {texts.NOT_SAVED}")
    return None


def _acknowledgement(outcome: AddOutcome, summary: ExportSummary) -> str:
    if outcome.status is AddStatus.ALREADY_STORED:
        return _already_have(summary.file_name, outcome.upload.test_number)
    understood = texts.upload_understood(summary)
    if outcome.status is AddStatus.REPLACED and outcome.replaced is not None:
        return (
            f"{understood}\nThis replaces the earlier file for test {summary.test.number} "
            f"({outcome.replaced.file_name})."
        )
    return understood


def _already_have(name: str, test: int) -> str:
    return f"I already have {name}: it is test {test}. Nothing changed."


def _too_big(name: str, size: int, svc: Services) -> str:
    return (
        f"{name} is {size / 1024 / 1024:.1f} MB; I can take files up to "
        f"{svc.settings.max_file_mb:g} MB. Keep only the results sheet, or save it as .csv, "
        "and send it again."
    )
