"""What the stand-in remembers: API calls, messages the bot sent, files, faults to inject."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from tests.support.standin.objects import JsonDict


@dataclass
class ApiCall:
    """One HTTP request to the Bot API, as received (times from `time.monotonic()`)."""

    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    body_kind: str  # "multipart" | "form" | "json" | "query" | "empty"
    token_ok: bool
    at: float
    status: int = 0  # HTTP status of the answer, 0 while the call is pending
    description: str | None = None  # Telegram's error description when not ok
    finished_at: float | None = None

    @property
    def ok(self) -> bool:
        """True when the stand-in answered 200 OK."""
        return self.status == 200


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    file_name: str
    data: bytes
    content_type: str


@dataclass(frozen=True)
class StoredFile:
    """A file the stand-in can serve through getFile and the file URL."""

    file_id: str
    file_unique_id: str
    file_name: str
    mime_type: str
    data: bytes
    file_size: int  # what Telegram announces; may differ from len(data) to fake a huge file
    file_path: str


@dataclass
class SentMessage:
    """A message the bot sent (sendMessage, sendDocument, sendPhoto), with later edits applied.

    `text` and `caption` are what a reader sees (markup removed); `raw_text` and
    `raw_caption` are what the bot sent.
    """

    method: str
    chat_id: int
    message_id: int
    at: float
    text: str | None = None
    raw_text: str | None = None
    caption: str | None = None
    raw_caption: str | None = None
    parse_mode: str | None = None
    document: StoredFile | None = None
    photo: StoredFile | None = None
    reply_markup: JsonDict | None = None
    reply_to_message_id: int | None = None
    history: list[str | None] = field(default_factory=list)  # texts before each edit
    updated_at: float = 0.0
    deleted: bool = False
    message: JsonDict = field(default_factory=dict, repr=False)  # the Message JSON returned

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """(label, callback_data) of every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(button["text"], button.get("callback_data")) for row in rows for button in row]

    @property
    def edit_count(self) -> int:
        """How many times the bot edited this message."""
        return len(self.history)

    @property
    def shown(self) -> str:
        """The visible text or caption, "" if none."""
        return self.text if self.text is not None else (self.caption or "")

    def summary(self) -> str:
        """One line for failure messages."""
        what = self.document.file_name if self.document else ("<photo>" if self.photo else "")
        text = self.shown.replace("\n", " ")
        text = text if len(text) <= 60 else text[:57] + "..."
        return f"{self.method}->{self.chat_id} #{self.message_id} {what} {text!r}".replace(
            "  ", " "
        )

    def snapshot(self) -> SentMessage:
        """A copy safe to hand to another thread."""
        return dataclasses.replace(self, history=list(self.history))


@dataclass(frozen=True)
class CallbackAnswer:
    """An answerCallbackQuery call."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    at: float


@dataclass(frozen=True)
class ChatAction:
    """A sendChatAction call."""

    chat_id: int
    action: str
    at: float


@dataclass
class Fault:
    """An error or a delay the stand-in answers the next matching calls with."""

    method: str  # lower-case method name
    times: int
    error_code: int | None = None
    description: str = ""
    retry_after: int | None = None
    chat_id: int | None = None
    delay: float = 0.0
    delay_after_processing: bool = False  # True: the effect happens, only the answer is late

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this fault applies to a call of `method` aimed at `chat_id`."""
        return self.method == method.lower() and (self.chat_id in (None, chat_id))


def default_description(error_code: int, retry_after: int | None) -> str:
    """Telegram's usual description for an error code."""
    if error_code == 429:
        return f"Too Many Requests: retry after {retry_after}"
    return {
        400: "Bad Request: injected failure",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(error_code, f"Error {error_code}")
