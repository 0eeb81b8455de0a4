"""Fault tests: the stand-in with a teacher, settings for the in-process bot, no stray process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.bot.helpers import OTHER_TEACHER, TEACHER
from tests.support.telegram_standin import TelegramStandIn


@pytest.fixture
async def tg() -> AsyncIterator[TelegramStandIn]:
    async with TelegramStandIn() as standin:
        standin.add_user(TEACHER, "Ines", last_name="Varga-Test")
        standin.add_user(OTHER_TEACHER, "Tomas", last_name="Lindqvist-Test")
        yield standin


@pytest.fixture
def make_settings(tmp_path: Path, tg: TelegramStandIn) -> Callable[..., Settings]:
    """Settings for a bot run in the test's own process, its database in tmp_path."""

    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "telegram_bot_token": tg.token,
            "telegram_base_url": tg.base_url,
            "telegram_base_file_url": tg.base_file_url,
            "database_path": tmp_path / "bot.sqlite3",
            "workers": 1,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg,arg-type]

    return make
