"""The objects handlers work with, made once at start and closed at shutdown."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.broadcasting import Broadcaster
from bot.usecases.backend import Backend
from bot.workers import WorkerPool


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
class Services(Backend):
    """The use cases' backend (settings, database, workers), and the running bot's own:
    the flood limiter, the broadcaster, when it started and when an update last came."""

    workers: WorkerPool  # the real pool, which the bot closes at shutdown
    limiter: IncomingLimiter
    broadcaster: Broadcaster
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    last_update_at: datetime | None = None
