"""A stand-in for the bot's worker pool: each job runs at once, in the test's own process."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class InlineWorkers:
    """Runs `fn(*args)` inline and notes its name; raises `fail_with` instead when it is set
    (a `WorkerLimitExceeded` for a job past its limits, a compiler error, ...)."""

    def __init__(self) -> None:
        self.jobs: list[str] = []
        self.fail_with: Exception | None = None

    async def run(self, timeout: float, fn: Callable[..., T], *args: Any) -> T:
        self.jobs.append(fn.__name__)
        if self.fail_with is not None:
            raise self.fail_with
        return fn(*args)
