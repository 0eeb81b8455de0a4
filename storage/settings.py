"""What `python -m storage` reads from the environment (or `.env`). The bot passes its own."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.models import (
    DEFAULT_MAX_BYTES_PER_CHAT,
    DEFAULT_MAX_FILE_BYTES,
    DEFAULT_MAX_FILES_PER_CHAT,
    StorageLimits,
)

DEFAULT_DATABASE_PATH = Path("data/bot.sqlite3")
DEFAULT_SESSION_TTL_DAYS = 30


class StorageSettings(BaseSettings):
    """`DATABASE_PATH`, `SESSION_TTL_DAYS` and the storage limits, with their defaults."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_path: Path = DEFAULT_DATABASE_PATH
    session_ttl_days: float = Field(default=DEFAULT_SESSION_TTL_DAYS, gt=0)
    max_file_bytes: int = Field(default=DEFAULT_MAX_FILE_BYTES, ge=1)
    max_files_per_chat: int = Field(default=DEFAULT_MAX_FILES_PER_CHAT, ge=1)
    max_bytes_per_chat: int = Field(default=DEFAULT_MAX_BYTES_PER_CHAT, ge=1)

    @property
    def limits(self) -> StorageLimits:
        """The limits as storage takes them."""
        return StorageLimits(self.max_file_bytes, self.max_files_per_chat, self.max_bytes_per_chat)
