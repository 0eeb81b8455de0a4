"""A chat's session outside of uploads and compiles: what it holds, dropping tests, starting
afresh, the maxima people give, the settings; and the chat noted as each update arrives."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.usecases.backend import STORAGE_FAILURES, Backend
from compiler import ExportSummary, summary_from_dict
from storage import ChatKind, ChatSettings, PurgeResult, Removal, RosterInfo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SessionStatus:
    """What /status shows: each test's parse summary, the settings in force, the roster and
    how many answers about people stand."""

    summaries: list[ExportSummary]
    settings: ChatSettings
    roster: RosterInfo | None = None
    answers: int = 0


@dataclass(frozen=True, slots=True)
class IdleSessionsEnded:
    """What the daily purge did: sessions ended, and update ids forgotten."""

    purged: PurgeResult
    forgotten_updates: int


async def session_summaries(backend: Backend, chat_id: int) -> list[ExportSummary]:
    """The parse summaries of the chat's tests (a gradebook brings several), in test order."""
    uploads = await backend.db.uploads.active(chat_id)
    summaries = [summary_from_dict(dict(t.summary)) for u in uploads for t in u.tests]
    return sorted(summaries, key=lambda s: s.test.number)


async def session_status(backend: Backend, chat_id: int) -> SessionStatus:
    """The session's tests, the chat's settings, its roster and its answers about people."""
    summaries = await session_summaries(backend, chat_id)
    return SessionStatus(
        summaries,
        await backend.db.chats.get_settings(chat_id),
        await backend.db.rosters.info(chat_id),
        len(await backend.db.people.decisions(chat_id)),
    )


async def remove_test(backend: Backend, chat_id: int, test: int, actor_id: int | None) -> bool:
    """Drop a test (from its file, and from the files it replaced); False when there was none."""
    removal = await backend.db.uploads.remove_test(chat_id, test, actor_id)
    return removal.tests > 0


async def reset_chat(backend: Backend, chat_id: int, actor_id: int | None) -> Removal:
    """Delete every file of the chat, the maxima and weights given for them, its roster and
    its answers about people; put the grading settings back to their defaults."""
    return await backend.db.sessions.reset(chat_id, actor_id)


async def give_maximum(
    backend: Backend, chat_id: int, actor_id: int | None, test: int, maximum: float
) -> None:
    """Keep what a test is out of, as the person said."""
    await backend.db.chats.update_settings(chat_id, actor_id, out_of={test: maximum})


async def chat_settings(backend: Backend, chat_id: int) -> ChatSettings:
    """The chat's compile settings (the defaults for a chat never seen)."""
    return await backend.db.chats.get_settings(chat_id)


async def change_settings(
    backend: Backend, chat_id: int, actor_id: int | None, change: dict[str, object]
) -> ChatSettings:
    """Apply a settings button's change (`policy`, `duplicates` or `pass_mark`); the result."""
    return await backend.db.chats.update_settings(
        chat_id,
        actor_id,
        **change,  # type: ignore[arg-type]
    )


async def note_chat(backend: Backend, chat_id: int, kind: ChatKind, title: str | None) -> None:
    """Note the chat as seen now. Bookkeeping: a database that refuses the write is logged,
    and the update is handled all the same (reads keep working, a file is "not saved")."""
    try:
        await backend.db.chats.touch(chat_id, kind, title)
    except STORAGE_FAILURES as exc:
        log.warning("could not note chat=%s: %s", chat_id, type(exc).__name__)


async def end_idle_sessions(
    backend: Backend, now: datetime, keep_handled: timedelta
) -> IdleSessionsEnded:
    """End the sessions idle longer than SESSION_TTL_DAYS, with their files; forget the ids of
    updates handled longer ago than `keep_handled` (Telegram cannot send them again)."""
    purged = await backend.db.sessions.purge_expired(now, backend.settings.session_ttl_days)
    forgotten = await backend.db.inbox.forget_handled(now - keep_handled)
    log.info(
        "purge: %s chats, %s files, %s handled update ids", purged.chats, purged.uploads, forgotten
    )
    return IdleSessionsEnded(purged, forgotten)
