"""The Telegram stand-in with its people, and settings pointing a bot at it: the fixtures of
the tests that run the bot (tests/bot, tests/faults, tests/support_tests import them in their
conftest), kept apart so that the compiler's and storage's tests never import the bot."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.bot.helpers import ADMIN, OTHER_TEACHER, TEACHER
from tests.support.telegram_standin import TelegramStandIn


@pytest.fixture
async def tg() -> AsyncIterator[TelegramStandIn]:
    async with TelegramStandIn() as standin:
        standin.add_user(TEACHER, "Ines", last_name="Varga-Test")
        standin.add_user(OTHER_TEACHER, "Tomas", last_name="Lindqvist-Test")
        standin.add_user(ADMIN, "Ada", last_name="Admin-Test")
        yield standin


@pytest.fixture
def make_settings(tmp_path: Path, tg: TelegramStandIn) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "telegram_bot_token": tg.token,
            "telegram_base_url": tg.base_url,
            "telegram_base_file_url": tg.base_file_url,
            "database_path": tmp_path / "bot.sqlite3",
            "admin_ids": frozenset({ADMIN}),
            "workers": 1,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return make
