"""A tiny bot for process-level tests: `python -m tests.support.echo_bot`.

Configured like the real bot, from TELEGRAM_BOT_TOKEN, TELEGRAM_BASE_URL and
TELEGRAM_BASE_FILE_URL (see `TelegramStandIn.bot_env()`). Echoes texts; `/slow` shows
"typing" and then sleeps, so a test can kill the process while a handler is running.
"""

from __future__ import annotations

import asyncio
import os

from telegram import Update
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text with the same text."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"echo: {update.effective_message.text}")


async def slow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start working visibly, then take far longer than any test waits."""
    assert update.effective_chat is not None
    await context.bot.send_chat_action(update.effective_chat.id, "typing")
    await asyncio.sleep(60)


def main() -> None:
    """Poll the Bot API at the configured address until SIGINT/SIGTERM."""
    app = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(os.environ["TELEGRAM_BASE_URL"])
        .base_file_url(os.environ["TELEGRAM_BASE_FILE_URL"])
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(CommandHandler("slow", slow))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.run_polling(poll_interval=0, timeout=1)


if __name__ == "__main__":
    main()
