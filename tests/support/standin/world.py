"""The stand-in's state: people, chats, the update queue, files, and what the bot did.

Shared between the HTTP server's loop and the test (possibly on another thread): every
method takes the lock, none awaits while holding it, and every change wakes the waiters.
"""

from __future__ import annotations

import collections
import copy
import os
import threading
import time
from dataclasses import dataclass

from tests.support.standin import objects
from tests.support.standin.objects import JsonDict
from tests.support.standin.records import (
    ApiCall,
    CallbackAnswer,
    ChatAction,
    Fault,
    SentMessage,
    StoredFile,
)
from tests.support.standin.waiting import ChangeSignal

# Update kinds Telegram leaves out unless a bot asks for them in allowed_updates.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass(frozen=True)
class Limits:
    """Telegram's size limits, lowered in tests that must not shuffle 20 MB around."""

    max_download_bytes: int = 20 * 1024 * 1024
    max_upload_bytes: int = 50 * 1024 * 1024
    max_text_chars: int = 4096
    max_caption_chars: int = 1024


@dataclass
class _Queued:
    update_id: int
    payload: JsonDict
    forced: bool = False  # a redelivery: handed out once whatever the offset says


class World:
    """All state of one stand-in; thread-safe."""

    def __init__(self, token: str, bot_user: JsonDict, limits: Limits) -> None:
        self.lock = threading.RLock()
        self.signal = ChangeSignal()
        self.token = token
        self.bot_user = bot_user
        self.limits = limits
        self.users: dict[int, JsonDict] = {}
        self.chats: dict[int, JsonDict] = {}
        self._last_message_id: dict[int, int] = {}
        self._queue: list[_Queued] = []
        self._updates: dict[int, JsonDict] = {}
        self._next_update_id = 100_001
        self.deliveries: collections.Counter[int] = collections.Counter()
        self.confirmed_offset = 0
        self.allowed_updates: frozenset[str] | None = None
        self.webhook_url = ""
        self.poll_generation = 0
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.too_big: set[str] = set()
        self.sent: list[SentMessage] = []
        self.incoming: dict[tuple[int, int], JsonDict] = {}
        self.open_callback_queries: set[str] = set()
        self.calls: list[ApiCall] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[ChatAction] = []
        self.commands: dict[str, list[JsonDict]] = {}
        self.faults: list[Fault] = []
        self.blocked: set[int] = set()
        self.send_rate_limit: float | None = None
        self._recent_sends: collections.deque[float] = collections.deque()
        self.internal_errors: list[str] = []
        self.closing = False
        self.down = False  # an outage: every call answers 502 Bad Gateway

    def changed(self) -> None:
        """Wake everyone waiting for a change."""
        self.signal.notify()

    # People and chats

    def user(self, user_id: int) -> JsonDict:
        """The User with this id, invented on first use."""
        with self.lock:
            if user_id not in self.users:
                self.users[user_id] = objects.user_dict(user_id, f"Tester{user_id}")
            return self.users[user_id]

    def chat(
        self, chat_id: int, chat_type: str | None = None, title: str | None = None
    ) -> JsonDict:
        """The Chat with this id, created on first use (private if the id is positive)."""
        with self.lock:
            known = self.chats.get(chat_id)
            if known is not None and chat_type in (None, known["type"]):
                return known
            kind = chat_type or ("private" if chat_id > 0 else "group")
            user = self.user(chat_id) if kind == "private" else None
            self.chats[chat_id] = objects.chat_dict(chat_id, kind, title=title, user=user)
            return self.chats[chat_id]

    def next_message_id(self, chat_id: int) -> int:
        """Message ids count up per chat, shared by the people and the bot, as in Telegram."""
        with self.lock:
            self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
            return self._last_message_id[chat_id]

    # The update queue

    def enqueue(self, payload: JsonDict) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        with self.lock:
            update_id = payload.get("update_id") or self._next_update_id
            self._next_update_id = max(self._next_update_id, update_id) + 1
            update = {"update_id": update_id, **payload}
            self._updates[update_id] = update
            if "message" in update:
                message = update["message"]
                self.incoming[(message["chat"]["id"], message["message_id"])] = message
            self._queue.append(_Queued(update_id, update))
        self.changed()
        return update_id

    def update(self, update_id: int) -> JsonDict:
        """A copy of an update the test injected."""
        with self.lock:
            if update_id not in self._updates:
                raise KeyError(f"no update {update_id} was injected")
            return copy.deepcopy(self._updates[update_id])

    def redeliver(self, update_id: int) -> None:
        """Hand the update out once more even though the bot confirmed it."""
        with self.lock:
            self._queue.append(_Queued(update_id, self.update(update_id), forced=True))
        self.changed()

    def confirm(self, offset: int) -> None:
        """Apply getUpdates' offset: forget updates below it (negative: keep the last -offset)."""
        with self.lock:
            normal = [queued for queued in self._queue if not queued.forced]
            if offset < 0:
                keep = normal[offset:]
                offset = keep[0].update_id if keep else self._next_update_id
            if offset > 0:
                self._queue = [q for q in self._queue if q.forced or q.update_id >= offset]
                self.confirmed_offset = max(self.confirmed_offset, offset)
        self.changed()

    def take_batch(self, limit: int) -> list[JsonDict]:
        """Updates for a getUpdates answer: redeliveries first, then by id; not removed."""
        with self.lock:
            self._drop_unwanted()
            forced = [queued for queued in self._queue if queued.forced]
            normal = sorted((q for q in self._queue if not q.forced), key=lambda q: q.update_id)
            batch = (forced + normal)[:limit]
            for queued in batch:
                if queued.forced:
                    queued.forced = False
                    self._queue.remove(queued)
                self.deliveries[queued.update_id] += 1
            delivered = [copy.deepcopy(queued.payload) for queued in batch]
        if delivered:
            self.changed()
        return delivered

    def _drop_unwanted(self) -> None:
        allowed = self.allowed_updates or None

        def wanted(queued: _Queued) -> bool:
            kind = objects.update_type(queued.payload)
            return kind in allowed if allowed else kind not in _OPT_IN_UPDATES

        self._queue = [queued for queued in self._queue if wanted(queued)]

    def drop_pending(self) -> None:
        """deleteWebhook/setWebhook with drop_pending_updates."""
        with self.lock:
            if self._queue:
                self.confirmed_offset = max(q.update_id for q in self._queue) + 1
            self._queue.clear()
        self.changed()

    def pending_count(self) -> int:
        """Updates waiting to be fetched or confirmed."""
        with self.lock:
            return len(self._queue)

    # Files

    def store_file(
        self, data: bytes, file_name: str, mime_type: str, *, kind: str, file_size: int | None
    ) -> StoredFile:
        """Register a file under a fresh file_id (its unique id comes from the bytes)."""
        with self.lock:
            serial = len(self.files) + 1
            unique_id = objects.file_unique_id(data)
            _, extension = os.path.splitext(file_name)
            stored = StoredFile(
                file_id=objects.file_id(serial, unique_id),
                file_unique_id=unique_id,
                file_name=file_name,
                mime_type=mime_type,
                data=data,
                file_size=len(data) if file_size is None else file_size,
                file_path=f"{kind}/file_{serial}{extension.lower()}",
            )
            self.files[stored.file_id] = stored
            self.files_by_path[stored.file_path] = stored
            return stored

    # Faults

    def take_fault(self, method: str, chat_id: int | None) -> Fault | None:
        """The first fault waiting for this call, used up by one."""
        with self.lock:
            for fault in self.faults:
                if fault.matches(method, chat_id):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
            return None

    def flood_wait(self) -> int | None:
        """Seconds to wait if one more message now would exceed the configured global rate."""
        with self.lock:
            if self.send_rate_limit is None:
                return None
            now = time.monotonic()
            while self._recent_sends and self._recent_sends[0] <= now - 1.0:
                self._recent_sends.popleft()
            if len(self._recent_sends) >= self.send_rate_limit:
                return 1
            self._recent_sends.append(now)
            return None

    # What the bot did

    def find_sent(self, chat_id: int, message_id: int) -> SentMessage | None:
        """The bot's message with this id in this chat."""
        with self.lock:
            for message in reversed(self.sent):
                if message.chat_id == chat_id and message.message_id == message_id:
                    return message
            return None

    def finish_call(self, call: ApiCall, status: int, description: str | None) -> None:
        """Log the answer to a request."""
        with self.lock:
            call.status = status
            call.description = description
            call.finished_at = time.monotonic()
        self.changed()
