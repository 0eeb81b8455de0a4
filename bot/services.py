"""The objects handlers work with, made once at start and closed at shutdown."""

from __future__ import annotations

import sqlite3
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram.ext import CallbackContext

from bot.broadcasting import Broadcaster
from bot.settings import Settings
from bot.workers import WorkerPool
from compiler import Limits
from storage import Database, StorageError

SERVICES_KEY = "services"
# What a failing database raises (read-only, full, I/O error, closed): caught where the bot
# can go on without the write, or tell the person what was not saved.
STORAGE_FAILURES = (sqlite3.Error, StorageError, OSError)


@dataclass
class IncomingLimiter:
    """At most `per_minute` updates a minute from one person; one warning, then silence."""

    per_minute: int
    _seen: dict[int, deque[float]] = field(default_factory=dict)
    _warned: set[int] = field(default_factory=set)

    def check(self, user_id: int, now: float | None = None) -> str:
        """`"allow"`, `"warn"` (first refusal in a window) or `"drop"`."""
        now = time.monotonic() if now is None else now
        stamps = self._seen.setdefault(user_id, deque())
        while stamps and now - stamps[0] >= 60:
            stamps.popleft()
        if len(stamps) < self.per_minute:
            stamps.append(now)
            self._warned.discard(user_id)
            return "allow"
        if user_id in self._warned:
            return "drop"
        self._warned.add(user_id)
        return "warn"


@dataclass
class Services:
    """Settings, database, worker pool and the bot's own bookkeeping."""

    settings: Settings
    db: Database
    workers: WorkerPool
    limiter: IncomingLimiter
    broadcaster: Broadcaster
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    last_update_at: datetime | None = None

    @property
    def parse_limits(self) -> Limits:
        return Limits(max_bytes=self.settings.max_file_bytes)


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    """The application's services, as `post_init` stored them."""
    found = context.application.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
