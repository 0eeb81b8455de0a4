"""Fixtures for storage tests: a database in a temporary directory with a clock tests move."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import Database, StorageLimits
from tests.storage.factories import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2025, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "bot.sqlite3"


@pytest.fixture
def limits() -> StorageLimits:
    return StorageLimits()


@pytest.fixture
async def db(db_path: Path, limits: StorageLimits, clock: FakeClock) -> AsyncIterator[Database]:
    database = await Database.open(db_path, limits, clock=clock)
    yield database
    await database.close()
