"""Reading Bot API parameters the way Telegram does, whatever the body encoding.

python-telegram-bot sends form fields (urlencoded, or multipart when a file is uploaded)
whose non-string values are JSON-encoded strings ("123", "true", '{"inline_keyboard": ...}');
a JSON body carries native values. The getters accept both.
"""

from __future__ import annotations

import json
from typing import Any

from tests.support.standin.records import UploadedFile


class ApiError(Exception):
    """An error answer: `{"ok": false, "error_code": ..., "description": ...}`."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> dict[str, Any]:
        """The JSON answer Telegram sends for this error."""
        answer: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            answer["parameters"] = {"retry_after": self.retry_after}
        return answer


def bad_request(detail: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {detail}")


class Params:
    """The parameters of one call, with typed getters."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def text(self, name: str) -> str | None:
        """A string parameter as sent (JSON bodies may carry numbers; they become text)."""
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        return json.dumps(value)

    def integer(self, name: str) -> int | None:
        """An integer parameter; 400 if it is not one."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise bad_request(f"wrong parameter {name}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"wrong parameter {name}") from None

    def flag(self, name: str) -> bool:
        """A boolean parameter ("true"/"false" or a JSON bool)."""
        value = self.values.get(name)
        if isinstance(value, str):
            return value.lower() in ("true", "1")
        return bool(value)

    def structure(self, name: str) -> Any:
        """A JSON object or array parameter; 400 if it does not parse."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_id(self) -> int:
        """The chat_id parameter; @usernames are not modelled, so they are unknown chats."""
        value = self.values.get("chat_id")
        if value in (None, ""):
            raise bad_request("chat_id is empty")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request("chat not found") from None

    def chat_id_if_any(self) -> int | None:
        """chat_id when present and numeric, for matching faults; never raises."""
        try:
            return self.chat_id()
        except ApiError:
            return None

    def input_file(self, name: str) -> UploadedFile | str | None:
        """An InputFile parameter: an uploaded part (by name or attach://), or a file_id/URL."""
        if name in self.files:
            return self.files[name]
        value = self.text(name)
        if value and value.startswith("attach://"):
            attached = self.files.get(value.removeprefix("attach://"))
            if attached is None:
                raise bad_request(f"file {value} not found in the request")
            return attached
        return value
