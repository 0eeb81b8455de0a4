"""Minimal python-telegram-bot applications the stand-in tests drive, and how to run them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

ECHO_PREFIX = "echo: "


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text with the same text."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(ECHO_PREFIX + (update.effective_message.text or ""))


async def return_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download the uploaded document and send it back under the same name."""
    message = update.effective_message
    assert message is not None and message.document is not None
    telegram_file = await context.bot.get_file(message.document.file_id)
    data = await telegram_file.download_as_bytearray()
    await context.bot.send_document(
        chat_id=message.chat_id,
        document=InputFile(bytes(data), filename=message.document.file_name),
        caption=f"got {len(data)} bytes",
    )


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/menu: two inline buttons."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Apples", callback_data="pick:apples")],
            [InlineKeyboardButton("Pears", callback_data="pick:pears")],
        ]
    )
    await update.effective_message.reply_text("Pick a fruit", reply_markup=keyboard)


async def picked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: answer the query, then edit the menu."""
    query = update.callback_query
    assert query is not None and query.data is not None
    fruit = query.data.removeprefix("pick:")
    await query.answer(f"You picked {fruit}")
    await query.edit_message_text(f"<b>Picked</b>: {fruit}", parse_mode="HTML")


def add_demo_handlers(app: Application) -> None:  # type: ignore[type-arg]
    """Echo, document round trip, /menu with callbacks."""
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CallbackQueryHandler(picked, pattern=r"^pick:"))
    app.add_handler(MessageHandler(filters.Document.ALL, return_document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))


@contextlib.asynccontextmanager
async def polling(app: Application, *, timeout: int = 1) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run `app` with long polling for the block, then stop it cleanly."""
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=timeout)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
