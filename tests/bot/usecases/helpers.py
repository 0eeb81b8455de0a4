"""Pieces of the use cases' tests: the chat, files as Telegram announces them, a download."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

from bot.usecases.backend import Backend
from bot.usecases.uploads import IncomingFile
from compiler import UploadedFile
from storage import Database
from tests.support.inline_workers import InlineWorkers

CHAT = 4242
TEACHER = 1001
ADMIN = 9001


def workers(backend: Backend) -> InlineWorkers:
    assert isinstance(backend.workers, InlineWorkers)
    return backend.workers


def incoming(
    file: UploadedFile,
    update_id: int,
    *,
    caption: str | None = None,
    unique_id: str | None = None,
    chat_id: int = CHAT,
) -> IncomingFile:
    """The file as Telegram would announce it in update `update_id`."""
    return IncomingFile(
        chat_id=chat_id,
        name=file.name,
        size=len(file.data),
        file_unique_id=unique_id or f"unique-{update_id}",
        caption=caption,
        update_id=update_id,
        sender_id=TEACHER,
    )


class Fetcher:
    """The download a handler hands `take_upload`: these bytes, counting the fetches."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.fetches = 0

    def __call__(self) -> Awaitable[bytes]:
        self.fetches += 1

        async def fetched() -> bytes:
            return self.data

        return fetched()


@asynccontextmanager
async def refusing_writes(db: Database) -> AsyncIterator[None]:
    """The database answers writes with SQLITE_READONLY, as a read-only file would."""
    await _pragma(db, "PRAGMA query_only = ON")
    try:
        yield
    finally:
        await _pragma(db, "PRAGMA query_only = OFF")


async def _pragma(db: Database, statement: str) -> None:
    async with db.snapshot() as conn:
        await conn.execute(statement)
