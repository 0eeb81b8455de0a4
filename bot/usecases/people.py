"""Who is who, as the teacher settles it: the look-alike pairs a compile found, asked as
questions; the answers ("same person", "different people") that every later compile of the chat
obeys, listed and undone; and the class roster a compile gives one row per person.

No Telegram here: the handlers word what these return with `bot.texts`. Logs carry ids and
counts, never names, e-mails or handles.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.usecases.backend import STORAGE_FAILURES, Backend
from compiler import CompileReport, LookAlike, LookAlikeSide, Roster, RosterPerson, SameOrNot
from storage import (
    AnswerOutcome,
    NewQuestion,
    NewRoster,
    PeopleQuestion,
    RosterEntry,
    RosterInfo,
    StoredRoster,
    Verdict,
)

log = logging.getLogger(__name__)
MAX_ASKED = 10  # questions sent after one compile; the rest wait for the next


@dataclass(frozen=True, slots=True)
class ChatPeople:
    """What a compile of the chat must obey: its roster, and the teacher's answers."""

    roster: Roster | None = None
    decisions: tuple[SameOrNot, ...] = ()


@dataclass(frozen=True, slots=True)
class PairAsked:
    """A question to send: the id its buttons carry, and the pair as the compile found it."""

    question_id: int
    pair: LookAlike


@dataclass(frozen=True, slots=True)
class Questions:
    """The questions to send after a compile, most likely first, and how many pairs wait for
    the next compile (past the first `MAX_ASKED`)."""

    asked: tuple[PairAsked, ...]
    more: int


async def chat_people(backend: Backend, chat_id: int) -> ChatPeople:
    """The chat's roster and answers, as the compiler takes them."""
    stored = await backend.db.rosters.load(chat_id)
    decisions = await backend.db.people.decisions(chat_id)
    return ChatPeople(
        roster=None if stored is None else roster_of(stored),
        decisions=tuple(
            SameOrNot(q.handle_a, q.handle_b, q.verdict is Verdict.SAME) for q in decisions
        ),
    )


def roster_of(stored: StoredRoster) -> Roster:
    """A stored roster as the compiler takes it."""
    return Roster(
        file_name=stored.info.file_name,
        people=tuple(RosterPerson(p.name, p.email, p.person_id) for p in stored.people),
    )


async def ask_about_look_alikes(backend: Backend, chat_id: int, report: CompileReport) -> Questions:
    """Note the pairs a compile found and which of them to ask about now (the first
    `MAX_ASKED`, most likely first); a question asked before whose pair is no longer found
    becomes gone. A database that cannot take the questions asks none (the workbook went out
    all the same, and its Issues sheet lists the pairs)."""
    pairs = report.possible_same_person
    shown = pairs[:MAX_ASKED]
    asked = [
        NewQuestion(p.a.handle, p.b.handle, person_label(p.a), person_label(p.b)) for p in shown
    ]
    try:
        stored = await backend.db.people.ask(chat_id, asked, {p.handles for p in pairs})
    except STORAGE_FAILURES as exc:
        log.warning("look-alikes of chat=%s not asked: %s", chat_id, type(exc).__name__)
        return Questions((), 0)
    by_handles = {p.handles: p for p in shown}
    questions = tuple(PairAsked(q.id, by_handles[q.handles]) for q in stored)
    log.info("look-alikes chat=%s found=%s asked=%s", chat_id, len(pairs), len(questions))
    return Questions(questions, len(pairs) - len(shown))


def person_label(side: LookAlikeSide) -> str:
    """One side of a pair as /people lists it: the name, and the first e-mail when known."""
    return f"{side.name}, {side.emails[0]}" if side.emails else side.name


async def answer_question(
    backend: Backend, chat_id: int, question_id: int, verdict: Verdict, actor_id: int | None
) -> AnswerOutcome:
    """Keep the teacher's answer; a question answered before keeps its first answer, and one
    whose pair left the files (or that the chat no longer holds) stores nothing."""
    outcome = await backend.db.people.answer(chat_id, question_id, verdict, actor_id)
    log.info(
        "answer chat=%s question=%s status=%s open_left=%s",
        chat_id, question_id, outcome.status, outcome.open_left,
    )  # fmt: skip
    return outcome


async def undo_answer(
    backend: Backend, chat_id: int, question_id: int, actor_id: int | None
) -> PeopleQuestion | None:
    """Forget an answer (the pair is asked again if a compile still finds it); the answer
    undone, or None when the chat holds no such answer."""
    undone = await backend.db.people.undo(chat_id, question_id, actor_id)
    log.info("undo chat=%s question=%s done=%s", chat_id, question_id, undone is not None)
    return undone


async def answers(backend: Backend, chat_id: int) -> list[PeopleQuestion]:
    """The chat's answers, oldest first, for /people."""
    return await backend.db.people.decisions(chat_id)


async def roster_info(backend: Backend, chat_id: int) -> RosterInfo | None:
    """The chat's roster without its people (file, how many), for /status."""
    return await backend.db.rosters.info(chat_id)


async def remove_roster(backend: Backend, chat_id: int, actor_id: int | None) -> RosterInfo | None:
    """Drop the chat's roster; the one dropped, or None when there was none."""
    return await backend.db.rosters.remove(chat_id, actor_id)


def new_roster(roster: Roster, sender_id: int | None, update_id: int | None) -> NewRoster:
    """A roster the compiler read, as storage keeps it."""
    return NewRoster(
        file_name=roster.file_name,
        people=tuple(RosterEntry(p.name, p.email, p.person_id) for p in roster.people),
        sender_id=sender_id,
        update_id=update_id,
    )
