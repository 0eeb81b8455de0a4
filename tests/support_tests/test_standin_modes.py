"""The stand-in on its own thread: a blocking test, a bot in the test's loop, a bot process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.telegram_standin import ApiCall, TelegramStandIn
from tests.support_tests.ptb_apps import add_demo_handlers, polling

REPO_ROOT = Path(__file__).resolve().parents[2]
AMARA = 5101


async def test_threaded_stand_in_serves_a_bot_in_the_test_loop_and_blocking_calls() -> None:
    with TelegramStandIn().run_in_thread() as tg:
        # A blocking call from the test's thread would deadlock a stand-in on this loop.
        me = httpx.post(f"{tg.base_url}{tg.token}/getMe").json()
        app = tg.application_builder().build()
        add_demo_handlers(app)
        async with polling(app):
            tg.send_text(AMARA, "across threads")
            reply = await tg.wait_for_text(AMARA, "across threads", timeout=5)
    assert me["result"]["username"] == "results_compiler_test_bot"
    assert reply.text == "echo: across threads"


class BotProcess:
    """`python -m tests.support.echo_bot` pointed at a stand-in; stderr kept for failures."""

    def __init__(self, tg: TelegramStandIn, log: Path) -> None:
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.echo_bot"],
            cwd=REPO_ROOT,
            env={**os.environ, **tg.bot_env()},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
        )

    def kill(self) -> int:
        """SIGKILL, as a crash or an OOM kill would; returns the exit status."""
        self.process.send_signal(signal.SIGKILL)
        return self.process.wait(10)

    def stop(self) -> int:
        """SIGTERM (PTB stops polling cleanly); SIGKILL if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
        return self.process.returncode


@pytest.fixture
def bot_log(tmp_path: Path) -> Iterator[Path]:
    log = tmp_path / "bot.log"
    yield log
    if log.exists():  # shown by pytest only when the test failed
        print(log.read_text(errors="replace"))


def _offset_passes(update_id: int) -> Callable[[ApiCall], bool]:
    return lambda call: int(call.params.get("offset", 0)) > update_id


def test_a_bot_killed_after_confirming_gets_only_what_was_sent_while_it_was_down(
    bot_log: Path,
) -> None:
    with TelegramStandIn().run_in_thread() as tg:
        tg.add_user(AMARA, "Amara")
        first = BotProcess(tg, bot_log)
        try:
            tg.send_text(AMARA, "before")
            asyncio.run(tg.wait_for_text(AMARA, "echo: before", timeout=15))
            slow_id = tg.send_text(AMARA, "/slow")
            asyncio.run(tg.wait_for_call("sendChatAction", timeout=5))
            # PTB confirms a batch with its next getUpdates, while the handler still runs.
            asyncio.run(tg.wait_for_call("getUpdates", _offset_passes(slow_id), answered=False))
            assert first.kill() == -signal.SIGKILL
        finally:
            first.stop()
        while_down = tg.send_text(AMARA, "while you were down")
        assert not tg.was_delivered(while_down)
        second = BotProcess(tg, bot_log)
        try:
            reply = asyncio.run(tg.wait_for_text(AMARA, "echo: while you were down", timeout=15))
        finally:
            assert second.stop() == 0
    assert reply.chat_id == AMARA
    assert tg.deliveries(slow_id) == 1  # confirmed before the kill: lost, not redone
    assert [action.action for action in tg.chat_actions] == ["typing"]
    assert tg.confirmed_offset == while_down + 1  # the clean stop confirmed everything


def test_a_bot_killed_before_confirming_gets_the_update_again(bot_log: Path) -> None:
    with TelegramStandIn().run_in_thread() as tg:
        tg.add_user(AMARA, "Amara")
        first = BotProcess(tg, bot_log)
        try:
            tg.send_text(AMARA, "ready?")
            asyncio.run(tg.wait_for_text(AMARA, "echo: ready?", timeout=15))
            mark = tg.mark()
            asyncio.run(tg.wait_for_call("getUpdates", since=mark, answered=False))
            tg.delay_next("getUpdates", 30)  # holds the poll that would confirm /slow
            slow_id = tg.send_text(AMARA, "/slow")
            asyncio.run(tg.wait_for_call("sendChatAction", timeout=5))
            first.kill()
        finally:
            first.stop()
        restarted = tg.mark()
        second = BotProcess(tg, bot_log)
        try:
            asyncio.run(tg.wait_for_call("sendChatAction", since=restarted, timeout=15))
        finally:
            second.kill()
            second.stop()
    assert tg.deliveries(slow_id) == 2
    assert [action.action for action in tg.chat_actions] == ["typing", "typing"]
