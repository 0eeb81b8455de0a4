"""Sending one admin message to every chat: paced, resumable, at most once per chat.

Each delivery is claimed in the database before its send and recorded after it, so a crash
or restart resumes the rest without a second copy to anyone (a claim whose outcome is unknown
is settled as failed at start, never sent again).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from aiolimiter import AsyncLimiter
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden, RetryAfter, TelegramError

from bot import texts
from bot.logs import RedactTokenFilter
from storage import Database, DeliveryState

log = logging.getLogger(__name__)
SENDERS = 8  # sends in flight at once; the limiter sets the pace
PROGRESS_EVERY_S = 3.0
MAX_RETRY_AFTER_TRIES = 5


@dataclass
class _Run:
    task: asyncio.Task[None]
    cancelled: asyncio.Event = field(default_factory=asyncio.Event)


class Broadcaster:
    """Runs broadcasts in the background and reports their progress to the admin."""

    def __init__(self, bot: Bot, db: Database, per_second: float, token: str) -> None:
        self._bot = bot
        self._db = db
        self._limiter = AsyncLimiter(per_second, 1)
        self._per_second = per_second
        self._redact = RedactTokenFilter(token).redact
        self._runs: dict[int, _Run] = {}
        self._stopping = asyncio.Event()

    def start(self, broadcast_id: int, report_to: int) -> None:
        """Deliver what is still pending of a broadcast, reporting to the chat `report_to`."""
        if broadcast_id in self._runs:
            return
        task = asyncio.create_task(self._run(broadcast_id, report_to))
        self._runs[broadcast_id] = _Run(task)
        task.add_done_callback(lambda _: self._runs.pop(broadcast_id, None))

    @property
    def running(self) -> list[int]:
        return sorted(self._runs)

    async def cancel(self, broadcast_id: int) -> int:
        """Stop a broadcast: what is pending is never sent. Returns how many were left."""
        run = self._runs.get(broadcast_id)
        if run is not None:
            run.cancelled.set()
        return await self._db.broadcasts.cancel(broadcast_id)

    async def stop(self, timeout: float = 5.0) -> None:
        """At shutdown: send nothing new, let sends under way finish, then end."""
        self._stopping.set()
        tasks = [run.task for run in self._runs.values()]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=timeout)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    async def _run(self, broadcast_id: int, report_to: int) -> None:
        try:
            await self._deliver_all(broadcast_id, report_to)
        except Exception:
            log.exception("broadcast %s stopped by an error", broadcast_id)

    async def _deliver_all(self, broadcast_id: int, report_to: int) -> None:
        progress = await self._db.broadcasts.progress(broadcast_id)
        if progress is None:
            return
        text = progress.broadcast.text
        report = await self._bot.send_message(report_to, texts.broadcast_progress(progress, None))
        queue: asyncio.Queue[int] = asyncio.Queue()
        for delivery in await self._db.broadcasts.pending_deliveries(broadcast_id):
            queue.put_nowait(delivery.chat_id)
        started, run = time.monotonic(), self._runs[broadcast_id]
        log.info("broadcast %s: %s chats to go", broadcast_id, queue.qsize())
        senders = [
            asyncio.create_task(self._sender(broadcast_id, text, queue, run.cancelled))
            for _ in range(SENDERS)
        ]
        while not all(s.done() for s in senders):
            await asyncio.wait(senders, timeout=PROGRESS_EVERY_S)
            progress = await self._db.broadcasts.progress(broadcast_id)
            left = queue.qsize()
            eta = left / self._per_second if left else None
            with contextlib.suppress(TelegramError):
                assert progress is not None
                await report.edit_text(texts.broadcast_progress(progress, eta))
        progress = await self._db.broadcasts.progress(broadcast_id)
        assert progress is not None
        seconds = time.monotonic() - started
        with contextlib.suppress(TelegramError):
            await report.edit_text(
                texts.broadcast_ended(progress, seconds, self._stopping.is_set())
            )
        log.info(
            "broadcast %s: sent=%s blocked=%s failed=%s seconds=%.1f",
            broadcast_id, progress.count(DeliveryState.SENT),
            progress.count(DeliveryState.BLOCKED), progress.count(DeliveryState.FAILED), seconds,
        )  # fmt: skip

    async def _sender(
        self, broadcast_id: int, text: str, queue: asyncio.Queue[int], cancelled: asyncio.Event
    ) -> None:
        while not queue.empty() and not cancelled.is_set() and not self._stopping.is_set():
            chat_id = queue.get_nowait()
            async with self._limiter:
                if cancelled.is_set() or self._stopping.is_set():
                    return
                if not await self._db.broadcasts.claim(broadcast_id, chat_id):
                    continue
                state, error = await self._send(chat_id, text)
            await self._db.broadcasts.mark_delivery(broadcast_id, chat_id, state, error)

    async def _send(self, chat_id: int, text: str) -> tuple[DeliveryState, str | None]:
        """One send, honouring Telegram's `retry_after`; the outcome to record."""
        for _ in range(MAX_RETRY_AFTER_TRIES):
            try:
                await self._bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
            except Forbidden as exc:
                return DeliveryState.BLOCKED, self._redact(exc.message)
            except RetryAfter as exc:
                await asyncio.sleep(_seconds(exc.retry_after))
            except TelegramError as exc:
                return DeliveryState.FAILED, self._redact(f"{type(exc).__name__}: {exc.message}")
            else:
                return DeliveryState.SENT, None
        return DeliveryState.FAILED, "Telegram kept answering 429 Too Many Requests"


def _seconds(retry_after: timedelta | float) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else retry_after
