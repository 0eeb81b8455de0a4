"""The test's side of the world: people and chats, what they do, and faults to inject."""

from __future__ import annotations

from tests.support.standin import incoming, objects
from tests.support.standin.objects import JsonDict
from tests.support.standin.records import Fault
from tests.support.standin.world import World


class WorldControls:
    """Mixin of TelegramStandIn: set the scene, act as people, inject faults (thread-safe)."""

    _world: World

    # People and chats

    def add_user(
        self,
        user_id: int,
        first_name: str = "Amara",
        *,
        last_name: str | None = "Okonkwo-Test",
        username: str | None = None,
        language_code: str | None = "en",
    ) -> JsonDict:
        """Register a person and their private chat with the bot (chat id = user id)."""
        with self._world.lock:
            user = objects.user_dict(
                user_id,
                first_name,
                last_name=last_name,
                username=username,
                language_code=language_code,
            )
            self._world.users[user_id] = user
            self._world.chats[user_id] = objects.chat_dict(
                user_id, "private", title=None, user=user
            )
            return dict(user)

    def add_chat(
        self, chat_id: int, chat_type: str = "group", *, title: str | None = None
    ) -> JsonDict:
        """Register a group, supergroup or channel (ids are negative in Telegram)."""
        with self._world.lock:
            self._world.chats[chat_id] = objects.chat_dict(
                chat_id, chat_type, title=title, user=None
            )
            return dict(self._world.chats[chat_id])

    # People act: each returns the update_id of the update queued for the bot

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        title: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        """A person writes `text`; /commands get their bot_command entities."""
        reply = self._message_json(chat_id, reply_to) if reply_to else None
        return incoming.message_update(
            self._world,
            chat_id,
            user_id=user_id,
            chat_type=chat_type,
            title=title,
            text=text,
            reply_to_message=reply,
        )

    def send_document(
        self,
        chat_id: int,
        file_name: str,
        data: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        media_group_id: str | None = None,
        user_id: int | None = None,
        file_size: int | None = None,
        chat_type: str | None = None,
        title: str | None = None,
    ) -> int:
        """A person uploads a file. `file_size` overrides the announced size (fake a 30 MB file
        without the bytes: getFile then answers "file is too big", as Telegram does past 20 MB).
        """
        document = incoming.document_content(
            self._world, file_name, data, mime_type=mime_type, file_size=file_size
        )
        return incoming.message_update(
            self._world,
            chat_id,
            user_id=user_id,
            chat_type=chat_type,
            title=title,
            document=document,
            caption=caption,
            media_group_id=media_group_id,
        )

    def press_button(
        self,
        chat_id: int,
        message_id: int,
        callback_data: str,
        *,
        user_id: int | None = None,
        check: bool = True,
    ) -> int:
        """A person presses an inline button under the bot's message. With `check=False` any
        callback_data is sent, as a tampering client could."""
        return incoming.callback_update(
            self._world, chat_id, message_id, callback_data, user_id=user_id, check=check
        )

    def forward_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        origin_user_id: int | None = None,
        origin_name: str | None = None,
        origin_chat_id: int | None = None,
    ) -> int:
        """A person forwards someone else's message (a user, a hidden user, or a chat)."""
        origin = incoming.forward_origin(
            self._world,
            origin_user_id=origin_user_id,
            origin_name=origin_name,
            origin_chat_id=origin_chat_id,
        )
        return incoming.message_update(
            self._world,
            chat_id,
            user_id=user_id,
            chat_type=None,
            title=None,
            text=text,
            forward_origin=origin,
        )

    def inject_update(self, update: JsonDict) -> int:
        """Queue a raw Update (update_id assigned unless given)."""
        return self._world.enqueue(dict(update))

    def redeliver(self, update_id: int) -> None:
        """Deliver an update once more even though the bot confirmed it (a duplicate)."""
        self._world.redeliver(update_id)

    def update(self, update_id: int) -> JsonDict:
        """A copy of an update the test queued."""
        return self._world.update(update_id)

    def file_id_of(self, update_id: int) -> str:
        """The document's file_id in a queued update (for file_too_big and friends)."""
        return str(self.update(update_id)["message"]["document"]["file_id"])

    def _message_json(self, chat_id: int, message_id: int) -> JsonDict:
        with self._world.lock:
            message = self._world.incoming.get((chat_id, message_id))
            sent = self._world.find_sent(chat_id, message_id)
        if message is None and sent is None:
            raise ValueError(f"no message {message_id} in chat {chat_id} to reply to")
        return dict(message if message is not None else sent.message)  # type: ignore[union-attr]

    # Faults

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        *,
        retry_after: int | None = 1,
        description: str | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error.

        429 carries `retry_after` (python-telegram-bot raises RetryAfter); other codes use
        Telegram's usual description unless one is given.
        """
        self._add_fault(
            Fault(
                method=method.lower(),
                times=times,
                error_code=error_code,
                description=description or "",
                retry_after=retry_after if error_code == 429 else None,
                chat_id=chat_id,
            )
        )

    def delay_next(
        self, method: str, seconds: float, *, times: int = 1, processed: bool = False
    ) -> None:
        """Hold the next `times` calls of `method` for `seconds` (for timeouts and crashes).
        `method` may be DOWNLOAD: the file's bytes come only after the delay.

        processed=False: the call takes effect only after the delay, and never if the client
        hangs up meanwhile (a held getUpdates does not confirm its offset).
        processed=True: it takes effect at once and only the answer is late, so a client that
        times out never learns that its message was sent (the duplicate-send case).
        """
        self._add_fault(
            Fault(
                method=method.lower(),
                times=times,
                delay=seconds,
                delay_after_processing=processed,
            )
        )

    def _add_fault(self, fault: Fault) -> None:
        with self._world.lock:
            self._world.faults.append(fault)

    def block_chat(self, chat_id: int) -> None:
        """The person blocked the bot (or removed it from the group): sends answer 403."""
        with self._world.lock:
            self._world.blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """Undo block_chat."""
        with self._world.lock:
            self._world.blocked.discard(chat_id)

    def file_too_big(self, file_id: str) -> None:
        """getFile for this file answers 400 "Bad Request: file is too big"."""
        with self._world.lock:
            self._world.too_big.add(file_id)

    def limit_send_rate(self, per_second: float | None) -> None:
        """Answer 429 (retry_after 1) to messages beyond `per_second` in any one second."""
        with self._world.lock:
            self._world.send_rate_limit = per_second

    def start_outage(self) -> None:
        """Telegram is down: every call, waiting long polls included, answers 502 Bad Gateway
        (python-telegram-bot raises NetworkError and its polling retries with back-off)."""
        with self._world.lock:
            self._world.down = True
        self._world.changed()

    def end_outage(self) -> None:
        """Telegram is back."""
        with self._world.lock:
            self._world.down = False
        self._world.changed()
