"""A document arrives: hand it to `take_upload`, answer what became of it."""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest

from bot import texts
from bot.context import BotContext
from bot.handlers.questions import ask_for_maximum
from bot.usecases.uploads import (
    DownloadTooBig,
    IncomingFile,
    RosterTaken,
    UploadTaken,
    take_upload,
)


async def on_document(update: Update, context: BotContext) -> None:
    """Take one export (or the class roster): check, download, parse in a worker, store,
    acknowledge."""
    message = update.effective_message
    assert message is not None and message.document is not None
    document = message.document
    incoming = IncomingFile(
        chat_id=message.chat_id,
        name=document.file_name or "file",
        size=document.file_size or 0,
        file_unique_id=document.file_unique_id,
        caption=message.caption,
        update_id=update.update_id,
        sender_id=message.from_user.id if message.from_user else None,
    )

    async def download() -> bytes:
        await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
        return await _download(message, context)

    result = await take_upload(context.services, incoming, download)
    if isinstance(result, RosterTaken):
        await message.reply_text(texts.roster_kept(result))
        return
    if not isinstance(result, UploadTaken):
        await message.reply_text(texts.upload_not_taken(result))
        return
    await message.reply_text(texts.file_stored(result))
    # One question at a time: the first test whose maximum is unknown (/compile asks the rest).
    unknown = next((stored for stored in result.tests if stored.ask_maximum), None)
    if unknown is not None:
        await ask_for_maximum(message, context, unknown.summary)


async def _download(message: Message, context: BotContext) -> bytes:
    """The document's bytes; DownloadTooBig when Telegram says it is too big for bots."""
    assert message.document is not None
    try:
        file = await context.bot.get_file(message.document.file_id)
        return bytes(await file.download_as_bytearray())
    except BadRequest as exc:
        if "too big" in str(exc).lower():
            raise DownloadTooBig from exc
        raise
