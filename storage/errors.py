"""Errors storage raises on purpose. `str()` is a sentence the bot can show or reword.

Limit refusals carry their numbers as attributes so the bot can phrase its own message.
"""

from __future__ import annotations

MEBIBYTE = 1024 * 1024


class StorageError(Exception):
    """Base of every error storage raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatabaseClosed(StorageError):
    """The database was used after `close()`."""

    def __init__(self) -> None:
        super().__init__("The database is closed.")


class SchemaTooNew(StorageError):
    """The file was written by a newer version of the program; we never downgrade."""

    def __init__(self, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"The database is at schema version {found}, newer than this program knows "
            f"({known}): run the newer program or restore a backup."
        )


class UnknownChat(StorageError):
    """A chat was used before `chats.touch()` recorded it."""

    def __init__(self, chat_id: int) -> None:
        self.chat_id = chat_id
        super().__init__(f"Chat {chat_id} is not known yet: record it with chats.touch() first.")


class LimitExceeded(StorageError):
    """A refusal because a limit from settings would be passed. Nothing was stored."""


class FileTooBig(LimitExceeded):
    """One file is larger than the largest file allowed."""

    def __init__(self, size: int, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(
            f"The file is {_mb(size)}, more than the {_mb(limit)} allowed: "
            "export fewer columns or split it."
        )


class TooManyFiles(LimitExceeded):
    """The chat already holds as many files as allowed."""

    def __init__(self, count: int, limit: int) -> None:
        self.count = count
        self.limit = limit
        super().__init__(
            f"This chat already has {count} files, the most allowed is {limit}: "
            "remove a test or /reset before sending more."
        )


class ChatStorageFull(LimitExceeded):
    """The chat's stored bytes (current files and replaced ones) would pass the limit."""

    def __init__(self, used: int, history: int, size: int, limit: int) -> None:
        self.used = used
        self.history = history
        self.size = size
        self.limit = limit
        super().__init__(
            f"This chat stores {_mb(used)} ({_mb(history)} of it replaced files kept as "
            f"history); {_mb(size)} more would pass the {_mb(limit)} allowed: "
            "/reset to start afresh."
        )


def _mb(size: int) -> str:
    return f"{size / MEBIBYTE:.1f} MB"


class DamagedUpload(StorageError):
    """A stored file's bytes no longer match the sha-256 taken when it arrived."""

    def __init__(self, upload_id: int, file_name: str) -> None:
        self.upload_id = upload_id
        self.file_name = file_name
        super().__init__(
            f"The stored copy of {file_name} is damaged: remove that test and send the file again."
        )
