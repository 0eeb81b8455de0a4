"""Builders for storage tests: invented files, parse summaries and a clock under test control."""

from __future__ import annotations

import hashlib
import random
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from compiler.model import ExportSummary, TestNumber
from storage import ChatKind, Database, NewUpload


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def summary_for(file_name: str, test: int, participants: int = 12) -> dict[str, Any]:
    """A parse summary as the bot will pass it: `asdict` of the compiler's ExportSummary."""
    return asdict(
        ExportSummary(
            file_name=file_name,
            test=TestNumber(test, "from the file name"),
            platform="Google Forms",
            score_column="Score",
            out_of=10.0,
            max_source="the cell (like 8 / 10)",
            participants=participants,
            rows_read=participants + 1,
            rows_rejected=1,
            repeated_submissions=0,
            invalid_emails=1,
            no_scores=0,
            needs_maximum=False,
            problems=("row 7: e-mail 'amara.okonkwo-test@' is not valid",),
        )
    )


def file_bytes(seed: int, size: int = 2048) -> bytes:
    """Deterministic bytes that differ for every seed."""
    return random.Random(seed).randbytes(size)


def new_upload(
    test: int,
    seed: int,
    *,
    size: int = 2048,
    update_id: int | None = None,
    file_unique_id: str | None = None,
    sender_id: int | None = 4242,
) -> NewUpload:
    """An upload of `size` invented bytes for `test`."""
    name = f"Test {test} results.xlsx"
    return NewUpload.one_test(
        file_name=name,
        data=file_bytes(seed, size),
        number=test,
        how="from the file name",
        summary=summary_for(name, test),
        sender_id=sender_id,
        file_unique_id=file_unique_id,
        update_id=update_id,
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def seen_chat(db: Database, chat_id: int, kind: ChatKind = ChatKind.PRIVATE) -> int:
    """Record a chat as the bot does on every update; return its id."""
    await db.chats.touch(chat_id, kind, f"Class {chat_id}")
    return chat_id


@dataclass(frozen=True)
class Marker:
    """A recognisable byte pattern, to look for in the database file after deletion."""

    data: bytes

    @classmethod
    def sized(cls, size: int) -> Marker:
        block = b"DELETE-ME-MARKER-" + bytes(range(47))
        return cls((block * (size // len(block) + 1))[:size])
