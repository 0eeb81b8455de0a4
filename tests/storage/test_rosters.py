"""rosters: one per chat, replaced whole, read back as sent, dropped on request or reset."""

from __future__ import annotations

import pytest

from storage import AuditAction, Database, NewRoster, RosterEntry, UnknownChat
from tests.storage.factories import FakeClock, seen_chat

CHAT = 5101
CLASS_9B = NewRoster(
    "Class 9B.xlsx",
    (
        RosterEntry("Amara Okonkwo-Test", "amara.okonkwo@example.org"),
        RosterEntry("Tomas Lind-Test", person_id="Canvas 48213"),
        RosterEntry("Zeynep Ørsted-Test"),
    ),
    sender_id=11,
    update_id=501,
)


async def test_a_roster_is_kept_and_read_back_as_sent(db: Database, clock: FakeClock) -> None:
    await seen_chat(db, CHAT)
    kept = await db.rosters.replace(CHAT, CLASS_9B)

    assert kept.replaced is None
    info = kept.roster
    assert (info.file_name, info.people, info.with_contact) == ("Class 9B.xlsx", 3, 2)
    assert info.received_at == clock()
    assert await db.rosters.info(CHAT) == info
    loaded = await db.rosters.load(CHAT)
    assert loaded is not None and loaded.info == info and loaded.people == CLASS_9B.people
    [entry] = await db.audit.recent(1, chat_id=CHAT)
    assert (entry.action, entry.details) == (AuditAction.ROSTER, {"people": 3, "replaced": False})


async def test_a_new_roster_replaces_the_old_and_the_same_update_stores_nothing(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    first = (await db.rosters.replace(CHAT, CLASS_9B)).roster
    clock.advance(minutes=5)
    again = await db.rosters.replace(CHAT, CLASS_9B)  # the update delivered twice
    assert again.roster == first and again.replaced is None

    smaller = NewRoster("Class 9B v2.csv", CLASS_9B.people[:1], update_id=502)
    kept = await db.rosters.replace(CHAT, smaller)

    assert kept.replaced == first
    assert (kept.roster.file_name, kept.roster.people, kept.roster.received_at) == (
        "Class 9B v2.csv", 1, clock(),
    )  # fmt: skip
    loaded = await db.rosters.load(CHAT)
    assert loaded is not None and loaded.people == CLASS_9B.people[:1]


async def test_remove_drops_the_roster_once(db: Database) -> None:
    await seen_chat(db, CHAT)
    await db.rosters.replace(CHAT, CLASS_9B)

    removed = await db.rosters.remove(CHAT, actor_id=11)

    assert removed is not None and removed.people == 3
    assert await db.rosters.remove(CHAT, actor_id=11) is None
    assert await db.rosters.info(CHAT) is None and await db.rosters.load(CHAT) is None


async def test_reset_and_expiry_take_the_roster_with_the_files(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    await db.rosters.replace(CHAT, CLASS_9B)
    removal = await db.sessions.reset(CHAT, actor_id=1)
    assert removal.roster and await db.rosters.info(CHAT) is None
    assert not (await db.sessions.reset(CHAT, actor_id=1)).roster

    await db.rosters.replace(CHAT, NewRoster("Again.csv", CLASS_9B.people))
    clock.advance(days=40)
    assert (await db.sessions.purge_expired(clock(), ttl_days=30)).chats == 1
    assert await db.rosters.info(CHAT) is None


async def test_a_roster_needs_a_chat_seen_first(db: Database) -> None:
    with pytest.raises(UnknownChat):
        await db.rosters.replace(CHAT, CLASS_9B)
