"""Updates are written down before they are queued, so a crash in a handler loses none.

python-telegram-bot tells Telegram an update was received as soon as it has fetched the batch
(its next getUpdates carries the new offset), long before the handlers finish; a bot killed
in between would lose the update, and the person would never get an answer. Each update goes
into the database's inbox before the queue takes it (the updater waits for that before it
polls again); the update processor marks it handled when its handlers are done; at start the
bot queues again the ones left unhandled. An update already in the inbox is a second delivery
and is dropped. A handler cut short is therefore run again, so handlers must be idempotent:
the same file is stored once, the same removal removes nothing more.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Bot, Update

from bot.usecases.backend import STORAGE_FAILURES
from storage import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # an update that was being handled at three crashes in a row is given up
REPLAY_WITHIN = timedelta(days=1)  # Telegram itself keeps an update no longer than this
KEEP_HANDLED = timedelta(days=2)  # handled ids kept this long to recognise second deliveries


class DurableUpdateQueue(asyncio.Queue[object]):
    """The application's update queue, writing each update to the inbox before queueing it."""

    def __init__(self) -> None:
        super().__init__()
        self._db: Database | None = None

    def attach(self, db: Database) -> None:
        """Start writing updates down (from `post_init`, once the database is open)."""
        self._db = db

    async def put(self, item: object) -> None:
        """Queue an update once: a second delivery of one already received is dropped."""
        if isinstance(item, Update) and not await self._is_new(item):
            log.info("update %s delivered again: already received, dropped", item.update_id)
            return
        await super().put(item)

    async def handled(self, update: object) -> None:
        """Mark an update handled (the update processor calls this when its handlers are done)."""
        if self._db is None or not isinstance(update, Update):
            return
        try:
            await self._db.inbox.handled(update.update_id)
        except STORAGE_FAILURES as exc:
            log.warning("update %s: could not mark it handled: %s", update.update_id, exc)

    async def replay_unhandled(self, bot: Bot) -> int:
        """Queue again, oldest first, the updates a crash or stop left unhandled; how many.

        A database that refuses writes keeps them for the next start; the bot starts anyway.
        """
        assert self._db is not None
        newer_than = self._db.now() - REPLAY_WITHIN
        try:
            pending = await self._db.inbox.take_unhandled(MAX_ATTEMPTS, newer_than)
        except STORAGE_FAILURES as exc:
            log.warning("could not take the updates left unhandled: %s", exc)
            return 0
        for update in pending:
            self.put_nowait(Update.de_json(dict(update.payload), bot))
        if pending:
            log.info("handling again %s updates left unhandled at the last stop", len(pending))
        return len(pending)

    async def _is_new(self, update: Update) -> bool:
        if self._db is None:
            return True
        try:
            return await self._db.inbox.receive(update.update_id, update.to_dict())
        except STORAGE_FAILURES as exc:
            # Handle it anyway: at worst a crash now loses it, as it would without the inbox.
            log.warning("update %s: could not write it down: %s", update.update_id, exc)
            return True
