"""Waking coroutines on any event loop when the stand-in's state changes.

The stand-in may serve from the test's own loop or from a thread with its own loop, while
tests and long-polling requests wait on theirs; each waiter registers its loop and is woken
with `call_soon_threadsafe`, which is correct from any thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")


class ChangeSignal:
    """A broadcast "something changed" for waiters on any loop or thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()

    def notify(self) -> None:
        """Wake every waiter; safe from any thread."""
        with self._lock:
            waiters = list(self._waiters)
        for loop, event in waiters:
            with contextlib.suppress(RuntimeError):  # that loop is already closed
                loop.call_soon_threadsafe(event.set)

    @contextlib.contextmanager
    def _subscription(self) -> Iterator[asyncio.Event]:
        key = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.add(key)
        try:
            yield key[1]
        finally:
            with self._lock:
                self._waiters.discard(key)

    async def wait_until(self, probe: Callable[[], T | None], timeout: float) -> T | None:
        """Return the first non-None `probe()`, re-checked on every change; None on timeout."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        with self._subscription() as changed:
            while True:
                changed.clear()  # before probing, so a change during the probe is not lost
                value = probe()
                if value is not None:
                    return value
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(changed.wait(), remaining)
