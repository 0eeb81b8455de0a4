"""No call about one chat can read or change another chat's data."""

from __future__ import annotations

import inspect

import pytest

from storage import (
    AddStatus,
    AnswerStatus,
    Database,
    NewCompile,
    NewQuestion,
    NewRoster,
    RosterEntry,
    Verdict,
)
from storage.people import PeopleRepository
from storage.rosters import RosterRepository
from storage.uploads import UploadRepository
from tests.storage.factories import FakeClock, new_upload, seen_chat

ALICE_CLASS, BOB_CLASS = 2001, 2002


async def two_chats_with_files(db: Database) -> tuple[int, int]:
    await seen_chat(db, ALICE_CLASS)
    await seen_chat(db, BOB_CLASS)
    await db.uploads.add(ALICE_CLASS, new_upload(1, seed=1, file_unique_id="AgADalice"))
    await db.uploads.add(ALICE_CLASS, new_upload(1, seed=2))  # history in Alice's chat
    return ALICE_CLASS, BOB_CLASS


async def test_another_chat_sees_none_of_a_chats_uploads(db: Database) -> None:
    alice, bob = await two_chats_with_files(db)
    [alice_file] = await db.uploads.active(alice)

    assert await db.uploads.active(bob) == []
    assert await db.uploads.history(bob) == []
    assert await db.uploads.load_files(bob) == []
    assert await db.uploads.get(bob, alice_file.id) is None
    assert await db.uploads.find_by_file_unique_id(bob, "AgADalice") is None
    assert (await db.uploads.usage(bob)).total_bytes == 0


async def test_another_chats_removal_reset_and_expiry_leave_a_chat_untouched(
    db: Database, clock: FakeClock
) -> None:
    alice, bob = await two_chats_with_files(db)
    before = await db.uploads.active(alice), await db.uploads.history(alice)

    assert (await db.uploads.remove_test(bob, 1, actor_id=9)).uploads == 0
    assert (await db.sessions.reset(bob, actor_id=9)).uploads == 0
    clock.advance(days=40)
    await db.chats.touch(alice, "private")  # Alice is active, Bob idle
    await db.sessions.purge_expired(clock(), ttl_days=30)

    assert (await db.uploads.active(alice), await db.uploads.history(alice)) == before


async def test_the_same_bytes_in_two_chats_are_each_chats_own(db: Database) -> None:
    alice, bob = await two_chats_with_files(db)

    outcome = await db.uploads.add(bob, new_upload(1, seed=2))

    assert outcome.status is AddStatus.STORED  # not "already stored" from Alice's chat
    await db.sessions.reset(alice, actor_id=1)
    [bobs] = await db.uploads.load_files(bob)
    assert bobs.upload.chat_id == bob
    assert bobs.data == new_upload(1, seed=2).data


async def test_a_compile_cannot_cite_another_chats_uploads(db: Database, clock: FakeClock) -> None:
    alice, bob = await two_chats_with_files(db)
    [alice_file] = await db.uploads.active(alice)
    done = NewCompile((alice_file.id,), clock(), 1.0, 10, 8, 2, "0" * 64)

    with pytest.raises(ValueError, match="not chat"):
        await db.compiles.record(bob, actor_id=5, done=done)
    assert await db.compiles.recent(bob) == []


PAIR = NewQuestion("Amara Okonkwo-Test", "amara.okonkwa@example.org", "Amara", "Amara O.")
ROSTER = NewRoster("Class 9B.csv", (RosterEntry("Amara Okonkwo-Test"), RosterEntry("Bo Lind-Test")))


async def two_chats_with_people(db: Database) -> tuple[int, int, int]:
    """Alice's chat with a roster, an answered pair and an open one; Bob's chat with nothing."""
    alice, bob = await two_chats_with_files(db)
    other = NewQuestion("Ilo Thorn-Test", "Ilo Thorne-Test", "Ilo Thorn-Test", "Ilo Thorne-Test")
    raised = {(PAIR.handle_a, PAIR.handle_b), (other.handle_a, other.handle_b)}
    answered, still_open = await db.people.ask(alice, [PAIR, other], raised)
    await db.people.answer(alice, answered.id, Verdict.SAME, actor_id=1)
    await db.rosters.replace(alice, ROSTER)
    return alice, bob, still_open.id


async def test_another_chat_sees_none_of_a_chats_answers_questions_or_roster(
    db: Database,
) -> None:
    alice, bob, _ = await two_chats_with_people(db)
    [decided] = await db.people.decisions(alice)

    assert await db.people.decisions(bob) == [] and await db.people.open_questions(bob) == []
    assert await db.people.get(bob, decided.id) is None
    assert await db.rosters.info(bob) is None and await db.rosters.load(bob) is None


async def test_another_chats_buttons_reach_none_of_a_chats_questions(db: Database) -> None:
    alice, bob, open_id = await two_chats_with_people(db)
    [decided] = await db.people.decisions(alice)
    before = await db.people.decisions(alice), await db.people.open_questions(alice)

    pressed = await db.people.answer(bob, open_id, Verdict.DIFFERENT, actor_id=9)
    assert (pressed.status, pressed.question) == (AnswerStatus.GONE, None)
    assert await db.people.undo(bob, decided.id, actor_id=9) is None
    assert await db.rosters.remove(bob, actor_id=9) is None
    assert (await db.people.decisions(alice), await db.people.open_questions(alice)) == before
    assert await db.rosters.info(alice) is not None


async def test_another_chats_reset_expiry_and_questions_leave_a_chats_people_untouched(
    db: Database, clock: FakeClock
) -> None:
    alice, bob, _ = await two_chats_with_people(db)
    before = await db.people.decisions(alice), await db.people.open_questions(alice)
    roster = await db.rosters.load(alice)

    await db.people.ask(bob, [PAIR], {(PAIR.handle_a, PAIR.handle_b)})  # the same pair, Bob's
    await db.people.ask(bob, [], set())  # Bob's next compile raises nothing: his pair is gone
    await db.sessions.reset(bob, actor_id=9)
    clock.advance(days=40)
    await db.chats.touch(alice, "private")  # Alice is active, Bob idle
    await db.sessions.purge_expired(clock(), ttl_days=30)

    assert (await db.people.decisions(alice), await db.people.open_questions(alice)) == before
    assert await db.rosters.load(alice) == roster


@pytest.mark.parametrize(
    ("repository", "methods"),
    [(UploadRepository, 8), (PeopleRepository, 6), (RosterRepository, 4)],
)
def test_every_method_of_a_chats_data_is_scoped_by_a_chat_id(
    repository: type, methods: int
) -> None:
    public = [
        (name, member)
        for name, member in inspect.getmembers(repository, inspect.iscoroutinefunction)
        if not name.startswith("_")
    ]
    assert len(public) >= methods
    for name, method in public:
        first = list(inspect.signature(method).parameters)[1]
        assert first == "chat_id", f"{repository.__name__}.{name} must take the chat id first"
