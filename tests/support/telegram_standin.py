"""A fake Telegram Bot API server on loopback, for testing the real bot over HTTP.

    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()     # token, base_url, base_file_url set
        tg.add_user(42, "Amara")
        tg.send_text(42, "/start")
        reply = await tg.wait_for_text(42, "Welcome")

Runs on the test's event loop (`async with`), or on its own thread (`with tg.run_in_thread()`)
when the test blocks, runs the bot in another thread, or starts `python -m bot` as a child
process (`env={**os.environ, **tg.bot_env()}`). Every method is safe from any thread, and the
`wait_*` coroutines work from any event loop (in a plain test: `asyncio.run(tg.wait_...)`).

Cheat sheet (details in controls.py and observing.py of tests/support/standin/):
- people act, each returning an update_id: send_text, send_document, press_button,
  forward_text, inject_update; redeliver(update_id) hands out a duplicate;
- what the bot did: sent (SentMessage: text, caption, document, photo, buttons, history),
  messages_to, calls(method) (ApiCall: params, status, at), callback_answers, chat_actions,
  my_commands, confirmed_offset, deliveries(update_id);
- waiting: wait_for, wait_for_text, wait_for_document, wait_for_call, wait_delivered,
  assert_nothing_sent; pass since=tg.mark() to ignore what came before;
- faults: fail_next (429 with retry_after, or any code), delay_next (before or after the call
  takes effect; DOWNLOAD holds a file's bytes), block_chat, file_too_big, limit_send_rate,
  start_outage/end_outage.

What it models: long polling (offset, timeout, limit, allowed_updates, 409 when two pollers
compete), per-chat message ids, files (getFile, downloads, 20 MB limit), parse_mode checks,
flood and block errors. Strict by default: leaving the `async with` fails the test if the bot
called a method the stand-in does not know.

With python-telegram-bot 22.8 set PTB_TIMEDELTA=1 in tests that see a 429: RetryAfter reads a
deprecated attribute in its own constructor, and with warnings as errors the warning replaces
the RetryAfter.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Self

from tests.support.standin import objects
from tests.support.standin.controls import WorldControls
from tests.support.standin.objects import JsonDict
from tests.support.standin.observing import Observations, StandInTimeout
from tests.support.standin.records import ApiCall, CallbackAnswer, ChatAction, SentMessage
from tests.support.standin.server import CLIENT_GONE, DOWNLOAD, StandInServer
from tests.support.standin.world import Limits, World

if TYPE_CHECKING:
    from telegram.ext import ApplicationBuilder

__all__ = [
    "CLIENT_GONE",
    "DEFAULT_TOKEN",
    "DOWNLOAD",
    "ApiCall",
    "CallbackAnswer",
    "ChatAction",
    "Limits",
    "SentMessage",
    "StandInError",
    "StandInTimeout",
    "TelegramStandIn",
]

DEFAULT_TOKEN = "4242:stand-in-test-token-not-a-real-one"  # noqa: S105 (fake)


class StandInError(AssertionError):
    """The bot did something the stand-in cannot answer (unknown method, stand-in bug)."""


class TelegramStandIn(WorldControls, Observations):
    """A fake Bot API server plus the test-facing controls; see the module docstring."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "results_compiler_test_bot",
        bot_name: str = "Results Compiler",
        strict: bool = True,
        default_timeout: float = 10.0,
        limits: Limits | None = None,
    ) -> None:
        bot_user = objects.user_dict(
            int(token.split(":")[0]), bot_name, username=bot_username, is_bot=True
        )
        self._world = World(token, bot_user, limits or Limits())
        self._server = StandInServer(self._world)
        self.strict = strict
        self.default_timeout = default_timeout
        self._thread_stop: Callable[[], None] | None = None

    # Running

    async def start(self) -> None:
        """Start serving on the running event loop."""
        await self._server.start()

    async def stop(self) -> None:
        """Answer waiting long polls, close every connection, stop listening."""
        await self._server.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        await self.stop()
        if exc_type is None and self.strict:
            self.check_clean()

    @contextlib.contextmanager
    def run_in_thread(self) -> Iterator[Self]:
        """Serve from a daemon thread with its own event loop, for the block of the `with`."""
        ready = threading.Event()
        failures: list[BaseException] = []

        async def serve() -> None:
            stop_requested = asyncio.Event()
            loop = asyncio.get_running_loop()
            try:
                await self.start()
            except Exception as error:
                failures.append(error)
                return
            finally:
                self._thread_stop = lambda: _call_soon(loop, stop_requested.set)
                ready.set()
            await stop_requested.wait()
            await self.stop()

        thread = threading.Thread(target=asyncio.run, args=(serve(),), name="tg-standin")
        thread.daemon = True
        thread.start()
        if not ready.wait(10) or failures:
            raise StandInError(f"the stand-in did not start: {failures}")
        try:
            yield self
        finally:
            if self._thread_stop is not None:
                self._thread_stop()
            thread.join(10)
        if thread.is_alive():
            raise StandInError("the stand-in thread did not stop within 10 s")
        if self.strict:
            self.check_clean()

    def check_clean(self) -> None:
        """Raise StandInError if the bot called unknown methods or the stand-in itself failed."""
        problems = [f"unknown method {call.method}" for call in self.unknown_calls]
        problems += [f"stand-in bug:\n{error}" for error in self._world.internal_errors]
        if problems:
            raise StandInError("; ".join(problems))

    # Where the bot should connect

    @property
    def token(self) -> str:
        """The one token the stand-in accepts (others get 401 Unauthorized)."""
        return self._world.token

    @property
    def port(self) -> int:
        """The loopback port; only known once started."""
        if not self._server.port:
            raise StandInError("the stand-in is not running yet")
        return self._server.port

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)`: PTB appends the token and the method."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For `ApplicationBuilder().base_file_url(...)`."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    @property
    def bot_user(self) -> JsonDict:
        """The bot's User object, as getMe returns it."""
        return dict(self._world.bot_user)

    def bot_env(self) -> dict[str, str]:
        """Environment variables pointing a child `python -m bot` at this stand-in."""
        return {
            "TELEGRAM_BOT_TOKEN": self.token,
            "TELEGRAM_BASE_URL": self.base_url,
            "TELEGRAM_BASE_FILE_URL": self.base_file_url,
        }

    def application_builder(self) -> ApplicationBuilder:  # type: ignore[type-arg]
        """A python-telegram-bot ApplicationBuilder already pointed at this stand-in."""
        from telegram.ext import ApplicationBuilder

        return (
            ApplicationBuilder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
        )


def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> None:
    loop.call_soon_threadsafe(callback)
