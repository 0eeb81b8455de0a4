"""The real bot application, running against the loopback Telegram stand-in."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.settings import Settings
from tests.support.telegram_standin import TelegramStandIn

TEACHER = 1001
OTHER_TEACHER = 1002
ADMIN = 9001


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


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Start the bot as `run_polling` would (post_init included), stop it as SIGTERM would."""
    app = build_application(settings)
    async with app:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        try:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=1)
            yield app
            await app.updater.stop()
            await app.stop()
        finally:
            await app.post_shutdown(app)


@pytest.fixture
async def bot(make_settings: Callable[..., Settings]) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with running(make_settings()) as app:
        yield app
