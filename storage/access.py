"""What the repositories need of the database, and nothing more: the seam between them.

The repositories (chats, uploads, sessions, compiles, people, rosters, broadcasts, inbox,
audit) take any object with these members; `Database` is the one the program uses. So no
repository imports `Database`, and `storage.database`, which builds them all, is imported by
none of them.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

import aiosqlite

from storage.models import StorageLimits


class DatabaseAccess(Protocol):
    """Transactions, read snapshots, the clock and the limits: what a repository works with."""

    @property
    def limits(self) -> StorageLimits:
        """The limits uploads are checked against."""
        ...

    def now(self) -> datetime:
        """The current time, aware, in UTC (a test may stand it still)."""
        ...

    def transaction(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """A write transaction, committed on success and rolled back on any exception."""
        ...

    def snapshot(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        """A read transaction: every query inside sees the same committed state."""
        ...

    async def reclaim_space(self) -> None:
        """Give the pages that deletions freed back to the file system."""
        ...
