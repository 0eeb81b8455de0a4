"""What the use cases work with: the settings, the database and a runner of worker jobs.

No Telegram here: the use cases run the same under the bot, and in tests with a temporary
database and a runner that does the job inline.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from bot.settings import Settings
from compiler import Limits
from storage import Database, StorageError

T = TypeVar("T")
# What a failing database raises (read-only, full, I/O error, closed): caught where the bot
# can go on without the write, or tell the person what was not saved.
STORAGE_FAILURES = (sqlite3.Error, StorageError, OSError)


class JobRunner(Protocol):
    """Runs CPU work away from the event loop: `bot.workers.WorkerPool` in the bot.

    Raises `bot.workers.WorkerLimitExceeded` when the job passes `timeout` or its memory.
    """

    async def run(self, timeout: float, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)`, run elsewhere; its result."""
        ...


@dataclass
class Backend:
    """The settings, the database and the worker pool: all a use case needs."""

    settings: Settings
    db: Database
    workers: JobRunner

    @property
    def parse_limits(self) -> Limits:
        """The compiler's limits for reading one file."""
        return Limits(max_bytes=self.settings.max_file_bytes)
