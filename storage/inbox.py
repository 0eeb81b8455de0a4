"""Updates as they arrive, kept until handled, so a crash in the middle of one loses nothing.

Telegram forgets an update once the bot asks for the next ones, and python-telegram-bot asks
as soon as it has fetched a batch, long before the handlers are done. So the bot writes each
update here before it is queued; at start it handles again the ones a crash left unhandled, and
a second delivery of an update already here is ignored. Handled updates keep only their id.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from storage.access import DatabaseAccess
from storage.clock import from_text, to_text
from storage.models import PendingUpdate
from storage.sql import fetch_all

log = logging.getLogger(__name__)


class InboxRepository:
    """Receive updates once each, mark them handled, hand back those left unhandled."""

    def __init__(self, db: DatabaseAccess) -> None:
        self._db = db

    async def receive(self, update_id: int, payload: Mapping[str, Any]) -> bool:
        """Keep a newly arrived update; False when it was here already (a second delivery)."""
        async with self._db.transaction() as conn:
            rows = await fetch_all(
                conn,
                """INSERT INTO inbox (update_id, received_at, payload) VALUES (?, ?, ?)
                   ON CONFLICT (update_id) DO NOTHING RETURNING update_id""",
                (update_id, to_text(self._db.now()), json.dumps(payload, sort_keys=True)),
            )
        return bool(rows)

    async def handled(self, update_id: int) -> None:
        """The update's handling is over: drop its content, keep its id against duplicates."""
        async with self._db.transaction() as conn:
            await conn.execute(
                """UPDATE inbox SET handled_at = ?, payload = NULL
                   WHERE update_id = ? AND handled_at IS NULL""",
                (to_text(self._db.now()), update_id),
            )

    async def take_unhandled(self, max_attempts: int, newer_than: datetime) -> list[PendingUpdate]:
        """The updates to handle again, oldest first, each counted as one more attempt.

        An update whose handling already started `max_attempts` times (it may be what brings
        the bot down) or that arrived before `newer_than` is given up: marked handled, not
        returned.
        """
        now = to_text(self._db.now())
        async with self._db.transaction() as conn:
            given_up = await fetch_all(
                conn,
                """UPDATE inbox SET handled_at = ?, payload = NULL
                   WHERE handled_at IS NULL AND (attempts >= ? OR received_at < ?)
                   RETURNING update_id""",
                (now, max_attempts, to_text(newer_than)),
            )
            rows = await fetch_all(
                conn,
                """UPDATE inbox SET attempts = attempts + 1 WHERE handled_at IS NULL
                   RETURNING update_id, received_at, attempts, payload""",
            )
        if given_up:
            log.warning(
                "inbox: gave up on updates %s (too old, or their handling failed %s times)",
                sorted(row["update_id"] for row in given_up),
                max_attempts,
            )
        pending = [
            PendingUpdate(
                update_id=row["update_id"],
                received_at=from_text(row["received_at"]),
                attempts=row["attempts"],
                payload=json.loads(row["payload"]),
            )
            for row in rows
        ]
        return sorted(pending, key=lambda update: update.update_id)

    async def forget_handled(self, before: datetime) -> int:
        """Delete the ids of updates handled before `before`; return how many.

        Keep a day at least: Telegram delivers an update again only within a day.
        """
        async with self._db.transaction() as conn:
            rows = await fetch_all(
                conn,
                "DELETE FROM inbox WHERE handled_at IS NOT NULL AND handled_at < ? "
                "RETURNING update_id",
                (to_text(before),),
            )
        return len(rows)
