"""Compiling a chat's session: check it is ready, compile in a worker, record what went out.

Three steps, because the handler speaks between them: it may say the compile will take a few
seconds before it starts, and the compile is recorded only once the workbook was sent.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from bot.jobs import cards_session, compile_session
from bot.usecases.backend import STORAGE_FAILURES, Backend
from bot.usecases.changes import Changes, changes_since, digest_of
from bot.usecases.people import ChatPeople, chat_people
from bot.usecases.session import session_summaries
from bot.workers import WorkerLimitExceeded
from compiler import (
    DUPLICATE_RULES,
    POLICIES,
    CompileOptions,
    CompilerError,
    CompileResult,
    DuplicateRule,
    ExportSummary,
    LetterScale,
    Limits,
    NumberedFile,
    TestNumber,
    UploadedFile,
    letter_scale,
)
from storage import ChatSettings, NewCompile, StoredFile

log = logging.getLogger(__name__)
Done = TypeVar("Done")
PROGRESS_ROWS = 1_000  # a compile reading more rows than this is announced first


@dataclass(frozen=True, slots=True)
class EmptySession:
    """The chat holds no files."""


@dataclass(frozen=True, slots=True)
class MaximumMissing:
    """A test's file does not say out of how many marks, and nobody has said yet."""

    summary: ExportSummary

    @property
    def test(self) -> int:
        return self.summary.test.number


@dataclass(frozen=True, slots=True)
class CompilePlan:
    """The session is ready: its settings, how many tests and rows it holds, and the roster
    and answers about people its compile obeys."""

    settings: ChatSettings
    tests: int
    rows: int
    people: ChatPeople = field(default_factory=ChatPeople)

    @property
    def worth_announcing(self) -> bool:
        """Whether the compile is big enough to tell the person it takes a few seconds."""
        return self.rows > PROGRESS_ROWS


@dataclass(frozen=True, slots=True)
class CompiledSession:
    """The workbook, the picture of the results, and what the history records of them."""

    result: CompileResult
    picture: bytes | None
    upload_ids: tuple[int, ...]
    started: datetime
    seconds: float
    digest: Mapping[str, Any] | None = None  # what the next compile compares itself with
    changes: Changes | None = None  # what moved since the chat's last compile (None: first)


@dataclass(frozen=True, slots=True)
class CompileRefused:
    """The compiler could not use the files; `reason` is its sentence for the person."""

    reason: str


@dataclass(frozen=True, slots=True)
class TooBigToCompile:
    """The compile passed a worker's time or memory limit."""


async def plan_compile(
    backend: Backend, chat_id: int
) -> CompilePlan | EmptySession | MaximumMissing:
    """Whether the chat can compile now: files there, and every maximum known."""
    summaries = await session_summaries(backend, chat_id)
    if not summaries:
        return EmptySession()
    settings = await backend.db.chats.get_settings(chat_id)
    unknown = [s for s in summaries if s.needs_maximum and s.test.number not in settings.out_of]
    if unknown:
        return MaximumMissing(min(unknown, key=lambda s: s.test.number))
    rows = sum(s.rows_read for s in summaries)
    return CompilePlan(settings, len(summaries), rows, await chat_people(backend, chat_id))


def _numbered(stored: list[StoredFile]) -> list[NumberedFile]:
    """The session's files as the compiler takes them: each with its tests' numbers."""
    return [
        NumberedFile(
            UploadedFile(f.upload.file_name, f.data),
            tuple((test.key, TestNumber(test.number, test.how)) for test in f.upload.tests),
        )
        for f in stored
    ]


async def compile_chat(
    backend: Backend, chat_id: int, plan: CompilePlan
) -> CompiledSession | CompileRefused | TooBigToCompile:
    """Compile the session's stored files in a worker, by the chat's settings."""
    stored = await backend.db.uploads.load_files(chat_id)
    started, clock = datetime.now(UTC), time.monotonic()
    done = await run_session_job(backend, compile_session, stored, plan)
    if isinstance(done, CompileRefused | TooBigToCompile):
        return done
    result, picture = done
    upload_ids = tuple(f.upload.id for f in stored)
    seconds = time.monotonic() - clock
    tests = {test.number: f.upload.id for f in stored for test in f.upload.tests}
    digest = digest_of(result.report, tests, plan.settings)
    changes = changes_since(await _last_digest(backend, chat_id), digest, result.report)
    if changes is not None:
        log.info(
            "compile chat=%s changes: added=%s gone=%s to_pass=%s to_fail=%s tests=%s/%s/%s "
            "settings=%s",
            chat_id, changes.added, changes.gone, len(changes.now_passing),
            len(changes.now_failing), len(changes.tests_added), len(changes.tests_replaced),
            len(changes.tests_removed), len(changes.settings),
        )  # fmt: skip
    return CompiledSession(result, picture, upload_ids, started, seconds, digest, changes)


async def _last_digest(backend: Backend, chat_id: int) -> Mapping[str, Any] | None:
    """The digest of the chat's last compile; None when none, or when storage cannot say."""
    try:
        last = await backend.db.compiles.recent(chat_id, limit=1)
    except STORAGE_FAILURES as exc:
        log.warning("last compile of chat=%s unread: %s", chat_id, type(exc).__name__)
        return None
    return last[0].digest if last else None


async def run_session_job(
    backend: Backend,
    job: Callable[[Sequence[NumberedFile], CompileOptions, Limits], Done],
    stored: list[StoredFile],
    plan: CompilePlan,
) -> Done | CompileRefused | TooBigToCompile:
    """Run a job of `bot/jobs.py` on the session's files in a worker, by the chat's settings."""
    try:
        return await backend.workers.run(
            backend.settings.compile_timeout_s,
            job,
            _numbered(stored),
            chat_options(plan.settings, plan.people),
            backend.parse_limits,
        )
    except CompilerError as exc:
        return CompileRefused(str(exc))
    except WorkerLimitExceeded:
        return TooBigToCompile()


@dataclass(frozen=True, slots=True)
class CardsMade:
    """The report cards of the session: one PDF, a cover and a page per participant."""

    pdf: bytes
    pages: int
    started: datetime


async def make_cards(
    backend: Backend, chat_id: int, plan: CompilePlan
) -> CardsMade | CompileRefused | TooBigToCompile:
    """Compile the session and print its report cards in a worker, by the chat's settings."""
    started = datetime.now(UTC)
    done = await run_session_job(
        backend, cards_session, await backend.db.uploads.load_files(chat_id), plan
    )
    if isinstance(done, CompileRefused | TooBigToCompile):
        return done
    pdf, pages = done
    log.info("cards chat=%s pages=%s bytes=%s", chat_id, pages, len(pdf))
    return CardsMade(pdf, pages, started)


async def record_compile(
    backend: Backend, chat_id: int, actor_id: int | None, compiled: CompiledSession
) -> None:
    """Keep the compile in the chat's history; a failing database only loses the record."""
    report = compiled.result.report
    done = NewCompile(
        upload_ids=compiled.upload_ids,
        started_at=compiled.started,
        duration_seconds=compiled.seconds,
        participants=len(report.participants),
        passed=report.passed,
        failed=report.failed,
        output_sha256=hashlib.sha256(compiled.result.workbook).hexdigest(),
        digest=compiled.digest,
    )
    try:
        await backend.db.compiles.record(chat_id, actor_id, done)
    except STORAGE_FAILURES as exc:  # the workbook went out; only the history misses it
        log.warning("compile chat=%s not recorded: %s", chat_id, type(exc).__name__)
    log.info(
        "compile chat=%s tests=%s participants=%s seconds=%.2f",
        chat_id, len(report.tests), len(report.participants), compiled.seconds,
    )  # fmt: skip


def chat_options(settings: ChatSettings, people: ChatPeople | None = None) -> CompileOptions:
    """A chat's stored settings, roster and answers about people as the compiler's options
    (unknown names fall back)."""
    policy = POLICIES.get(settings.policy) or POLICIES["classic"]
    duplicates: DuplicateRule = next(
        (rule for rule in DUPLICATE_RULES if rule == settings.duplicates), "best"
    )
    return CompileOptions(
        policy=replace(policy, pass_mark=settings.pass_mark),
        duplicates=duplicates,
        out_of=dict(settings.out_of),
        weights=dict(settings.weights),
        drop_lowest=settings.drop_lowest,
        letters=chat_letters(settings),
        roster=None if people is None else people.roster,
        decisions=() if people is None else people.decisions,
    )


def chat_letters(settings: ChatSettings) -> LetterScale | None:
    """The chat's letter scale; None when it chose none (or kept one no longer readable)."""
    if not settings.letters:
        return None
    try:
        return letter_scale(settings.letters)
    except CompilerError:
        return None
