"""CPU work (parsing, compiling) in worker processes, never in the event loop.

Each worker has a memory ceiling (RLIMIT_AS) and each job a time limit. A job that runs out of
either gets its pool killed and replaced, so one hostile file cannot starve the other chats.
Workers end with the bot, even when it is killed and cannot shut them down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import resource
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class WorkerLimitExceeded(Exception):
    """A job ran past its time limit or its memory ceiling and its worker was replaced."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "time" or "memory"


def _start_worker(max_bytes: int, bot_alive: Connection) -> None:
    """Worker initializer: cap the memory, and exit when the bot is gone."""
    _limit_memory(max_bytes)
    threading.Thread(target=_exit_with_the_bot, args=(bot_alive,), daemon=True).start()


def _limit_memory(max_bytes: int) -> None:
    """Cap the address space so a bomb fails in the worker, not on the host."""
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))


def _exit_with_the_bot(bot_alive: Connection) -> None:
    """Wait until the bot's end of the pipe closes, then exit.

    Nothing is ever sent: the read ends when the bot exits or is killed. Without this, a
    worker of a killed bot waits for work forever (and keeps its forkserver alive), or
    finishes a compile nobody will read.
    """
    with contextlib.suppress(EOFError, OSError):
        bot_alive.recv_bytes()
    os._exit(1)


class WorkerPool:
    """A process pool with per-job time limits and a memory ceiling per worker."""

    def __init__(self, workers: int, memory_bytes: int) -> None:
        self._workers = workers
        self._memory_bytes = memory_bytes
        self._context = multiprocessing.get_context("forkserver")
        # Only the bot holds the sending end: the workers see it close when the bot ends.
        self._bot_alive, self._bot_alive_sender = self._context.Pipe(duplex=False)
        self._pool = self._new_pool()
        # A job is handed to the pool only when a worker is free, so its time limit counts
        # its own running time, not the wait behind other chats' slow files.
        self._free = asyncio.Semaphore(workers)

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=self._context,
            initializer=_start_worker,
            initargs=(self._memory_bytes, self._bot_alive),
        )

    async def run(self, timeout: float, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` in a worker; raise WorkerLimitExceeded past `timeout` or memory."""
        async with self._free:
            return await self._run_now(timeout, fn, *args)

    async def _run_now(self, timeout: float, fn: Callable[..., T], *args: Any) -> T:
        for _attempt in range(2):
            pool = self._pool
            future = asyncio.get_running_loop().run_in_executor(pool, fn, *args)
            try:
                return await asyncio.wait_for(future, timeout)
            except TimeoutError:
                log.warning("worker job passed its %.0f s limit; replacing the pool", timeout)
                self._replace(pool)
                raise WorkerLimitExceeded("time") from None
            except MemoryError:
                log.warning("worker job ran out of memory; replacing the pool")
                self._replace(pool)
                raise WorkerLimitExceeded("memory") from None
            except BrokenProcessPool:
                if pool is not self._pool:
                    continue  # another job's limit replaced the pool under us: run it again
                log.warning("a worker died; replacing the pool")
                self._replace(pool)
                raise WorkerLimitExceeded("memory") from None
        raise WorkerLimitExceeded("memory")

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Kill the pool's processes (other jobs in it fail and are retried by their callers)."""
        if broken is not self._pool:
            return
        self._pool = self._new_pool()
        processes = list(getattr(broken, "_processes", {}).values())
        for process in processes:
            with contextlib.suppress(Exception):
                process.kill()
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._bot_alive_sender.close()
        self._bot_alive.close()
