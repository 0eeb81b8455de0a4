"""The Bot API methods the stand-in answers, by lower-case name (Telegram ignores case)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.support.standin import messages
from tests.support.standin.params import ApiError, Params, bad_request
from tests.support.standin.world import World

Method = Callable[[World, Params], Any]

_COMMAND_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def get_me(world: World, params: Params) -> Any:
    """getMe."""
    return {
        **world.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def prepare_get_updates(world: World, params: Params) -> tuple[int, float]:
    """The synchronous half of getUpdates: confirm the offset, remember allowed_updates.

    Returns (limit, timeout); the server does the long poll.
    """
    with world.lock:
        if world.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
    allowed = params.structure("allowed_updates")
    if allowed is not None:
        with world.lock:
            world.allowed_updates = frozenset(allowed)
    offset = params.integer("offset")
    if offset:
        world.confirm(offset)
    limit = params.integer("limit") or 100
    timeout = params.integer("timeout") or 0
    return max(1, min(limit, 100)), max(0, timeout)


def delete_webhook(world: World, params: Params) -> Any:
    """deleteWebhook."""
    with world.lock:
        world.webhook_url = ""
    if params.flag("drop_pending_updates"):
        world.drop_pending()
    return True


def set_webhook(world: World, params: Params) -> Any:
    """setWebhook: remembered (getUpdates then answers 409), nothing is ever posted to it."""
    with world.lock:
        world.webhook_url = params.text("url") or ""
    if params.flag("drop_pending_updates"):
        world.drop_pending()
    return True


def get_webhook_info(world: World, params: Params) -> Any:
    """getWebhookInfo."""
    with world.lock:
        url = world.webhook_url
    return {
        "url": url,
        "has_custom_certificate": False,
        "pending_update_count": world.pending_count(),
    }


def _commands_key(params: Params) -> str:
    scope = params.structure("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True) + "|" + (params.text("language_code") or "")


def set_my_commands(world: World, params: Params) -> Any:
    """setMyCommands, checked like Telegram (lower-case names up to 32 chars)."""
    commands = params.structure("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        name = str(command.get("command", ""))
        if not 1 <= len(name) <= 32 or set(name) - _COMMAND_NAME_CHARS:
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    with world.lock:
        world.commands[_commands_key(params)] = commands
    world.changed()
    return True


def get_my_commands(world: World, params: Params) -> Any:
    """getMyCommands."""
    with world.lock:
        return list(world.commands.get(_commands_key(params), []))


def delete_my_commands(world: World, params: Params) -> Any:
    """deleteMyCommands."""
    with world.lock:
        world.commands.pop(_commands_key(params), None)
    return True


def get_file(world: World, params: Params) -> Any:
    """getFile: the file_path to download from, or "file is too big" past 20 MB."""
    file_id = params.text("file_id") or ""
    with world.lock:
        stored = world.files.get(file_id)
        marked_too_big = file_id in world.too_big
    if stored is None:
        raise bad_request("invalid file_id")
    if marked_too_big or stored.file_size > world.limits.max_download_bytes:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "file_path": stored.file_path,
    }


def harmless(world: World, params: Params) -> Any:
    """close, logOut and the bot-profile setters: accepted, only visible in `calls()`."""
    return True


METHODS: dict[str, Method] = {
    "getme": get_me,
    "deletewebhook": delete_webhook,
    "setwebhook": set_webhook,
    "getwebhookinfo": get_webhook_info,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "getfile": get_file,
    "close": harmless,
    "logout": harmless,
    "setmydescription": harmless,
    "setmyshortdescription": harmless,
    "setchatmenubutton": harmless,
    "sendmessage": messages.send_message,
    "senddocument": messages.send_document,
    "sendphoto": messages.send_photo,
    "editmessagetext": messages.edit_message_text,
    "editmessagereplymarkup": messages.edit_message_reply_markup,
    "deletemessage": messages.delete_message,
    "answercallbackquery": messages.answer_callback_query,
    "sendchataction": messages.send_chat_action,
}
"""Every method but getUpdates, which the server handles itself because it waits."""
