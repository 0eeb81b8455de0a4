"""Test-wide: any accidental connection off this machine fails loudly; the Telegram stand-in
with its people, and settings pointing a bot at it."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.bot.helpers import ADMIN, OTHER_TEACHER, TEACHER
from tests.support.telegram_standin import TelegramStandIn

# See bot/__init__.py: python-telegram-bot 22 warns on 429s unless timedeltas are opted in.
os.environ.setdefault("PTB_TIMEDELTA", "1")

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: object) -> bool:
    if isinstance(address, str | bytes):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) else address
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_loopback(address):
        raise RuntimeError(f"tests must not touch the network (tried {address!r})")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_loopback(address):
        raise RuntimeError(f"tests must not touch the network (tried {address!r})")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> object:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign,assignment]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


# The stand-in and the settings of a bot talking to it, for tests/bot and tests/faults.


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
