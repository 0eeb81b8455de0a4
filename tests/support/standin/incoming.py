"""Updates as Telegram would deliver them when people write, upload, press or forward."""

from __future__ import annotations

import itertools
from typing import Any

from tests.support.standin import objects
from tests.support.standin.objects import JsonDict
from tests.support.standin.world import World

_callback_ids = itertools.count(4_400_000_000_000_000_001)


def sender_in_chat(
    world: World, chat_id: int, user_id: int | None, chat_type: str | None, title: str | None
) -> tuple[JsonDict, JsonDict]:
    """(chat, user) of a message: in a private chat the user is the chat; a group needs one."""
    chat = world.chat(chat_id, chat_type, title)
    if user_id is None:
        if chat["type"] != "private":
            raise ValueError(f"a message in {chat['type']} chat {chat_id} needs a user_id")
        user_id = chat_id
    return chat, world.user(user_id)


def message_update(
    world: World,
    chat_id: int,
    *,
    user_id: int | None,
    chat_type: str | None,
    title: str | None,
    **content: Any,
) -> int:
    """Queue a `message` update with `content` (text, document, caption, ...)."""
    chat, user = sender_in_chat(world, chat_id, user_id, chat_type, title)
    message_id = world.next_message_id(chat_id)
    text = content.get("text")
    if text is not None and "entities" not in content:
        content["entities"] = objects.command_entities(text) or None
    message = objects.message_dict(message_id, chat, user, **content)
    return world.enqueue({"message": message})


def document_content(
    world: World,
    file_name: str,
    data: bytes,
    *,
    mime_type: str | None,
    file_size: int | None,
) -> JsonDict:
    """The `document` field of a message, registering the file so getFile can serve it."""
    mime = mime_type or objects.guess_mime_type(file_name)
    stored = world.store_file(data, file_name, mime, kind="documents", file_size=file_size)
    return objects.document_dict(
        stored.file_id, stored.file_unique_id, file_name, mime, stored.file_size
    )


def forward_origin(
    world: World,
    *,
    origin_user_id: int | None,
    origin_name: str | None,
    origin_chat_id: int | None,
) -> JsonDict:
    """A MessageOrigin: a user, a user who hides their account, or a chat."""
    origin: JsonDict = {"date": objects.now() - 60}
    if origin_user_id is not None:
        return {**origin, "type": "user", "sender_user": world.user(origin_user_id)}
    if origin_name is not None:
        return {**origin, "type": "hidden_user", "sender_user_name": origin_name}
    if origin_chat_id is not None:
        return {**origin, "type": "chat", "sender_chat": world.chat(origin_chat_id)}
    raise ValueError("a forward needs origin_user_id, origin_name or origin_chat_id")


def callback_update(
    world: World, chat_id: int, message_id: int, data: str, *, user_id: int | None, check: bool
) -> int:
    """Queue a `callback_query` update for a button under one of the bot's messages."""
    sent = world.find_sent(chat_id, message_id)
    if sent is None:
        raise ValueError(f"the bot sent no message {message_id} to chat {chat_id}")
    if check and data not in [button_data for _, button_data in sent.buttons]:
        raise ValueError(
            f"message {message_id} in chat {chat_id} has no button with callback_data "
            f"{data!r}; its buttons: {sent.buttons}"
        )
    chat, user = sender_in_chat(world, chat_id, user_id, None, None)
    query_id = str(next(_callback_ids))
    with world.lock:
        world.open_callback_queries.add(query_id)
        message = dict(sent.message)
    query = {
        "id": query_id,
        "from": user,
        "message": message,
        "chat_instance": str(abs(chat["id"]) * 7919),
        "data": data,
    }
    return world.enqueue({"callback_query": query})
