"""`python -m bot` as a real process: logs keep secrets out; a missing token is one plain line.

Stopping and killing it with work in flight: tests/faults."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from compiler.model import UploadedFile
from tests.bot.helpers import TEACHER, compile_workbook, send_file
from tests.support.bot_process import ROOT, free_port, start_bot, stop_bot
from tests.support.classes import make_class
from tests.support.telegram_standin import TelegramStandIn


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
async def test_the_token_and_personal_data_never_reach_the_logs(
    tg: TelegramStandIn, tmp_path: Path, level: str
) -> None:
    generated = make_class("surveyheart", people=12, tests=2, seed=21)
    bot = start_bot(tg, tmp_path, LOG_LEVEL=level)
    try:
        for file in generated.files:
            await send_file(tg, TEACHER, file, expect="Test ")
        await send_file(tg, TEACHER, UploadedFile("x.xlsx", b"PK\3\4bad"), expect="kept nothing")
        await compile_workbook(tg, TEACHER)
    finally:
        code, log = await stop_bot(bot, tmp_path)
    assert code == 0, log
    assert "started" in log and "stopped" in log
    token = tg.token
    assert token not in log and token.split(":", 1)[1] not in log
    if level == "INFO":
        for person in generated.people:
            assert person.name not in log
            assert all(email not in log for email in person.emails)


def test_a_missing_token_stops_it_with_one_line_saying_what_to_do(tmp_path: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={**environment, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "TELEGRAM_BOT_TOKEN is missing. Get a bot token from @BotFather in Telegram and put it "
        "in .env as TELEGRAM_BOT_TOKEN=<token> (see .env.example)."
    ]


async def test_with_a_webhook_url_it_serves_a_webhook_that_checks_the_secret(
    tg: TelegramStandIn, tmp_path: Path
) -> None:
    port, secret = free_port(), "webhook-secret-for-tests"
    url = f"http://127.0.0.1:{port}/telegram"
    bot = start_bot(tg, tmp_path, WEBHOOK_URL=url, WEBHOOK_SECRET=secret, PORT=str(port))
    try:
        registered = await tg.wait_for_call("setWebhook", timeout=30)
        assert registered.params["url"] == url
        assert registered.params["secret_token"] == secret
        update = tg.update(tg.send_text(TEACHER, "/help"))
        async with httpx.AsyncClient() as http:
            refused = await _post_when_up(http, url, update, "not-the-secret")
            assert refused.status_code == 403
            await tg.assert_nothing_sent(TEACHER, within=0.5)
            accepted = await _post_when_up(http, url, update, secret)
            assert accepted.status_code == 200
        await tg.wait_for_text(TEACHER, "/compile", timeout=30)
    finally:
        code, log = await stop_bot(bot, tmp_path)
    assert code == 0, log


async def _post_when_up(
    http: httpx.AsyncClient, url: str, update: dict[str, object], secret: str
) -> httpx.Response:
    """POST once the webhook server listens (it starts after setWebhook)."""
    for _ in range(100):
        try:
            return await http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
            )
        except httpx.ConnectError:
            await asyncio.sleep(0.1)
    raise AssertionError("the webhook server never came up")
