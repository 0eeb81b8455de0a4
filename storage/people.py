"""Who is who, as a chat's teacher settled it: the look-alike pairs a compile asked about, and
the answers ("same person" or "different people") that every later compile of the chat obeys.

One row per pair and chat, ever: a pair asked again keeps its row (and its id, which the
question's buttons carry), so it is never stored twice. Every method takes the chat id first
and every query filters on it, so one chat's buttons cannot reach another chat's questions.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import aiosqlite

from storage.access import DatabaseAccess
from storage.audit import write_entry
from storage.clock import from_text, optional_from_text, to_text
from storage.models import (
    AnswerOutcome,
    AnswerStatus,
    AuditAction,
    NewQuestion,
    PeopleQuestion,
    QuestionState,
    Verdict,
)
from storage.sql import fetch_all, fetch_one, scalar

MAX_LABEL = 300  # a label shows a person's names, e-mails and tests; a cell may hold far more


class PeopleRepository:
    """Ask about look-alike pairs, keep the answers, undo them, list them."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def ask(
        self,
        chat_id: int,
        asked: Sequence[NewQuestion],
        raised: Collection[tuple[str, str]],
    ) -> list[PeopleQuestion]:
        """Note what the chat's latest compile asked; return the questions to send, in order.

        `asked` are the pairs the bot is about to ask, `raised` every pair the compile found
        (asked or not, each as its two handles in either order). An open question the compile
        no longer raised becomes GONE; a pair asked again is reopened with its old id. A pair
        already decided (answered while the compile ran) is not asked.
        """
        found = {tuple(sorted(pair)) for pair in raised}
        now = to_text(self._db.now())
        async with self._db.transaction() as conn:
            open_rows = await fetch_all(
                conn,
                "SELECT id, handle_a, handle_b FROM people_questions "
                "WHERE chat_id = ? AND state = 'open'",
                (chat_id,),
            )
            gone = [(row["id"],) for row in open_rows if (row[1], row[2]) not in found]
            await conn.executemany(
                "UPDATE people_questions SET state = 'gone' WHERE id = ?",
                gone,
            )
            questions = []
            for new in asked:
                row = await _reopen(conn, chat_id, new.ordered(), now)
                if row is not None:
                    questions.append(question_from_row(row))
        return questions

    async def answer(
        self, chat_id: int, question_id: int, verdict: Verdict, actor_id: int | None
    ) -> AnswerOutcome:
        """Keep the answer to an open question. A question answered already keeps its first
        answer (ALREADY_DECIDED); one whose pair left the files, or that the chat does not
        hold, stores nothing (GONE)."""
        async with self._db.transaction() as conn:
            row = await _question(conn, chat_id, question_id)
            if row is None or row["state"] == QuestionState.GONE:
                status = AnswerStatus.GONE
            elif row["state"] == QuestionState.DECIDED:
                status = AnswerStatus.ALREADY_DECIDED
            else:
                row = await fetch_one(
                    conn,
                    """UPDATE people_questions
                       SET state = 'decided', verdict = ?, decided_at = ?
                       WHERE chat_id = ? AND id = ? RETURNING *""",
                    (Verdict(verdict).value, to_text(self._db.now()), chat_id, question_id),
                )
                await write_entry(
                    conn,
                    self._db.now(),
                    actor_id,
                    chat_id,
                    AuditAction.PEOPLE,
                    {"question_id": question_id, "verdict": Verdict(verdict).value},
                )
                status = AnswerStatus.STORED
            left = await _open_count(conn, chat_id)
        question = None if row is None else question_from_row(row)
        return AnswerOutcome(status, question, left)

    async def undo(
        self, chat_id: int, question_id: int, actor_id: int | None
    ) -> PeopleQuestion | None:
        """Forget an answer: the pair is asked again if a later compile still finds it. Returns
        the question as it was answered; None when the chat holds no such answer."""
        async with self._db.transaction() as conn:
            row = await fetch_one(
                conn,
                "DELETE FROM people_questions WHERE chat_id = ? AND id = ? AND state = 'decided' "
                "RETURNING *",
                (chat_id, question_id),
            )
            if row is not None:
                await write_entry(
                    conn,
                    self._db.now(),
                    actor_id,
                    chat_id,
                    AuditAction.PEOPLE,
                    {"question_id": question_id, "undone": True},
                )
        return None if row is None else question_from_row(row)

    async def get(self, chat_id: int, question_id: int) -> PeopleQuestion | None:
        """One of the chat's questions; None if it is not this chat's (or no longer kept)."""
        async with self._db.snapshot() as conn:
            row = await _question(conn, chat_id, question_id)
        return None if row is None else question_from_row(row)

    async def decisions(self, chat_id: int) -> list[PeopleQuestion]:
        """The chat's answers, oldest first: what its compiles obey."""
        return await self._in_state(chat_id, QuestionState.DECIDED)

    async def open_questions(self, chat_id: int) -> list[PeopleQuestion]:
        """The questions that wait for an answer, in the order they were asked."""
        return await self._in_state(chat_id, QuestionState.OPEN)

    async def _in_state(self, chat_id: int, state: QuestionState) -> list[PeopleQuestion]:
        async with self._db.snapshot() as conn:
            rows = await fetch_all(conn, _IN_STATE[state], (chat_id,))
        return [question_from_row(row) for row in rows]


_IN_STATE = {
    QuestionState.DECIDED: "SELECT * FROM people_questions WHERE chat_id = ? "
    "AND state = 'decided' ORDER BY decided_at, id",
    QuestionState.OPEN: "SELECT * FROM people_questions WHERE chat_id = ? "
    "AND state = 'open' ORDER BY asked_at, id",
}


async def delete_chat_people(conn: aiosqlite.Connection, chat_id: int) -> int:
    """Delete every question and answer of a chat, inside a write transaction (a reset, an
    expiry); return how many answers went."""
    rows = await fetch_all(
        conn, "DELETE FROM people_questions WHERE chat_id = ? RETURNING state", (chat_id,)
    )
    return sum(row["state"] == QuestionState.DECIDED for row in rows)


async def _reopen(
    conn: aiosqlite.Connection, chat_id: int, new: NewQuestion, now: str
) -> aiosqlite.Row | None:
    """Insert the pair as open, or reopen its row with fresh labels; None when decided."""
    return await fetch_one(
        conn,
        """INSERT INTO people_questions
               (chat_id, handle_a, handle_b, label_a, label_b, state, asked_at)
           VALUES (?, ?, ?, ?, ?, 'open', ?)
           ON CONFLICT (chat_id, handle_a, handle_b) DO UPDATE SET
               label_a = excluded.label_a, label_b = excluded.label_b,
               state = 'open', asked_at = excluded.asked_at
           WHERE people_questions.state != 'decided'
           RETURNING *""",
        (
            chat_id,
            new.handle_a,
            new.handle_b,
            new.label_a[:MAX_LABEL],
            new.label_b[:MAX_LABEL],
            now,
        ),
    )


async def _question(
    conn: aiosqlite.Connection, chat_id: int, question_id: int
) -> aiosqlite.Row | None:
    return await fetch_one(
        conn,
        "SELECT * FROM people_questions WHERE chat_id = ? AND id = ?",
        (chat_id, question_id),
    )


async def _open_count(conn: aiosqlite.Connection, chat_id: int) -> int:
    return int(
        await scalar(
            conn,
            "SELECT count(*) FROM people_questions WHERE chat_id = ? AND state = 'open'",
            (chat_id,),
        )
    )


def question_from_row(row: aiosqlite.Row) -> PeopleQuestion:
    """A `people_questions` row as a PeopleQuestion."""
    return PeopleQuestion(
        id=row["id"],
        chat_id=row["chat_id"],
        handle_a=row["handle_a"],
        handle_b=row["handle_b"],
        label_a=row["label_a"],
        label_b=row["label_b"],
        state=QuestionState(row["state"]),
        verdict=None if row["verdict"] is None else Verdict(row["verdict"]),
        asked_at=from_text(row["asked_at"]),
        decided_at=optional_from_text(row["decided_at"]),
    )
