"""Taking an uploaded file: refuse it early, skip one already held, or fetch, number, parse in a
worker and store it; say what was done as a typed result the handler words.

Only a committed file is ever acknowledged: `UploadTaken` means the commit happened.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.usecases.backend import STORAGE_FAILURES, Backend
from bot.workers import WorkerLimitExceeded
from compiler import (
    CompilerError,
    ExportSummary,
    UploadedFile,
    inspect_file,
    number_upload,
    summary_from_dict,
)
from storage import AddOutcome, AddStatus, LimitExceeded, NewUpload

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A document as Telegram announced it, before its bytes are fetched."""

    chat_id: int
    name: str
    size: int  # as the sender's client declared it; 0 when it did not
    file_unique_id: str
    caption: str | None
    update_id: int
    sender_id: int | None


class DownloadTooBig(Exception):
    """Telegram would not hand the file over: it is past what bots may download."""


Download = Callable[[], Awaitable[bytes]]  # fetches the file's bytes, or raises DownloadTooBig


@dataclass(frozen=True, slots=True)
class StoredTest:
    """One test an upload brought, as stored, and whether its maximum must be asked for."""

    outcome: AddOutcome
    summary: ExportSummary
    ask_maximum: bool

    @property
    def number(self) -> int:
        return self.outcome.upload.test_number


@dataclass(frozen=True, slots=True)
class UploadTaken:
    """The file is committed (or was already): the tests it brought, one per file for now."""

    file_name: str
    tests: tuple[StoredTest, ...]


@dataclass(frozen=True, slots=True)
class AlreadyHeld:
    """The chat already holds this very Telegram file: nothing was fetched or changed."""

    file_name: str
    test_number: int


@dataclass(frozen=True, slots=True)
class TooBig:
    """Larger than the largest file taken: nothing was fetched."""

    file_name: str
    size: int
    limit_mb: float


@dataclass(frozen=True, slots=True)
class Unreadable:
    """The compiler could not use the file; `reason` is its sentence for the person."""

    file_name: str
    reason: str


@dataclass(frozen=True, slots=True)
class TooComplex:
    """Reading the file passed a worker's time or memory limit."""

    file_name: str


@dataclass(frozen=True, slots=True)
class NoRoom:
    """Storing it would pass one of the chat's limits; `reason` is storage's sentence."""

    file_name: str
    reason: str


@dataclass(frozen=True, slots=True)
class NotSaved:
    """The database failed (read-only, full, I/O error): the file was not kept."""

    file_name: str


UploadRefused = TooBig | Unreadable | TooComplex | NoRoom | NotSaved
UploadResult = UploadTaken | AlreadyHeld | UploadRefused


async def take_upload(backend: Backend, incoming: IncomingFile, download: Download) -> UploadResult:
    """Take one export: check its size, skip it if held, fetch, number, parse, store.

    The same Telegram update a second time (the bot was stopped before it answered) gives
    the answer it would have given, without storing anything again.
    """
    settings, uploads = backend.settings, backend.db.uploads
    if incoming.size > settings.max_file_bytes:
        return TooBig(incoming.name, incoming.size, settings.max_file_mb)
    held = await uploads.find_by_file_unique_id(incoming.chat_id, incoming.file_unique_id)
    if held is not None and held.update_id == incoming.update_id:
        # This very update stored it, and a crash came before the answer: answer it now.
        summary = summary_from_dict(dict(held.summary))
        return await _taken(backend, incoming, AddOutcome(AddStatus.STORED, held), summary)
    if held is not None:
        return AlreadyHeld(incoming.name, held.test_number)
    try:
        data = await download()
    except DownloadTooBig:
        return TooBig(incoming.name, incoming.size, settings.max_file_mb)
    taken = {upload.test_number for upload in await uploads.active(incoming.chat_id)}
    test, _ = number_upload(incoming.name, incoming.caption, taken)
    file = UploadedFile(incoming.name, data, incoming.caption)
    try:
        summaries = await backend.workers.run(
            settings.parse_timeout_s, inspect_file, file, test, (), None, backend.parse_limits
        )
        if len(summaries) != 1:  # gradebooks: stored test by test in the next change
            raise CompilerError(f"{file.name}: holds {len(summaries)} tests.")
        summary = summaries[0]
    except CompilerError as exc:
        log.info("upload refused chat=%s reason=%s", incoming.chat_id, type(exc).__name__)
        return Unreadable(incoming.name, str(exc))
    except WorkerLimitExceeded as exc:
        log.warning("upload refused chat=%s reason=worker-%s", incoming.chat_id, exc.reason)
        return TooComplex(incoming.name)
    return await _store(backend, incoming, data, summary)


async def _store(
    backend: Backend, incoming: IncomingFile, data: bytes, summary: ExportSummary
) -> UploadResult:
    """Commit the file and its summary; only a committed file is ever acknowledged."""
    upload = NewUpload(
        file_name=summary.file_name,
        data=data,
        test_number=summary.test.number,
        test_how=summary.test.how,
        summary=dataclasses.asdict(summary),
        sender_id=incoming.sender_id,
        file_unique_id=incoming.file_unique_id,
        update_id=incoming.update_id,
    )
    try:
        outcome = await backend.db.uploads.add(incoming.chat_id, upload)
    except LimitExceeded as exc:
        return NoRoom(summary.file_name, str(exc))
    except STORAGE_FAILURES:  # read-only, full, I/O error; or the chat could not be noted
        log.exception("storing an upload failed in chat=%s", incoming.chat_id)
        return NotSaved(summary.file_name)
    return await _taken(backend, incoming, outcome, summary)


async def _taken(
    backend: Backend, incoming: IncomingFile, outcome: AddOutcome, summary: ExportSummary
) -> UploadTaken:
    """The stored test, with whether the person must now be asked for its maximum."""
    test = outcome.upload.test_number
    log.info(
        "upload chat=%s test=%s status=%s rows=%s",
        incoming.chat_id, test, outcome.status, summary.rows_read,
    )  # fmt: skip
    ask = outcome.status is not AddStatus.ALREADY_STORED and summary.needs_maximum
    if ask:
        ask = test not in (await backend.db.chats.get_settings(incoming.chat_id)).out_of
    return UploadTaken(summary.file_name, (StoredTest(outcome, summary, ask),))
