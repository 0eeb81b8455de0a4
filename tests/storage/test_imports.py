"""Storage's repositories need only `DatabaseAccess`: none imports `Database` (not even for a
type), each module imports alone, and a repository runs over an access of its own. That
storage's imports form no cycle is checked with the house's layering (tests/test_layering.py).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from pathlib import Path

import aiosqlite
import pytest

from storage import ChatKind, Database, StorageLimits
from storage.chats import ChatRepository
from tests.test_layering import ROOT, imports_of, sources

STORAGE_MODULES = sorted(
    ".".join(path.relative_to(ROOT).with_suffix("").parts) for path in sources("storage")
)


def test_no_repository_imports_the_database() -> None:
    found = [
        f"{path.name}:{line}"
        for path in sources("storage")
        if path.name not in {"__init__.py", "__main__.py", "database.py"}
        for line, module in imports_of(path)
        if module.startswith("storage.database")
    ]
    assert found == []


@pytest.mark.parametrize("module", STORAGE_MODULES)
def test_each_module_imports_alone_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


class CountingAccess:
    """A `DatabaseAccess` of its own: a real database behind it, its own clock, a tally."""

    def __init__(self, db: Database, moment: datetime) -> None:
        self._db = db
        self._moment = moment
        self.transactions = 0

    @property
    def limits(self) -> StorageLimits:
        return self._db.limits

    def now(self) -> datetime:
        return self._moment

    def transaction(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        self.transactions += 1
        return self._db.transaction()

    def snapshot(self) -> AbstractAsyncContextManager[aiosqlite.Connection]:
        return self._db.snapshot()

    async def reclaim_space(self) -> None:
        await self._db.reclaim_space()


@asynccontextmanager
async def _opened(path: Path) -> AsyncIterator[Database]:
    db = await Database.open(path)
    try:
        yield db
    finally:
        await db.close()


async def test_a_repository_works_over_any_database_access(tmp_path: Path) -> None:
    moment = datetime.fromisoformat("2024-05-06T07:08:09+00:00")
    async with _opened(tmp_path / "bot.sqlite3") as db:
        access = CountingAccess(db, moment)
        chats = ChatRepository(access)
        seen = await chats.touch(42, ChatKind.PRIVATE, None)
        assert seen.first_seen == moment and access.transactions == 1
        assert await chats.get(42) == seen
