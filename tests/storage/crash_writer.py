"""Child process of the crash test: store uploads, rosters and answers about people forever,
reporting each after its commit.

    python -m tests.storage.crash_writer DB_PATH SEED

Prints `ready`, then one line per write whose call returned, that is, whose transaction
committed: `upload_id chat_id sha256` for an upload, `roster chat_id FILE_NAME PEOPLE` for a
roster (file names grow run after run), `decided chat_id question_id VERDICT` for an answer.
The parent kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import asyncio
import random
import sys

from storage import (
    ChatKind,
    Database,
    NewQuestion,
    NewRoster,
    NewUpload,
    RosterEntry,
    StorageLimits,
    Verdict,
)

CHATS = (7001, 7002, 7003)
ROOMY = StorageLimits(max_files_per_chat=1_000, max_bytes_per_chat=10**12)
MAX_FILE = 384 * 1024


def roster_name(seed: int, count: int) -> str:
    """A roster's file name: later runs and later rosters sort after earlier ones."""
    return f"r{seed:03d}-{count:06d}.csv"


def roster_size(name: str) -> int:
    """How many people the roster of this name holds (a check that it was kept whole)."""
    return int(name[5:11]) % 40 + 1


async def write_forever(path: str, seed: int) -> None:
    rng = random.Random(seed)
    db = await Database.open(path, ROOMY)
    for chat_id in CHATS:
        await db.chats.touch(chat_id, ChatKind.GROUP, f"Crash class {chat_id}")
    print("ready", flush=True)
    for count in range(1_000_000):
        chat_id, kind = rng.choice(CHATS), rng.random()
        if kind < 0.15:
            await write_roster(db, chat_id, roster_name(seed, count))
        elif kind < 0.30:
            await write_answer(db, chat_id, f"s{seed:03d}-{count:06d}", rng.random() < 0.5)
        else:
            await write_upload(db, chat_id, rng)


async def write_upload(db: Database, chat_id: int, rng: random.Random) -> None:
    test = rng.randint(1, 25)  # repeats replace: history too
    data = rng.randbytes(rng.randint(1, MAX_FILE))
    outcome = await db.uploads.add(
        chat_id,
        NewUpload.one_test(f"Test {test}.xlsx", data, test, "from the label", {"participants": 3}),
    )
    print(outcome.upload.id, chat_id, outcome.upload.sha256, flush=True)


async def write_roster(db: Database, chat_id: int, name: str) -> None:
    people = tuple(
        RosterEntry(f"Pupil {n} Crash-Test", f"pupil{n}@example.org")
        for n in range(roster_size(name))
    )
    kept = await db.rosters.replace(chat_id, NewRoster(name, people))
    print("roster", chat_id, kept.roster.file_name, kept.roster.people, flush=True)


async def write_answer(db: Database, chat_id: int, pair: str, same: bool) -> None:
    asked = NewQuestion(f"{pair}-a", f"{pair}-b", "Pupil A Crash-Test", "Pupil B Crash-Test")
    [question] = await db.people.ask(chat_id, [asked], {(asked.handle_a, asked.handle_b)})
    verdict = Verdict.SAME if same else Verdict.DIFFERENT
    await db.people.answer(chat_id, question.id, verdict, actor_id=None)
    print("decided", chat_id, question.id, verdict.value, flush=True)


if __name__ == "__main__":
    asyncio.run(write_forever(sys.argv[1], int(sys.argv[2])))
