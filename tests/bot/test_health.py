"""GET /health: 200 with the database's state and the last update; 503 when it is unusable."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

from bot.services import Services
from bot.settings import Settings
from tests.bot.helpers import TEACHER, command, running
from tests.support.bot_process import free_port
from tests.support.telegram_standin import TelegramStandIn


async def test_health_says_ok_then_503_when_the_database_is_gone(
    tg: TelegramStandIn, make_settings: Callable[..., Settings]
) -> None:
    port = free_port()
    async with running(make_settings(health_port=port)) as app, httpx.AsyncClient() as http:
        url = f"http://127.0.0.1:{port}/health"
        fresh = await http.get(url)
        assert fresh.status_code == 200
        assert json.loads(fresh.text)["last_update_at"] is None

        await command(tg, TEACHER, "/help", "/compile")
        seen = json.loads((await http.get(url)).text)
        assert seen["status"] == "ok" and seen["database"] == "ok"
        assert seen["last_update_at"] is not None

        svc: Services = app.bot_data.services
        await svc.db.close()
        broken = await http.get(url)
        assert broken.status_code == 503
        assert json.loads(broken.text)["database"] == "unusable"
