"""people: look-alike pairs asked once per chat, answered once, undone, gone when the files no
longer hold them."""

from __future__ import annotations

from storage import (
    AnswerStatus,
    AuditAction,
    Database,
    NewQuestion,
    QuestionState,
    Verdict,
)
from tests.storage.factories import FakeClock, seen_chat

CHAT = 5001
AMARA = NewQuestion(
    "Amara Okonkwo-Test", "Amara Okonkwa-Test", "Amara Okonkwo-Test", "Amara Okonkwa-Test"
)
TOMAS = NewQuestion("id:Canvas 48213", "tomas.lind@example.org", "Tomas Lind-Test", "T. Lind-Test")


def raised(*questions: NewQuestion) -> set[tuple[str, str]]:
    return {(q.handle_a, q.handle_b) for q in questions}


async def test_a_pair_is_stored_in_handle_order_and_asked_again_under_the_same_id(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    [first] = await db.people.ask(CHAT, [AMARA], raised(AMARA))
    assert first.handles == ("Amara Okonkwa-Test", "Amara Okonkwo-Test")  # sorted
    assert (first.label_a, first.label_b) == ("Amara Okonkwa-Test", "Amara Okonkwo-Test")
    assert (first.state, first.verdict, first.asked_at) == (QuestionState.OPEN, None, clock())

    clock.advance(hours=1)
    reversed_pair = NewQuestion(AMARA.handle_b, AMARA.handle_a, "B (test 2)", "A (test 1)")
    [again] = await db.people.ask(CHAT, [reversed_pair], raised(AMARA))

    assert again.id == first.id and again.asked_at == clock()
    assert (again.label_a, again.label_b) == ("B (test 2)", "A (test 1)")
    assert [q.id for q in await db.people.open_questions(CHAT)] == [first.id]


async def test_an_answer_is_kept_once_and_a_second_press_finds_it_standing(
    db: Database, clock: FakeClock
) -> None:
    await seen_chat(db, CHAT)
    amara, tomas = await db.people.ask(CHAT, [AMARA, TOMAS], raised(AMARA, TOMAS))

    stored = await db.people.answer(CHAT, amara.id, Verdict.SAME, actor_id=11)
    assert (stored.status, stored.open_left) == (AnswerStatus.STORED, 1)
    assert stored.question is not None
    assert (stored.question.verdict, stored.question.decided_at) == (Verdict.SAME, clock())

    again = await db.people.answer(CHAT, amara.id, Verdict.DIFFERENT, actor_id=11)
    assert again.status is AnswerStatus.ALREADY_DECIDED
    assert again.question is not None and again.question.verdict is Verdict.SAME  # the first
    last = await db.people.answer(CHAT, tomas.id, Verdict.DIFFERENT, actor_id=12)
    assert (last.status, last.open_left) == (AnswerStatus.STORED, 0)

    decisions = await db.people.decisions(CHAT)
    assert [(q.id, q.verdict) for q in decisions] == [
        (amara.id, Verdict.SAME),
        (tomas.id, Verdict.DIFFERENT),
    ]
    entries = await db.audit.recent(5, chat_id=CHAT)
    assert [e.action for e in entries[:2]] == [AuditAction.PEOPLE] * 2
    assert entries[1].details == {"question_id": amara.id, "verdict": "same"}  # no names


async def test_a_decided_pair_is_never_reopened_by_a_later_compile(db: Database) -> None:
    await seen_chat(db, CHAT)
    [amara] = await db.people.ask(CHAT, [AMARA], raised(AMARA))
    await db.people.answer(CHAT, amara.id, Verdict.DIFFERENT, actor_id=None)

    assert await db.people.ask(CHAT, [AMARA], raised(AMARA)) == []  # answered meanwhile
    [kept] = await db.people.decisions(CHAT)
    assert (kept.state, kept.verdict) == (QuestionState.DECIDED, Verdict.DIFFERENT)


async def test_a_pair_the_latest_compile_no_longer_raises_is_gone_and_stores_no_answer(
    db: Database,
) -> None:
    await seen_chat(db, CHAT)
    amara, tomas = await db.people.ask(CHAT, [AMARA, TOMAS], raised(AMARA, TOMAS))
    # The next compile raises only Tomas's pair, and asks nothing (more than ten, say).
    assert await db.people.ask(CHAT, [], raised(TOMAS)) == []

    late = await db.people.answer(CHAT, amara.id, Verdict.SAME, actor_id=None)
    assert (late.status, late.open_left) == (AnswerStatus.GONE, 1)
    assert late.question is not None and late.question.state is QuestionState.GONE
    assert await db.people.decisions(CHAT) == []
    assert [q.id for q in await db.people.open_questions(CHAT)] == [tomas.id]

    [back] = await db.people.ask(CHAT, [AMARA], raised(AMARA))  # the pair came back
    assert (back.id, back.state) == (amara.id, QuestionState.OPEN)


async def test_an_undone_answer_is_forgotten_and_the_pair_asked_anew(db: Database) -> None:
    await seen_chat(db, CHAT)
    [amara] = await db.people.ask(CHAT, [AMARA], raised(AMARA))
    await db.people.answer(CHAT, amara.id, Verdict.SAME, actor_id=11)

    undone = await db.people.undo(CHAT, amara.id, actor_id=11)
    assert undone is not None and undone.verdict is Verdict.SAME
    assert await db.people.undo(CHAT, amara.id, actor_id=11) is None  # a second press
    assert await db.people.decisions(CHAT) == []
    assert (await db.people.answer(CHAT, amara.id, Verdict.SAME, 11)).status is AnswerStatus.GONE

    [asked] = await db.people.ask(CHAT, [AMARA], raised(AMARA))
    assert asked.state is QuestionState.OPEN and asked.id != amara.id


async def test_an_open_question_cannot_be_undone(db: Database) -> None:
    await seen_chat(db, CHAT)
    [amara] = await db.people.ask(CHAT, [AMARA], raised(AMARA))
    assert await db.people.undo(CHAT, amara.id, actor_id=None) is None
    assert await db.people.get(CHAT, amara.id) == amara


async def test_reset_deletes_the_questions_and_answers(db: Database) -> None:
    await seen_chat(db, CHAT)
    amara, _ = await db.people.ask(CHAT, [AMARA, TOMAS], raised(AMARA, TOMAS))
    await db.people.answer(CHAT, amara.id, Verdict.SAME, actor_id=None)

    removal = await db.sessions.reset(CHAT, actor_id=1)

    assert removal.decisions == 1
    assert await db.people.decisions(CHAT) == [] and await db.people.open_questions(CHAT) == []
    late = await db.people.answer(CHAT, amara.id, Verdict.SAME, actor_id=None)
    assert (late.status, late.question) == (AnswerStatus.GONE, None)


async def test_an_idle_chats_expiry_deletes_its_answers_too(db: Database, clock: FakeClock) -> None:
    await seen_chat(db, CHAT)
    [amara] = await db.people.ask(CHAT, [AMARA], raised(AMARA))
    await db.people.answer(CHAT, amara.id, Verdict.DIFFERENT, actor_id=None)
    clock.advance(days=40)

    purged = await db.sessions.purge_expired(clock(), ttl_days=30)

    assert purged.chats == 1 and await db.people.decisions(CHAT) == []
    assert (await db.sessions.purge_expired(clock(), ttl_days=30)).chats == 0
