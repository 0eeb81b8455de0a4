"""The bot's settings, read once from the environment or `.env` and passed down."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from storage import StorageSettings

TOKEN_HELP = (
    "Get a bot token from @BotFather in Telegram and put it in .env as "  # noqa: S105
    "TELEGRAM_BOT_TOKEN=<token> (see .env.example)."
)


class Settings(StorageSettings):
    """Everything the bot can be told from outside; see `.env.example`.

    Storage's settings (database path, session expiry, limits) are inherited.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = 8443
    health_port: int | None = None
    workers: int = Field(default=2, ge=1, le=16)
    worker_memory_mb: int = Field(default=2048, ge=256)
    parse_timeout_s: float = Field(default=60, gt=0)
    compile_timeout_s: float = Field(default=300, gt=0)
    updates_per_minute: int = Field(default=60, ge=1)
    broadcast_per_second: float = Field(default=25, gt=0, le=30)

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        head, sep, tail = value.get_secret_value().strip().partition(":")
        if not (sep and head.isdigit() and tail and all(c.isalnum() or c in "-_" for c in tail)):
            raise ValueError("TELEGRAM_BOT_TOKEN does not look like a bot token")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
        return value

    @field_validator("log_level")
    @classmethod
    def _level_name(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def token(self) -> str:
        return self.telegram_bot_token.get_secret_value()
