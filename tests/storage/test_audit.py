"""audit: ids and counts only, newest first, per chat or overall."""

from __future__ import annotations

import pytest

from storage import AuditAction, Database
from tests.storage.factories import FakeClock


async def test_entries_come_back_newest_first_with_their_details(
    db: Database, clock: FakeClock
) -> None:
    await db.audit.record(7, None, AuditAction.ADMIN_REFUSED, {"command": "stats"})
    clock.advance(seconds=1)
    await db.audit.record(8, 100, AuditAction.ADMIN_REFUSED, {"command": "broadcast", "n": 2})

    everything = await db.audit.recent()
    for_chat = await db.audit.recent(chat_id=100)

    assert [e.actor_id for e in everything] == [8, 7]
    assert everything[0].at == clock()
    assert everything[0].details == {"command": "broadcast", "n": 2}
    assert [e.actor_id for e in for_chat] == [8]
    assert len(await db.audit.recent(limit=1)) == 1


@pytest.mark.parametrize(
    ("details", "error"),
    [
        ({"file": b"PK\x03\x04"}, TypeError),
        ({"rows": ["Amara"]}, TypeError),
        ({"text": "x" * 201}, ValueError),
    ],
)
async def test_contents_cannot_enter_the_log(
    db: Database, details: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        await db.audit.record(1, 1, AuditAction.UPLOAD, details)  # type: ignore[arg-type]
    assert await db.audit.recent() == []
