"""What `python -m storage` reads from the environment (or `.env`). The bot passes its own."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.errors import MEBIBYTE
from storage.models import (
    DEFAULT_MAX_BYTES_PER_CHAT,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_MAX_FILES_PER_CHAT,
    StorageLimits,
)

DEFAULT_DATABASE_PATH = Path("data/bot.sqlite3")
DEFAULT_SESSION_TTL_DAYS = 30


class StorageSettings(BaseSettings):
    """`DATABASE_PATH`, `SESSION_TTL_DAYS` and the storage limits, with their defaults.

    The bot's own settings extend this class, so both read the same variables.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_path: Path = DEFAULT_DATABASE_PATH
    session_ttl_days: float = Field(default=DEFAULT_SESSION_TTL_DAYS, gt=0)
    max_file_mb: float = Field(default=DEFAULT_MAX_FILE_BYTES / MEBIBYTE, gt=0, le=20)
    max_files_per_chat: int = Field(default=DEFAULT_MAX_FILES_PER_CHAT, ge=1)
    max_mb_per_chat: float = Field(default=DEFAULT_MAX_BYTES_PER_CHAT / MEBIBYTE, gt=0)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MEBIBYTE)

    @property
    def limits(self) -> StorageLimits:
        """The limits as storage takes them."""
        return StorageLimits(
            self.max_file_bytes, self.max_files_per_chat, int(self.max_mb_per_chat * MEBIBYTE)
        )
