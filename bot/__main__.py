"""`python -m bot`: long polling, or a webhook when WEBHOOK_URL is set."""

from __future__ import annotations

import sys

from pydantic import ValidationError

from bot.app import build_application
from bot.logs import configure_logging
from bot.settings import TOKEN_HELP, Settings


def load_settings() -> Settings:
    """The settings, or one plain line per problem and exit 2 (never the token's value)."""
    try:
        return Settings()  # type: ignore[call-arg]
    except ValidationError as exc:
        for error in exc.errors(include_input=False, include_url=False):
            field = ".".join(str(part) for part in error["loc"]).upper()
            if field == "TELEGRAM_BOT_TOKEN":
                problem = "is missing" if error["type"] == "missing" else "is malformed"
                print(f"TELEGRAM_BOT_TOKEN {problem}. {TOKEN_HELP}", file=sys.stderr)
            else:
                print(f"{field}: {error['msg']} (see .env.example)", file=sys.stderr)
        raise SystemExit(2) from None


def main() -> None:
    settings = load_settings()
    if settings.webhook_url and settings.webhook_secret is None:
        print("WEBHOOK_URL is set but WEBHOOK_SECRET is not: set both.", file=sys.stderr)
        raise SystemExit(2)
    configure_logging(settings.log_level, settings.token)
    app = build_application(settings)
    if settings.webhook_url:
        assert settings.webhook_secret is not None
        app.run_webhook(
            listen="0.0.0.0",  # noqa: S104 - a webhook must be reachable from Telegram
            port=settings.port,
            url_path="telegram",
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=["message", "callback_query"],
        )
    else:
        app.run_polling(allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
