"""Taking an uploaded file: refuse it early, skip one already held, or fetch, number, parse in a
worker and store it; say what was done as a typed result the handler words. A file sent with the
caption `roster`, or one with no score column at all that names people, becomes the chat's
class roster instead.

Only a committed file is ever acknowledged: `UploadTaken` and `RosterTaken` mean the commit
happened.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.usecases.backend import STORAGE_FAILURES, Backend
from bot.usecases.people import new_roster
from bot.workers import WorkerLimitExceeded
from compiler import (
    CompilerError,
    ExportSummary,
    NoScoreColumn,
    Roster,
    UploadedFile,
    inspect_file,
    number_upload,
    read_roster,
    summary_from_dict,
)
from storage import AddOutcome, AddStatus, LimitExceeded, NewTest, NewUpload

log = logging.getLogger(__name__)
ROSTER_CAPTION = "roster"


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
        return self.summary.test.number


@dataclass(frozen=True, slots=True)
class UploadTaken:
    """The file is committed (or was already): the tests it brought (a gradebook, several)."""

    file_name: str
    tests: tuple[StoredTest, ...]


@dataclass(frozen=True, slots=True)
class RosterTaken:
    """The file is committed as the chat's class roster. `detected`: it came without the
    caption `roster`, and was taken as one because it has no score column at all."""

    file_name: str
    people: int
    with_contact: int  # people with an e-mail or an id
    replaced: str | None  # the file name of the roster it replaced
    detected: bool


@dataclass(frozen=True, slots=True)
class AlreadyHeld:
    """The chat already holds this very Telegram file: nothing was fetched or changed."""

    file_name: str
    tests: tuple[int, ...]


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
UploadResult = UploadTaken | RosterTaken | AlreadyHeld | UploadRefused


def is_roster_caption(caption: str | None) -> bool:
    """Whether the caption says the file is a class roster (`roster`, any case)."""
    return caption is not None and caption.strip().casefold() == ROSTER_CAPTION


async def take_upload(backend: Backend, incoming: IncomingFile, download: Download) -> UploadResult:
    """Take one export: check its size, skip it if held, fetch, number, parse, store.

    A gradebook brings several tests, each numbered (an item the chat already holds keeps its
    number, so a corrected gradebook replaces its own tests). The same Telegram update a
    second time (the bot was stopped before it answered) gives the answer it would have given,
    without storing anything again.
    """
    settings, uploads = backend.settings, backend.db.uploads
    if incoming.size > settings.max_file_bytes:
        return TooBig(incoming.name, incoming.size, settings.max_file_mb)
    if is_roster_caption(incoming.caption):
        return await _take_roster(backend, incoming, download)
    held = await uploads.find_by_file_unique_id(incoming.chat_id, incoming.file_unique_id)
    if held is not None and held.update_id == incoming.update_id:
        # This very update stored it, and a crash came before the answer: answer it now.
        summaries = tuple(summary_from_dict(dict(test.summary)) for test in held.tests)
        return await _taken(backend, incoming, AddOutcome(AddStatus.STORED, held), summaries)
    if held is not None:
        return AlreadyHeld(incoming.name, held.test_numbers)
    try:
        data = await download()
    except DownloadTooBig:
        return TooBig(incoming.name, incoming.size, settings.max_file_mb)
    active = await uploads.active(incoming.chat_id)
    taken = {test.number for upload in active for test in upload.tests}
    known = {test.key: test.number for upload in active for test in upload.tests if test.key}
    first, _ = number_upload(incoming.name, incoming.caption, taken)
    file = UploadedFile(incoming.name, data, incoming.caption)
    try:
        summaries = await backend.workers.run(
            settings.parse_timeout_s,
            inspect_file,
            file,
            first,
            frozenset(taken),
            known,
            backend.parse_limits,
        )
    except NoScoreColumn as exc:
        if incoming.caption and incoming.caption.strip():  # the teacher said it is a test
            return Unreadable(incoming.name, str(exc))
        return await _detected_roster(backend, incoming, data, exc)
    except CompilerError as exc:
        log.info("upload refused chat=%s reason=%s", incoming.chat_id, type(exc).__name__)
        return Unreadable(incoming.name, str(exc))
    except WorkerLimitExceeded as exc:
        log.warning("upload refused chat=%s reason=worker-%s", incoming.chat_id, exc.reason)
        return TooComplex(incoming.name)
    return await _store(backend, incoming, data, summaries)


async def _take_roster(
    backend: Backend, incoming: IncomingFile, download: Download
) -> RosterTaken | UploadRefused:
    """A file captioned `roster`: fetch it, read its people in a worker, keep it."""
    try:
        data = await download()
    except DownloadTooBig:
        return TooBig(incoming.name, incoming.size, backend.settings.max_file_mb)
    read = await _read_roster(backend, incoming, data)
    if not isinstance(read, Roster):
        return read
    return await _keep_roster(backend, incoming, read, detected=False)


async def _detected_roster(
    backend: Backend, incoming: IncomingFile, data: bytes, refusal: NoScoreColumn
) -> RosterTaken | UploadRefused:
    """A file with no score column at all: kept as the roster when it names people, else
    refused as before, with the reason it is no test."""
    read = await _read_roster(backend, incoming, data)
    if isinstance(read, Unreadable):
        return Unreadable(incoming.name, str(refusal))
    if not isinstance(read, Roster):
        return read
    return await _keep_roster(backend, incoming, read, detected=True)


async def _read_roster(
    backend: Backend, incoming: IncomingFile, data: bytes
) -> Roster | Unreadable | TooComplex:
    file = UploadedFile(incoming.name, data)
    try:
        return await backend.workers.run(
            backend.settings.parse_timeout_s, read_roster, file, backend.parse_limits
        )
    except CompilerError as exc:
        log.info("roster refused chat=%s reason=%s", incoming.chat_id, type(exc).__name__)
        return Unreadable(incoming.name, str(exc))
    except WorkerLimitExceeded as exc:
        log.warning("roster refused chat=%s reason=worker-%s", incoming.chat_id, exc.reason)
        return TooComplex(incoming.name)


async def _keep_roster(
    backend: Backend, incoming: IncomingFile, roster: Roster, *, detected: bool
) -> RosterTaken | NotSaved:
    """Commit the roster, replacing the chat's earlier one; only then is it acknowledged."""
    kept_roster = new_roster(roster, incoming.sender_id, incoming.update_id)
    try:
        kept = await backend.db.rosters.replace(incoming.chat_id, kept_roster)
    except STORAGE_FAILURES:
        log.exception("storing a roster failed in chat=%s", incoming.chat_id)
        return NotSaved(incoming.name)
    log.info(
        "roster chat=%s people=%s with_contact=%s detected=%s replaced=%s",
        incoming.chat_id, kept.roster.people, kept.roster.with_contact, detected,
        kept.replaced is not None,
    )  # fmt: skip
    return RosterTaken(
        file_name=incoming.name,
        people=kept.roster.people,
        with_contact=kept.roster.with_contact,
        replaced=None if kept.replaced is None else kept.replaced.file_name,
        detected=detected,
    )


async def _store(
    backend: Backend,
    incoming: IncomingFile,
    data: bytes,
    summaries: tuple[ExportSummary, ...],
) -> UploadResult:
    """Commit the file and its tests; only a committed file is ever acknowledged."""
    several = len(summaries) > 1
    upload = NewUpload(
        file_name=incoming.name,
        data=data,
        tests=tuple(
            NewTest(
                number=summary.test.number,
                how=summary.test.how,
                summary=dataclasses.asdict(summary),
                key=summary.key if several else None,
            )
            for summary in summaries
        ),
        sender_id=incoming.sender_id,
        file_unique_id=incoming.file_unique_id,
        update_id=incoming.update_id,
    )
    try:
        outcome = await backend.db.uploads.add(incoming.chat_id, upload)
    except LimitExceeded as exc:
        return NoRoom(incoming.name, str(exc))
    except STORAGE_FAILURES:  # read-only, full, I/O error; or the chat could not be noted
        log.exception("storing an upload failed in chat=%s", incoming.chat_id)
        return NotSaved(incoming.name)
    if outcome.status is AddStatus.ALREADY_STORED:
        held = tuple(summary_from_dict(dict(test.summary)) for test in outcome.upload.tests)
        return await _taken(backend, incoming, outcome, held)
    return await _taken(backend, incoming, outcome, summaries)


async def _taken(
    backend: Backend,
    incoming: IncomingFile,
    outcome: AddOutcome,
    summaries: tuple[ExportSummary, ...],
) -> UploadTaken:
    """The stored tests, each with whether the person must now be asked for its maximum."""
    log.info(
        "upload chat=%s tests=%s status=%s rows=%s",
        incoming.chat_id, len(summaries), outcome.status, sum(s.rows_read for s in summaries),
    )  # fmt: skip
    fresh = outcome.status is not AddStatus.ALREADY_STORED
    given = (
        (await backend.db.chats.get_settings(incoming.chat_id)).out_of
        if fresh and any(s.needs_maximum for s in summaries)
        else {}
    )
    tests = tuple(
        StoredTest(
            outcome, summary, fresh and summary.needs_maximum and summary.test.number not in given
        )
        for summary in summaries
    )
    return UploadTaken(incoming.name, tests)
