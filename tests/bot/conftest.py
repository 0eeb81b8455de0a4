"""The real bot application, running against the loopback Telegram stand-in
(`tg` and `make_settings` come from tests/support/bot_fixtures.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from telegram.ext import Application

from bot.settings import Settings
from tests.bot.helpers import running
from tests.support import bot_fixtures


@pytest.fixture
async def bot(make_settings: Callable[..., Settings]) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with running(make_settings()) as app:
        yield app


tg = bot_fixtures.tg
make_settings = bot_fixtures.make_settings
