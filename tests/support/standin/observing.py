"""The test's view of what the bot did, and waiting for it from any loop or thread."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from typing import TypeVar

from tests.support.standin.methods import METHODS
from tests.support.standin.objects import JsonDict
from tests.support.standin.records import ApiCall, CallbackAnswer, ChatAction, SentMessage
from tests.support.standin.server import DOWNLOAD
from tests.support.standin.world import World

T = TypeVar("T")


class StandInTimeout(AssertionError):
    """A `wait_*` saw nothing matching in time; the message lists what did happen."""


class Observations:
    """Mixin of TelegramStandIn: what the bot sent and called, and `wait_*` coroutines."""

    _world: World
    default_timeout: float

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
            with self._world.lock:  # judge the live records, copy only the match
                for message in self._world.sent:
                    if (since is None or message.updated_at >= since) and predicate(message):
                        return message.snapshot()
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
            with self._world.lock:  # judge the live records, copy only the match
                for call in self._world.calls:
                    if call.method.lower() != method.lower():
                        continue
                    fresh = since is None or call.at >= since
                    done = call.status or not answered
                    if fresh and done and (predicate is None or predicate(call)):
                        return dataclasses.replace(call)
            return None

        return await self._wait(probe, timeout, f"a {method} call")

    async def wait_delivered(
        self, update_id: int, *, times: int = 1, timeout: float | None = None
    ) -> None:
        """Until getUpdates answers have carried this update to the bot `times` times."""
        await self._wait(
            lambda: True if self.deliveries(update_id) >= times else None,
            timeout,
            f"delivery number {times} of update {update_id}",
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

    async def _wait(self, probe: Callable[[], T | None], timeout: float | None, what: str) -> T:
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
