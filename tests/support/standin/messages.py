"""Bot API methods that send, edit or delete messages, or answer people in a chat."""

from __future__ import annotations

import time
from typing import Any

from tests.support.standin import objects
from tests.support.standin.formatting import EntityParseError, visible_text
from tests.support.standin.objects import JsonDict
from tests.support.standin.params import ApiError, Params, bad_request
from tests.support.standin.records import (
    CallbackAnswer,
    ChatAction,
    SentMessage,
    StoredFile,
    UploadedFile,
)
from tests.support.standin.world import World

_CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)


def target_chat(world: World, params: Params) -> JsonDict:
    """The chat a call is aimed at: known, not blocked, not flooded; else Telegram's error."""
    chat_id = params.chat_id()
    with world.lock:
        chat = world.chats.get(chat_id)
        blocked = chat_id in world.blocked
    if chat is None:
        raise bad_request("chat not found")
    if blocked:
        if chat["type"] == "private":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        raise ApiError(403, "Forbidden: bot was kicked from the group chat")
    return chat


def _flood_check(world: World) -> None:
    retry_after = world.flood_wait()
    if retry_after is not None:
        raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def _visible(world: World, raw: str | None, params: Params, *, caption: bool) -> str | None:
    if raw is None:
        return None
    try:
        shown = visible_text(raw, params.text("parse_mode"))
    except EntityParseError as error:
        raise bad_request(str(error).removeprefix("Bad Request: ")) from None
    limit = world.limits.max_caption_chars if caption else world.limits.max_text_chars
    if objects.utf16_length(shown) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return shown


def _inline_markup(params: Params) -> JsonDict | None:
    """The reply_markup, checked like Telegram does; only an inline keyboard is echoed back."""
    markup = params.structure("reply_markup")
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _reply_to(world: World, chat_id: int, params: Params) -> int | None:
    reply = params.structure("reply_parameters")
    message_id = reply.get("message_id") if isinstance(reply, dict) else None
    message_id = message_id or params.integer("reply_to_message_id")
    if message_id is None:
        return None
    with world.lock:
        known = (chat_id, message_id) in world.incoming or world.find_sent(chat_id, message_id)
    allow_missing = isinstance(reply, dict) and reply.get("allow_sending_without_reply")
    if not known and not allow_missing:
        raise bad_request("message to be replied not found")
    return int(message_id)


def _record_sent(world: World, chat: JsonDict, method: str, params: Params, **fields: Any) -> Any:
    """Give the message its id, store what was sent, return the Message JSON."""
    markup = fields.pop("reply_markup")
    message_id = world.next_message_id(chat["id"])
    content = {key: fields.get(key) for key in ("text", "caption")}
    message = objects.message_dict(
        message_id, chat, world.bot_user, reply_markup=markup, **content, **fields.pop("media")
    )
    now = time.monotonic()
    record = SentMessage(
        method=method,
        chat_id=chat["id"],
        message_id=message_id,
        at=now,
        updated_at=now,
        parse_mode=params.text("parse_mode"),
        reply_markup=markup,
        message=message,
        **fields,
    )
    with world.lock:
        world.sent.append(record)
    world.changed()
    return message


def send_message(world: World, params: Params) -> Any:
    """sendMessage."""
    chat = target_chat(world, params)
    raw = params.text("text") or ""
    text = _visible(world, raw, params, caption=False)
    if not (text or "").strip():
        raise bad_request("message text is empty")
    markup = _inline_markup(params)
    reply_to = _reply_to(world, chat["id"], params)
    _flood_check(world)
    return _record_sent(
        world,
        chat,
        "sendMessage",
        params,
        text=text,
        raw_text=raw,
        reply_markup=markup,
        reply_to_message_id=reply_to,
        media={},
    )


def _uploaded_or_known(world: World, params: Params, name: str, kind: str) -> StoredFile:
    source = params.input_file(name)
    if isinstance(source, UploadedFile):
        if len(source.data) > world.limits.max_upload_bytes:
            raise ApiError(413, "Request Entity Too Large")
        return world.store_file(
            source.data, source.file_name, source.content_type, kind=kind, file_size=None
        )
    if not source:
        raise bad_request(f"there is no {name} in the request")
    if source.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content (the stand-in fetches no URLs)")
    with world.lock:
        known = world.files.get(source)
    if known is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return known


def _send_file(world: World, params: Params, method: str, field: str) -> Any:
    chat = target_chat(world, params)
    raw_caption = params.text("caption")
    caption = _visible(world, raw_caption, params, caption=True)
    markup = _inline_markup(params)
    reply_to = _reply_to(world, chat["id"], params)
    kind = "documents" if field == "document" else "photos"
    stored = _uploaded_or_known(world, params, field, kind)
    _flood_check(world)
    if field == "document":
        media: JsonDict = {
            "document": objects.document_dict(
                stored.file_id,
                stored.file_unique_id,
                stored.file_name,
                stored.mime_type,
                stored.file_size,
            )
        }
    else:
        media = {
            "photo": objects.photo_sizes(stored.file_id, stored.file_unique_id, len(stored.data))
        }
    return _record_sent(
        world,
        chat,
        method,
        params,
        caption=caption,
        raw_caption=raw_caption,
        reply_markup=markup,
        reply_to_message_id=reply_to,
        media=media,
        **{field: stored},
    )


def send_document(world: World, params: Params) -> Any:
    """sendDocument."""
    return _send_file(world, params, "sendDocument", "document")


def send_photo(world: World, params: Params) -> Any:
    """sendPhoto."""
    return _send_file(world, params, "sendPhoto", "photo")


def _message_to_edit(world: World, params: Params) -> SentMessage:
    if params.text("inline_message_id"):
        raise bad_request("inline messages are not modelled by the stand-in")
    chat = target_chat(world, params)
    message_id = params.integer("message_id")
    found = world.find_sent(chat["id"], message_id) if message_id is not None else None
    if found is None or found.deleted:
        raise bad_request("message to edit not found")
    return found


def _apply_edit(
    world: World,
    sent: SentMessage,
    text: str | None,
    raw: str | None,
    markup: JsonDict | None,
    parse_mode: str | None,
) -> Any:
    with world.lock:
        if (raw, markup) == (sent.raw_text, sent.reply_markup):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        sent.history.append(sent.text)
        sent.text, sent.raw_text, sent.reply_markup = text, raw, markup
        sent.parse_mode = parse_mode
        sent.updated_at = time.monotonic()
        sent.message = {**sent.message, "edit_date": objects.now()}
        sent.message.pop("reply_markup", None)
        if text is not None:
            sent.message["text"] = text
        if markup is not None:
            sent.message["reply_markup"] = markup
        message = dict(sent.message)
    world.changed()
    return message


def edit_message_text(world: World, params: Params) -> Any:
    """editMessageText; without reply_markup the inline keyboard goes away, as in Telegram."""
    sent = _message_to_edit(world, params)
    if sent.text is None:
        raise bad_request("there is no text in the message to edit")
    raw = params.text("text") or ""
    text = _visible(world, raw, params, caption=False)
    if not (text or "").strip():
        raise bad_request("message text is empty")
    return _apply_edit(world, sent, text, raw, _inline_markup(params), params.text("parse_mode"))


def edit_message_reply_markup(world: World, params: Params) -> Any:
    """editMessageReplyMarkup."""
    sent = _message_to_edit(world, params)
    return _apply_edit(
        world, sent, sent.text, sent.raw_text, _inline_markup(params), sent.parse_mode
    )


def delete_message(world: World, params: Params) -> Any:
    """deleteMessage (the bot's own messages or the people's)."""
    chat = target_chat(world, params)
    message_id = params.integer("message_id") or 0
    with world.lock:
        sent = world.find_sent(chat["id"], message_id)
        if sent is not None and not sent.deleted:
            sent.deleted = True
        elif world.incoming.pop((chat["id"], message_id), None) is None:
            raise bad_request("message to delete not found")
    world.changed()
    return True


def answer_callback_query(world: World, params: Params) -> Any:
    """answerCallbackQuery: once per query, as Telegram allows."""
    query_id = params.text("callback_query_id") or ""
    with world.lock:
        if query_id not in world.open_callback_queries:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        world.open_callback_queries.discard(query_id)
        world.callback_answers.append(
            CallbackAnswer(
                query_id, params.text("text"), params.flag("show_alert"), time.monotonic()
            )
        )
    world.changed()
    return True


def send_chat_action(world: World, params: Params) -> Any:
    """sendChatAction."""
    chat = target_chat(world, params)
    action = params.text("action") or ""
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    with world.lock:
        world.chat_actions.append(ChatAction(chat["id"], action, time.monotonic()))
    world.changed()
    return True
