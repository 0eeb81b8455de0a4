"""Updates of different chats run at once; updates of one chat run one at a time, in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """A lock per chat: python-telegram-bot's concurrent mode alone keeps no order in a chat.

    The application starts one task per update in arrival order; `asyncio.Lock` wakes waiters
    first-in first-out, so a chat's updates are handled in the order they arrived.
    `on_handled(update)` runs once an update's handlers are done (not if it was cancelled).
    """

    def __init__(
        self,
        max_concurrent_updates: int = 256,
        on_handled: Callable[[object], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._on_handled = on_handled

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await self._in_chat_order(update, coroutine)
        if self._on_handled is not None:
            await self._on_handled(update)

    async def _in_chat_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat_id = _chat_id(update)
        if chat_id is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._waiting[chat_id] = self._waiting.get(chat_id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[chat_id] -= 1
            if not self._waiting[chat_id]:
                del self._waiting[chat_id], self._locks[chat_id]

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def _chat_id(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None
