"""Internals of the fake Telegram Bot API server; tests import `tests.support.telegram_standin`."""
