"""The worker pool's time limit counts a job's own running time, not its wait for a worker."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.workers import WorkerLimitExceeded, WorkerPool


async def test_a_job_waiting_behind_another_is_not_timed_out_for_the_wait() -> None:
    pool = WorkerPool(workers=1, memory_bytes=1024**3)
    try:
        await pool.run(30, time.sleep, 0)  # start the worker, outside the measured jobs
        # Each job takes 1.5 s against a 2.5 s limit; the second waits 1.5 s for the worker.
        done = await asyncio.gather(pool.run(2.5, time.sleep, 1.5), pool.run(2.5, time.sleep, 1.5))
        assert done == [None, None]
        with pytest.raises(WorkerLimitExceeded) as slow:
            await pool.run(0.5, time.sleep, 5)
        assert slow.value.reason == "time"
        assert await pool.run(30, time.sleep, 0) is None  # a new pool took over
    finally:
        pool.close()
