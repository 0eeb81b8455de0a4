"""Child process of the crash test: store uploads forever, reporting each after its commit.

    python -m tests.storage.crash_writer DB_PATH SEED

Prints `ready`, then one line `upload_id chat_id sha256` per upload whose `add` returned,
that is, whose transaction committed. The parent kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import asyncio
import random
import sys

from storage import ChatKind, Database, NewUpload, StorageLimits

CHATS = (7001, 7002, 7003)
ROOMY = StorageLimits(max_files_per_chat=1_000, max_bytes_per_chat=10**12)
MAX_FILE = 384 * 1024


async def write_forever(path: str, seed: int) -> None:
    rng = random.Random(seed)
    db = await Database.open(path, ROOMY)
    for chat_id in CHATS:
        await db.chats.touch(chat_id, ChatKind.GROUP, f"Crash class {chat_id}")
    print("ready", flush=True)
    while True:
        chat_id, test = rng.choice(CHATS), rng.randint(1, 25)  # repeats replace: history too
        data = rng.randbytes(rng.randint(1, MAX_FILE))
        outcome = await db.uploads.add(
            chat_id,
            NewUpload.one_test(
                f"Test {test}.xlsx", data, test, "from the label", {"participants": 3}
            ),
        )
        print(outcome.upload.id, chat_id, outcome.upload.sha256, flush=True)


if __name__ == "__main__":
    asyncio.run(write_forever(sys.argv[1], int(sys.argv[2])))
