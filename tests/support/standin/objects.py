"""Builders for the JSON objects the Bot API exchanges (User, Chat, Message, entities, files).

Only the fields python-telegram-bot needs to de-serialise an object, plus the ones tests read.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import time
from typing import Any

JsonDict = dict[str, Any]

_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


def now() -> int:
    """Unix time in whole seconds, as Telegram stamps `date` fields."""
    return int(time.time())


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: the unit of every entity offset and length."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[JsonDict]:
    """`bot_command` entities for every /command in `text`, as Telegram's clients mark them.

    python-telegram-bot's CommandHandler only fires on a message whose first entity is a
    bot_command at offset 0, so a plain "/start" without the entity would be ignored.
    """
    return [
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]


def user_dict(
    user_id: int,
    first_name: str,
    *,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = "en",
    is_bot: bool = False,
) -> JsonDict:
    """A User object."""
    user: JsonDict = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    if language_code and not is_bot:
        user["language_code"] = language_code
    return user


def chat_dict(
    chat_id: int, chat_type: str, *, title: str | None, user: JsonDict | None
) -> JsonDict:
    """A Chat object: a private chat mirrors its user's names, a group carries a title."""
    if chat_type not in ("private", "group", "supergroup", "channel"):
        raise ValueError(f"unknown chat type {chat_type!r}")
    chat: JsonDict = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        if user is None:
            raise ValueError("a private chat needs its user")
        for key in ("first_name", "last_name", "username"):
            if key in user:
                chat[key] = user[key]
    else:
        chat["title"] = title or f"Test group {abs(chat_id)}"
    return chat


def guess_mime_type(file_name: str) -> str:
    """The MIME type a Telegram client would announce for `file_name`."""
    guessed, _ = mimetypes.guess_type(file_name, strict=False)
    return guessed or "application/octet-stream"


def file_unique_id(data: bytes) -> str:
    """Same bytes, same unique id, like Telegram's `file_unique_id`."""
    return "AgAD" + hashlib.sha256(data).hexdigest()[:16]


def file_id(serial: int, unique_id: str) -> str:
    """A fresh `file_id`: different for every message even when the bytes are the same."""
    return f"BQACAgIAAxkB{serial:08d}{unique_id}"


def document_dict(
    file_id_: str, unique_id: str, file_name: str, mime_type: str, size: int
) -> JsonDict:
    """A Document object."""
    return {
        "file_id": file_id_,
        "file_unique_id": unique_id,
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": size,
    }


def photo_sizes(file_id_: str, unique_id: str, size: int) -> list[JsonDict]:
    """The PhotoSize list of a photo (one size; width and height are not measured)."""
    return [
        {
            "file_id": file_id_,
            "file_unique_id": unique_id,
            "width": 0,
            "height": 0,
            "file_size": size,
        }
    ]


def message_dict(message_id: int, chat: JsonDict, sender: JsonDict, **content: Any) -> JsonDict:
    """A Message object; `content` holds the optional fields (text, document, ...), None dropped."""
    message: JsonDict = {"message_id": message_id, "date": now(), "chat": chat, "from": sender}
    message.update({key: value for key, value in content.items() if value is not None})
    return message


def update_type(update: JsonDict) -> str:
    """The kind of an Update (`message`, `callback_query`, ...): its one key besides the id."""
    kinds = [key for key in update if key != "update_id"]
    return kinds[0] if kinds else ""
