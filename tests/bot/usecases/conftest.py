"""The use cases over a temporary database and inline workers: no Telegram, no HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.settings import Settings
from bot.usecases.backend import Backend
from storage import ChatKind, Database
from tests.bot.usecases.helpers import ADMIN, CHAT
from tests.support.inline_workers import InlineWorkers


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        telegram_bot_token=SecretStr("123456:" + "A" * 35),
        database_path=tmp_path / "bot.sqlite3",
        admin_ids=frozenset({ADMIN}),
    )


@pytest.fixture
async def backend(settings: Settings) -> AsyncIterator[Backend]:
    db = await Database.open(settings.database_path, settings.limits)
    await db.chats.touch(CHAT, ChatKind.PRIVATE, None)
    try:
        yield Backend(settings, db, InlineWorkers())
    finally:
        await db.close()
