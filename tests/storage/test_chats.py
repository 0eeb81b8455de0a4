"""chats: seen, settings, blocked."""

from __future__ import annotations

import pytest

from storage import NO_LETTERS, AuditAction, ChatKind, ChatSettings, Database, UnknownChat
from tests.storage.factories import FakeClock

CHAT = 4001


def test_telegram_chat_types_map_to_two_kinds() -> None:
    assert ChatKind.from_telegram("private") is ChatKind.PRIVATE
    assert ChatKind.from_telegram("group") is ChatKind.GROUP
    assert ChatKind.from_telegram("supergroup") is ChatKind.GROUP


async def test_touch_creates_then_refreshes_keeping_first_seen(
    db: Database, clock: FakeClock
) -> None:
    created = await db.chats.touch(CHAT, ChatKind.GROUP, "Year 9 Physics")
    first_seen = clock()
    clock.advance(hours=3)

    refreshed = await db.chats.touch(CHAT, "group", "Year 9 Physics (B)")

    assert created.first_seen == created.last_seen == first_seen
    assert (refreshed.first_seen, refreshed.last_seen) == (first_seen, clock())
    assert refreshed.title == "Year 9 Physics (B)"
    assert refreshed.kind is ChatKind.GROUP
    assert await db.chats.get(CHAT) == refreshed


async def test_a_chat_never_seen_has_default_settings(db: Database) -> None:
    assert await db.chats.get(CHAT) is None
    settings = await db.chats.get_settings(CHAT)
    assert settings == ChatSettings()
    assert (settings.policy, settings.duplicates, settings.pass_mark) == ("classic", "best", 50.0)
    assert settings.out_of == {}


async def test_update_settings_changes_only_what_is_given_and_merges_maxima(
    db: Database,
) -> None:
    await db.chats.touch(CHAT, "private")
    await db.chats.update_settings(CHAT, 11, out_of={1: 20, 2: 15.5})

    settings = await db.chats.update_settings(
        CHAT, 11, duplicates="latest", pass_mark=60, out_of={2: None, 3: 40.0}
    )

    assert settings == ChatSettings("classic", "latest", 60.0, {1: 20.0, 3: 40.0})
    assert await db.chats.get_settings(CHAT) == settings
    [entry] = await db.audit.recent(1, chat_id=CHAT)
    assert (entry.action, entry.actor_id) == (AuditAction.SETTINGS, 11)
    assert entry.details == {"changed": "duplicates,pass_mark,out_of", "maxima": 2}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pass_mark": 101.0}, "between 0 and 100"),
        ({"out_of": {0: 10.0}}, "start at 1"),
        ({"out_of": {1: 0.0}}, "positive"),
        ({"out_of": {1: float("nan")}}, "positive"),
        ({"weights": {0: 1.0}}, "start at 1"),
        ({"weights": {1: -1.0}}, "from 0 up"),
        ({"weights": {1: float("inf")}}, "from 0 up"),
        ({"drop_lowest": -1}, "drop the lowest"),
        ({"drop_lowest": 11}, "drop the lowest"),
        ({"letters": "A=1," * 200}, "at most"),
    ],
)
async def test_impossible_settings_are_refused(
    db: Database, change: dict[str, object], message: str
) -> None:
    await db.chats.touch(CHAT, "private")
    with pytest.raises(ValueError, match=message):
        await db.chats.update_settings(CHAT, 1, **change)  # type: ignore[arg-type]
    assert await db.chats.get_settings(CHAT) == ChatSettings()


async def test_settings_of_an_unknown_chat_cannot_be_changed(db: Database) -> None:
    with pytest.raises(UnknownChat):
        await db.chats.update_settings(CHAT, 1, policy="lenient")


async def test_a_blocked_chat_is_kept_and_unblocked_when_it_writes_again(db: Database) -> None:
    for chat_id in (CHAT, CHAT + 1, CHAT + 2):
        await db.chats.touch(chat_id, "private")

    await db.chats.mark_blocked(CHAT + 1)

    blocked = await db.chats.get(CHAT + 1)
    assert blocked is not None and blocked.can_write is False
    assert await db.chats.writable_ids() == [CHAT, CHAT + 2]
    await db.chats.touch(CHAT + 1, "private")
    assert await db.chats.writable_ids() == [CHAT, CHAT + 1, CHAT + 2]


async def test_grading_settings_are_kept_merged_and_cleared(db: Database) -> None:
    await db.chats.touch(CHAT, "private")
    await db.chats.update_settings(CHAT, 11, weights={1: 1, 3: 2.5}, drop_lowest=1, letters="uk")

    settings = await db.chats.update_settings(CHAT, 11, weights={1: None, 2: 0})

    assert (settings.weights, settings.drop_lowest, settings.letters) == ({2: 0.0, 3: 2.5}, 1, "uk")
    assert await db.chats.get_settings(CHAT) == settings
    [entry, _] = await db.audit.recent(2, chat_id=CHAT)
    assert entry.details == {"changed": "weights", "maxima": 0}
    cleared = await db.chats.update_settings(CHAT, 11, clear_weights=True, letters=NO_LETTERS)
    assert (cleared.weights, cleared.drop_lowest, cleared.letters) == ({}, 1, None)


async def test_a_reset_clears_the_weights_and_the_grading_choices(db: Database) -> None:
    await db.chats.touch(CHAT, "private")
    await db.chats.update_settings(CHAT, 1, weights={2: 3.0}, drop_lowest=2, letters="a-f")

    await db.sessions.reset(CHAT, 1)

    settings = await db.chats.get_settings(CHAT)
    assert (settings.weights, settings.drop_lowest, settings.letters) == ({}, 0, None)
