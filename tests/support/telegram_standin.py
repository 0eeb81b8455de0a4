"""A fake Telegram Bot API server on loopback, for testing the real bot over HTTP.

    async with TelegramStandIn() as tg:
        app = tg.application_builder().build()     # token, base_url, base_file_url set
        tg.add_user(42, "Amara")
        tg.send_text(42, "/start")
        reply = await tg.wait_for_text(42, "Welcome")

Runs on the test's event loop (`async with`), or on its own thread (`with tg.run_in_thread()`)
when the test blocks, runs the bot in another thread, or starts `python -m bot` as a child
process (`env={**os.environ, **tg.bot_env()}`). Every method is safe from any thread, and the
`wait_*` coroutines work from any event loop.

What it models: long polling (offset, timeout, limit, allowed_updates, 409 when two pollers
compete), per-chat message ids, files (getFile, downloads, 20 MB limit), parse_mode checks,
flood and block errors, and faults injected by the test. Strict by default: leaving the
`async with` fails the test if the bot called a method the stand-in does not know.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Self

from tests.support.standin import incoming, objects
from tests.support.standin.methods import METHODS
from tests.support.standin.objects import JsonDict
from tests.support.standin.records import (
    ApiCall,
    CallbackAnswer,
    ChatAction,
    Fault,
    SentMessage,
)
from tests.support.standin.server import DOWNLOAD, StandInServer
from tests.support.standin.world import Limits, World

if TYPE_CHECKING:
    from telegram.ext import ApplicationBuilder

__all__ = [
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

DEFAULT_TOKEN = "123456789:AAStandInTestTokenNotARealOne-000000"  # noqa: S105 (fake)


class StandInTimeout(AssertionError):
    """A `wait_*` saw nothing matching in time; the message lists what did happen."""


class StandInError(AssertionError):
    """The bot did something the stand-in cannot answer (unknown method, stand-in bug)."""


class TelegramStandIn:
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
                self._thread_stop = lambda: loop.call_soon_threadsafe(stop_requested.set)
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

    # People and chats

    def add_user(
        self,
        user_id: int,
        first_name: str = "Amara",
        *,
        last_name: str | None = "Okonkwo-Test",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> JsonDict:
        """Register a person and their private chat with the bot (chat id = user id)."""
        with self._world.lock:
            user = objects.user_dict(
                user_id,
                first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
            )
            self._world.users[user_id] = user
            self._world.chats[user_id] = objects.chat_dict(
                user_id, "private", title=None, user=user
            )
            return dict(user)

    def add_chat(
        self, chat_id: int, chat_type: str = "group", *, title: str | None = None
    ) -> JsonDict:
        """Register a group, supergroup or channel (ids are negative in Telegram)."""
        with self._world.lock:
            self._world.chats[chat_id] = objects.chat_dict(
                chat_id, chat_type, title=title, user=None
            )
            return dict(self._world.chats[chat_id])

    # People act: each returns the update_id of the update queued for the bot

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        title: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        """A person writes `text`; /commands get their bot_command entities."""
        reply = self._message_json(chat_id, reply_to) if reply_to else None
        return incoming.message_update(
            self._world,
            chat_id,
            user_id=user_id,
            chat_type=chat_type,
            title=title,
            text=text,
            reply_to_message=reply,
        )

    def send_document(
        self,
        chat_id: int,
        file_name: str,
        data: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        media_group_id: str | None = None,
        user_id: int | None = None,
        file_size: int | None = None,
        chat_type: str | None = None,
        title: str | None = None,
    ) -> int:
        """A person uploads a file. `file_size` overrides the announced size (fake a 30 MB file
        without the bytes: getFile then answers "file is too big", as Telegram does past 20 MB).
        """
        document = incoming.document_content(
            self._world, file_name, data, mime_type=mime_type, file_size=file_size
        )
        return incoming.message_update(
            self._world,
            chat_id,
            user_id=user_id,
            chat_type=chat_type,
            title=title,
            document=document,
            caption=caption,
            media_group_id=media_group_id,
        )

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str,
        *,
        user_id: int | None = None,
        check: bool = True,
    ) -> int:
        """A person presses an inline button under the bot's message. With `check=False` any
        callback_data is sent, as a tampering client could."""
        return incoming.callback_update(
            self._world, chat_id, message_id, callback_data, user_id=user_id, check=check
        )

    def forward_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        origin_user_id: int | None = None,
        origin_name: str | None = None,
        origin_chat_id: int | None = None,
    ) -> int:
        """A person forwards someone else's message (a user, a hidden user, or a chat)."""
        origin = incoming.forward_origin(
            self._world,
            origin_user_id=origin_user_id,
            origin_name=origin_name,
            origin_chat_id=origin_chat_id,
        )
        return incoming.message_update(
            self._world,
            chat_id,
            user_id=user_id,
            chat_type=None,
            title=None,
            text=text,
            forward_origin=origin,
        )

    def inject_update(self, update: JsonDict) -> int:
        """Queue a raw Update (update_id assigned unless given)."""
        return self._world.enqueue(dict(update))

    def redeliver(self, update_id: int) -> None:
        """Deliver an update once more even though the bot confirmed it (a duplicate)."""
        self._world.redeliver(update_id)

    def update(self, update_id: int) -> JsonDict:
        """A copy of an update the test queued."""
        return self._world.update(update_id)

    def file_id_of(self, update_id: int) -> str:
        """The document's file_id in a queued update (for file_too_big and friends)."""
        return str(self.update(update_id)["message"]["document"]["file_id"])

    def _message_json(self, chat_id: int, message_id: int) -> JsonDict:
        with self._world.lock:
            message = self._world.incoming.get((chat_id, message_id))
            sent = self._world.find_sent(chat_id, message_id)
        if message is None and sent is None:
            raise ValueError(f"no message {message_id} in chat {chat_id} to reply to")
        return dict(message if message is not None else sent.message)  # type: ignore[union-attr]

    # What the bot did

    @property
    def sent(self) -> list[SentMessage]:
        """Every message the bot sent, oldest first, edits applied (copies)."""
        with self._world.lock:
            return [message.snapshot() for message in self._world.sent]

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages to one chat."""
        return [message for message in self.sent if message.chat_id == chat_id]

    def calls(self, method: str | None = None) -> list[ApiCall]:
        """Every request (or those of one method, any case), with status and timestamps."""
        with self._world.lock:
            calls = [dataclasses.replace(call) for call in self._world.calls]
        if method is None:
            return calls
        return [call for call in calls if call.method.lower() == method.lower()]

    @property
    def unknown_calls(self) -> list[ApiCall]:
        """Calls with the right token to methods the stand-in does not implement."""
        known = {*METHODS, "getupdates", DOWNLOAD}
        return [c for c in self.calls() if c.token_ok and c.method.lower() not in known]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """Every answerCallbackQuery accepted."""
        with self._world.lock:
            return list(self._world.callback_answers)

    @property
    def chat_actions(self) -> list[ChatAction]:
        """Every sendChatAction accepted."""
        with self._world.lock:
            return list(self._world.chat_actions)

    def my_commands(self, scope: JsonDict | None = None, language_code: str = "") -> list[JsonDict]:
        """The command list set with setMyCommands for a scope (default scope if None)."""
        key_scope = scope or {"type": "default"}
        with self._world.lock:
            key = json.dumps(key_scope, sort_keys=True) + "|" + language_code
            return list(self._world.commands.get(key, []))

    @property
    def confirmed_offset(self) -> int:
        """The highest offset the bot confirmed (updates below it are gone)."""
        return self._world.confirmed_offset

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        return self._world.pending_count()

    def was_delivered(self, update_id: int) -> bool:
        """Whether a getUpdates answer has carried this update."""
        return self.deliveries(update_id) > 0

    def deliveries(self, update_id: int) -> int:
        """How many getUpdates answers carried this update (2+: the bot saw it again)."""
        with self._world.lock:
            return self._world.deliveries[update_id]

    @staticmethod
    def mark() -> float:
        """A point in time for `since=`: only later messages, edits or calls count."""
        return time.monotonic()

    # Waiting (coroutines; fine from any event loop or thread)

    async def wait_for(
        self,
        predicate: Callable[[SentMessage], bool],
        *,
        timeout: float | None = None,
        since: float | None = None,
        describe: str = "a message matching the predicate",
    ) -> SentMessage:
        """The first sent message (sent or edited after `since`) for which `predicate` holds."""

        def probe() -> SentMessage | None:
            for message in self.sent:
                if (since is None or message.updated_at >= since) and predicate(message):
                    return message
            return None

        return await self._wait(probe, timeout, describe)

    async def wait_for_text(
        self,
        chat_id: int,
        contains: str = "",
        *,
        timeout: float | None = None,
        since: float | None = None,
    ) -> SentMessage:
        """The first message to `chat_id` whose visible text or caption contains `contains`."""
        return await self.wait_for(
            lambda m: m.chat_id == chat_id and contains in m.shown,
            timeout=timeout,
            since=since,
            describe=f"a message to chat {chat_id} containing {contains!r}",
        )

    async def wait_for_document(
        self,
        chat_id: int,
        *,
        file_name: str | None = None,
        timeout: float | None = None,
        since: float | None = None,
    ) -> SentMessage:
        """The first document sent to `chat_id` (with this file name, if given)."""
        return await self.wait_for(
            lambda m: (
                m.chat_id == chat_id
                and m.document is not None
                and file_name in (None, m.document.file_name)
            ),
            timeout=timeout,
            since=since,
            describe=f"a document to chat {chat_id}"
            + (f" named {file_name!r}" if file_name else ""),
        )

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        *,
        timeout: float | None = None,
        since: float | None = None,
        answered: bool = True,
    ) -> ApiCall:
        """The first call of `method` (any case) matching `predicate`; with `answered=False`
        as soon as it arrives (e.g. to know the bot is in a long poll)."""

        def probe() -> ApiCall | None:
            for call in self.calls(method):
                fresh = since is None or call.at >= since
                done = call.status or not answered
                if fresh and done and (predicate is None or predicate(call)):
                    return call
            return None

        return await self._wait(probe, timeout, f"a {method} call")

    async def wait_delivered(self, update_id: int, *, timeout: float | None = None) -> None:
        """Until a getUpdates answer carried this update to the bot."""
        await self._wait(
            lambda: True if self.was_delivered(update_id) else None,
            timeout,
            f"delivery of update {update_id}",
        )

    async def assert_nothing_sent(
        self, chat_id: int | None = None, *, within: float = 0.5, since: float | None = None
    ) -> None:
        """Fail if the bot sends or edits a message (to `chat_id`, if given) within `within` s."""
        start = self.mark() if since is None else since
        found = await self._world.signal.wait_until(
            lambda: next(
                (
                    message
                    for message in self.sent
                    if message.updated_at >= start and chat_id in (None, message.chat_id)
                ),
                None,
            ),
            within,
        )
        if found is not None:
            raise AssertionError(f"expected silence, but the bot sent {found.summary()}")

    async def _wait(self, probe: Callable[[], Any], timeout: float | None, what: str) -> Any:
        limit = self.default_timeout if timeout is None else timeout
        found = await self._world.signal.wait_until(probe, limit)
        if found is None:
            raise StandInTimeout(f"no {what} within {limit} s.\n{self.describe()}")
        return found

    def describe(self) -> str:
        """What happened so far, for failure messages."""
        sent = [message.summary() for message in self.sent[-10:]]
        failed = [
            f"{call.method} {call.status} {call.description}"
            for call in self.calls()
            if call.status not in (0, 200)
        ][-10:]
        return (
            f"Last messages sent: {sent}\nFailed calls: {failed}\n"
            f"Unknown methods: {[call.method for call in self.unknown_calls]}\n"
            f"Pending updates: {self.pending_updates}"
        )

    # Faults

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = 1,
        description: str | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error.

        429 carries `retry_after` (python-telegram-bot raises RetryAfter); other codes use
        Telegram's usual description unless one is given.
        """
        self._add_fault(
            Fault(
                method=method.lower(),
                times=times,
                error_code=error_code,
                description=description or "",
                retry_after=retry_after if error_code == 429 else None,
                chat_id=chat_id,
            )
        )

    def delay_next(
        self, method: str, seconds: float, *, times: int = 1, processed: bool = False
    ) -> None:
        """Hold the next `times` calls of `method` for `seconds` (for timeouts and crashes).

        processed=False: the call takes effect only after the delay, and never if the client
        hangs up meanwhile (a held getUpdates does not confirm its offset).
        processed=True: it takes effect at once and only the answer is late, so a client that
        times out never learns that its message was sent (the duplicate-send case).
        """
        self._add_fault(
            Fault(
                method=method.lower(),
                times=times,
                delay=seconds,
                delay_after_processing=processed,
            )
        )

    def _add_fault(self, fault: Fault) -> None:
        with self._world.lock:
            self._world.faults.append(fault)

    def block_chat(self, chat_id: int) -> None:
        """The person blocked the bot (or removed it from the group): sends answer 403."""
        with self._world.lock:
            self._world.blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """Undo block_chat."""
        with self._world.lock:
            self._world.blocked.discard(chat_id)

    def file_too_big(self, file_id: str) -> None:
        """getFile for this file answers 400 "Bad Request: file is too big"."""
        with self._world.lock:
            self._world.too_big.add(file_id)

    def limit_send_rate(self, per_second: float | None) -> None:
        """Answer 429 (retry_after 1) to messages beyond `per_second` in any one second."""
        with self._world.lock:
            self._world.send_rate_limit = per_second
