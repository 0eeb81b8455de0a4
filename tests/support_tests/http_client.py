"""A bare HTTP client for poking the stand-in without python-telegram-bot in the way."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from tests.support.telegram_standin import TelegramStandIn


class BotApiClient:
    """Calls `/bot<token>/<method>` with whatever encoding a test wants."""

    def __init__(self, tg: TelegramStandIn, http: httpx.AsyncClient) -> None:
        self.tg = tg
        self.http = http

    async def call(
        self, method: str, *, token: str | None = None, **params: Any
    ) -> tuple[int, dict[str, Any]]:
        """POST params as a JSON body; returns (HTTP status, decoded answer)."""
        return await self.send(method, token=token, json=params)

    async def send(
        self, method: str, *, token: str | None = None, http_method: str = "POST", **request: Any
    ) -> tuple[int, dict[str, Any]]:
        """Any request shape (`json=`, `data=`, `params=`, `files=`)."""
        url = f"/bot{token or self.tg.token}/{method}"
        response = await self.http.request(http_method, url, **request)
        return response.status_code, response.json()

    async def result(self, method: str, **params: Any) -> Any:
        """The `result` of a call that must succeed."""
        status, answer = await self.call(method, **params)
        assert (status, answer["ok"]) == (200, True), answer
        return answer["result"]


@contextlib.asynccontextmanager
async def bot_api(tg: TelegramStandIn, *, timeout: float = 10) -> AsyncIterator[BotApiClient]:
    """A BotApiClient on a fresh httpx client, closed afterwards."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{tg.port}", timeout=timeout) as http:
        yield BotApiClient(tg, http)
