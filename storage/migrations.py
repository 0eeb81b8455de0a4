"""Numbered, forward-only schema migrations, recorded in `PRAGMA user_version`.

Migration N takes a database at version N-1 to version N inside one `BEGIN IMMEDIATE`
transaction that also sets `user_version`, so a crash leaves the file at N-1 or N, never
between. Never edit a released migration: add the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.errors import SchemaTooNew


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema's history."""

    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "chats with their settings, uploads and their bytes",
        (
            """CREATE TABLE chats (
                id          INTEGER PRIMARY KEY,  -- Telegram's chat id
                kind        TEXT    NOT NULL CHECK (kind IN ('private', 'group')),
                title       TEXT,
                first_seen  TEXT    NOT NULL,
                last_seen   TEXT    NOT NULL,
                can_write   INTEGER NOT NULL DEFAULT 1 CHECK (can_write IN (0, 1)),
                policy      TEXT    NOT NULL DEFAULT 'classic',
                duplicates  TEXT    NOT NULL DEFAULT 'best',
                pass_mark   REAL    NOT NULL DEFAULT 50.0,
                out_of      TEXT    NOT NULL DEFAULT '{}'  -- JSON {"test number": maximum}
            ) STRICT""",
            """CREATE TABLE uploads (
                id             INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: history cites it
                chat_id        INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                state          TEXT    NOT NULL CHECK (state IN ('active', 'replaced')),
                test_number    INTEGER NOT NULL,
                test_how       TEXT    NOT NULL,
                file_name      TEXT    NOT NULL,
                size           INTEGER NOT NULL CHECK (size >= 0),
                sha256         TEXT    NOT NULL CHECK (length(sha256) = 64),
                file_unique_id TEXT,
                update_id      INTEGER,
                sender_id      INTEGER,
                received_at    TEXT    NOT NULL,
                replaced_at    TEXT,
                summary        TEXT    NOT NULL  -- JSON of the compiler's parse summary
            ) STRICT""",
            "CREATE UNIQUE INDEX uploads_chat_sha ON uploads (chat_id, sha256)",
            """CREATE UNIQUE INDEX uploads_chat_active_test ON uploads (chat_id, test_number)
                WHERE state = 'active'""",
            """CREATE UNIQUE INDEX uploads_chat_update ON uploads (chat_id, update_id)
                WHERE update_id IS NOT NULL""",
            "CREATE INDEX uploads_chat_file_unique_id ON uploads (chat_id, file_unique_id)",
            """CREATE TABLE upload_bytes (
                upload_id INTEGER PRIMARY KEY REFERENCES uploads(id) ON DELETE CASCADE,
                data      BLOB    NOT NULL
            ) STRICT""",
            "CREATE INDEX chats_last_seen ON chats (last_seen)",
        ),
    ),
    Migration(
        2,
        "compile history",
        (
            """CREATE TABLE compiles (
                id               INTEGER PRIMARY KEY,
                chat_id          INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                actor_id         INTEGER,
                started_at       TEXT    NOT NULL,
                upload_ids       TEXT    NOT NULL,  -- JSON list: history outlives the uploads
                duration_seconds REAL    NOT NULL CHECK (duration_seconds >= 0),
                participants     INTEGER NOT NULL,
                passed           INTEGER NOT NULL,
                failed           INTEGER NOT NULL,
                output_sha256    TEXT    NOT NULL
            ) STRICT""",
            "CREATE INDEX compiles_chat_started ON compiles (chat_id, started_at)",
            "CREATE INDEX compiles_started ON compiles (started_at)",
        ),
    ),
    Migration(
        3,
        "broadcasts, their deliveries, and the audit log",
        (
            """CREATE TABLE broadcasts (
                id          INTEGER PRIMARY KEY,
                admin_id    INTEGER NOT NULL,
                text        TEXT    NOT NULL,
                created_at  TEXT    NOT NULL,
                finished_at TEXT
            ) STRICT""",
            """CREATE TABLE deliveries (
                broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
                chat_id      INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                state        TEXT    NOT NULL
                    CHECK (state IN ('pending', 'sending', 'sent', 'blocked', 'failed')),
                error        TEXT,
                updated_at   TEXT    NOT NULL,
                PRIMARY KEY (broadcast_id, chat_id)
            ) STRICT, WITHOUT ROWID""",
            "CREATE INDEX deliveries_state ON deliveries (broadcast_id, state)",
            """CREATE TABLE audit_log (
                id        INTEGER PRIMARY KEY,
                at        TEXT    NOT NULL,
                actor_id  INTEGER,
                chat_id   INTEGER,  -- no foreign key: the log outlives what it describes
                action    TEXT    NOT NULL,
                details   TEXT    NOT NULL  -- JSON of ids and counts, never file contents
            ) STRICT""",
            "CREATE INDEX audit_log_chat ON audit_log (chat_id, at)",
        ),
    ),
    Migration(
        4,
        "updates received, kept until handled so a crash does not lose them",
        (
            """CREATE TABLE inbox (
                update_id   INTEGER PRIMARY KEY,  -- Telegram's update_id
                received_at TEXT    NOT NULL,
                attempts    INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
                payload     TEXT,  -- JSON of the update while pending; NULL once handled
                handled_at  TEXT,
                CHECK ((payload IS NULL) = (handled_at IS NOT NULL))
            ) STRICT""",
            "CREATE INDEX inbox_pending ON inbox (update_id) WHERE handled_at IS NULL",
            "CREATE INDEX inbox_received ON inbox (received_at)",
        ),
    ),
    Migration(
        5,
        "a file brings one test or several (a gradebook): its tests get a table of their own",
        (
            """CREATE TABLE upload_tests (
                upload_id INTEGER NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
                chat_id   INTEGER NOT NULL,  -- the upload's, for the one-active-test index
                number    INTEGER NOT NULL CHECK (number >= 1),
                how       TEXT    NOT NULL,  -- how the number was decided
                item_key  TEXT,  -- the score column's header in a file of several tests
                state     TEXT    NOT NULL CHECK (state IN ('active', 'replaced')),
                summary   TEXT    NOT NULL,  -- JSON of the compiler's summary of this test
                PRIMARY KEY (upload_id, number)
            ) STRICT, WITHOUT ROWID""",
            """CREATE UNIQUE INDEX upload_tests_chat_active ON upload_tests (chat_id, number)
                WHERE state = 'active'""",
            "CREATE INDEX upload_tests_chat_number ON upload_tests (chat_id, number)",
            """INSERT INTO upload_tests (upload_id, chat_id, number, how, item_key, state, summary)
                SELECT id, chat_id, test_number, test_how, NULL, state, summary FROM uploads""",
            "DROP INDEX uploads_chat_active_test",
            "ALTER TABLE uploads DROP COLUMN test_number",
            "ALTER TABLE uploads DROP COLUMN test_how",
            "ALTER TABLE uploads DROP COLUMN summary",
        ),
    ),
    Migration(
        6,
        "a chat's grading: weights, results dropped, a letter scale",
        (
            """ALTER TABLE chats ADD COLUMN weights TEXT NOT NULL DEFAULT '{}'""",  # {"test": w}
            """ALTER TABLE chats ADD COLUMN drop_lowest INTEGER NOT NULL DEFAULT 0
                CHECK (drop_lowest >= 0)""",
            "ALTER TABLE chats ADD COLUMN letters TEXT",  # a scale's spec or preset name
        ),
    ),
    Migration(
        7,
        "what a compile found, to say what moved at the next: a digest, never the workbook",
        (
            # JSON: each person's key (a hash) -> PASS/FAIL, the tests, the settings; NULL before
            "ALTER TABLE compiles ADD COLUMN digest TEXT",
        ),
    ),
    Migration(
        8,
        "who is who, as the teacher settled it: look-alike pairs asked and answered; a roster",
        (
            # One row per pair a compile asked about, kept so it is never asked twice. The
            # handles are the compiler's (an id, an e-mail or a name), handle_a < handle_b; the
            # labels are the two people as the question showed them, for /people.
            """CREATE TABLE people_questions (
                -- What the question's buttons carry; never reused, so that a button pressed
                -- after a reset or an undo cannot answer another pair.
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
                handle_a   TEXT    NOT NULL,
                handle_b   TEXT    NOT NULL,
                label_a    TEXT    NOT NULL,
                label_b    TEXT    NOT NULL,
                state      TEXT    NOT NULL CHECK (state IN ('open', 'decided', 'gone')),
                verdict    TEXT    CHECK (verdict IN ('same', 'different')),
                asked_at   TEXT    NOT NULL,
                decided_at TEXT,
                CHECK (handle_a < handle_b),
                CHECK ((state = 'decided') = (verdict IS NOT NULL)),
                CHECK ((verdict IS NULL) = (decided_at IS NULL)),
                UNIQUE (chat_id, handle_a, handle_b)
            ) STRICT""",
            "CREATE INDEX people_questions_chat_state ON people_questions (chat_id, state)",
            # A chat's class roster: the people as read from the file, not the file's bytes.
            """CREATE TABLE rosters (
                chat_id      INTEGER PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE,
                file_name    TEXT    NOT NULL,
                people       TEXT    NOT NULL,  -- JSON list of {name, email, person_id}
                people_count INTEGER NOT NULL CHECK (people_count >= 0),
                with_contact INTEGER NOT NULL CHECK (with_contact >= 0),  -- with an e-mail or id
                sender_id    INTEGER,
                update_id    INTEGER,
                received_at  TEXT    NOT NULL
            ) STRICT""",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


async def schema_version(conn: aiosqlite.Connection) -> int:
    """The version recorded in the file (0 for a new, empty database)."""
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(conn: aiosqlite.Connection, target: int = LATEST_VERSION) -> list[int]:
    """Apply every migration above the file's version up to `target`; return those applied.

    Each step re-reads the version inside its own write transaction, so two processes
    opening the same new file at once apply each migration exactly once.
    """
    found = await schema_version(conn)
    if found > LATEST_VERSION:
        raise SchemaTooNew(found, LATEST_VERSION)
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.version > target:
            break
        await conn.execute("BEGIN IMMEDIATE")
        try:
            if await schema_version(conn) < migration.version:
                for statement in migration.statements:
                    await conn.execute(statement)
                # PRAGMA takes no bound parameters; the version is our own int.
                await conn.execute(f"PRAGMA user_version = {int(migration.version)}")
                applied.append(migration.version)
            await conn.commit()
        except BaseException:
            await conn.rollback()
            raise
    return applied
