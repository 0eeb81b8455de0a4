"""Builds the Application: every handler registered here, in order; services opened and closed."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from functools import partial

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import texts
from bot.broadcasting import Broadcaster
from bot.context import CONTEXT_TYPES, BotApplication, BotContext
from bot.handlers import admin, compiling, files, grading, guard, people, questions, session
from bot.health import start_health_server
from bot.inbox import KEEP_HANDLED, DurableUpdateQueue
from bot.processor import PerChatUpdateProcessor
from bot.services import IncomingLimiter, Services
from bot.settings import Settings
from bot.usecases.session import end_idle_sessions
from bot.workers import WorkerPool
from storage import Database

log = logging.getLogger(__name__)
PURGE_EVERY = timedelta(days=1)


def build_application(settings: Settings) -> BotApplication:
    """The bot, ready to run by polling or webhook."""
    inbox = DurableUpdateQueue()
    app = (
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .token(settings.token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .update_queue(inbox)
        .concurrent_updates(PerChatUpdateProcessor(on_handled=inbox.handled))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .post_init(partial(_post_init, settings))
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    _register_handlers(app)
    return app


def _register_handlers(app: BotApplication) -> None:
    # Group -1 runs first for every update: note the chat, refuse floods.
    app.add_handler(TypeHandler(Update, guard.track_update), group=-1)
    # Group 0: exactly one handler answers each update.
    app.add_handler(CommandHandler(["start", "help"], session.on_help))
    app.add_handler(CommandHandler("status", session.on_status))
    app.add_handler(CommandHandler("compile", compiling.on_compile))
    app.add_handler(CommandHandler("cards", compiling.on_cards))
    app.add_handler(CommandHandler("remove", session.on_remove))
    app.add_handler(CommandHandler("reset", session.on_reset))
    app.add_handler(CommandHandler("settings", session.on_settings))
    app.add_handler(CommandHandler("weights", grading.on_weights))
    app.add_handler(CommandHandler("letters", grading.on_letters))
    app.add_handler(CommandHandler("people", people.on_people))
    app.add_handler(CommandHandler("cancel", questions.on_cancel))
    app.add_handler(CommandHandler("broadcast", admin.on_broadcast))  # admins only
    app.add_handler(CommandHandler("stats", admin.on_stats))  # admins only
    app.add_handler(CallbackQueryHandler(session.on_reset_answer, pattern=r"^reset:"))
    app.add_handler(CallbackQueryHandler(session.on_settings_choice, pattern=r"^set:"))
    app.add_handler(CallbackQueryHandler(admin.on_broadcast_answer, pattern=r"^bc:"))
    app.add_handler(
        CallbackQueryHandler(compiling.on_cards_button, pattern=rf"^{compiling.CARDS_CALLBACK}$")
    )
    app.add_handler(
        CallbackQueryHandler(compiling.on_compile_again, pattern=rf"^{people.COMPILE_AGAIN}$")
    )
    app.add_handler(CallbackQueryHandler(people.on_people_button, pattern=r"^who:"))
    app.add_handler(
        CallbackQueryHandler(questions.on_maximum_button, pattern=rf"^{questions.MAXIMUM_CALLBACK}")
    )
    app.add_handler(MessageHandler(filters.Document.ALL, files.on_document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, questions.on_text))
    app.add_handler(MessageHandler(filters.COMMAND, _unknown_command))
    app.add_error_handler(guard.on_error)


async def _unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not have."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(texts.UNKNOWN_COMMAND)


async def _post_init(settings: Settings, app: BotApplication) -> None:
    """Open the database and the workers, then take up what the last run left unfinished."""
    db = await Database.open(settings.database_path, settings.limits)
    svc = Services(
        settings=settings,
        db=db,
        workers=WorkerPool(settings.workers, settings.worker_memory_mb * 1024 * 1024),
        limiter=IncomingLimiter(settings.updates_per_minute),
        broadcaster=Broadcaster(app.bot, db, settings.broadcast_per_second, settings.token),
    )
    app.bot_data.services = svc
    if settings.health_port is not None:
        app.bot_data.health_server = start_health_server(svc, settings.health_port)
    await app.bot.set_my_commands([BotCommand(name, what) for name, what in texts.COMMANDS])
    if app.job_queue is not None:
        app.job_queue.run_repeating(_purge, interval=PURGE_EVERY, first=60, name="purge")
    inbox = app.update_queue
    assert isinstance(inbox, DurableUpdateQueue)
    inbox.attach(db)
    await inbox.replay_unhandled(app.bot)  # queued before polling starts: they come first
    await _resume_broadcasts(svc)
    log.info("started: database %s, %s workers", settings.database_path.name, settings.workers)


async def _resume_broadcasts(svc: Services) -> None:
    """Finish broadcasts a crash or restart interrupted; a claim of unknown end is not resent."""
    unsure = await svc.db.broadcasts.settle_interrupted()
    for broadcast in await svc.db.broadcasts.unfinished():
        log.info("resuming broadcast %s (%s deliveries of unknown outcome)", broadcast.id, unsure)
        svc.broadcaster.start(broadcast.id, report_to=broadcast.admin_id)


async def _post_stop(app: BotApplication) -> None:
    """Updates have stopped; let broadcast sends under way finish while the bot can still send."""
    svc = app.bot_data.services
    if svc is not None:
        await svc.broadcaster.stop()


async def _post_shutdown(app: BotApplication) -> None:
    """Stop serving /health, end the workers, close the database."""
    server, app.bot_data.health_server = app.bot_data.health_server, None
    if server is not None:
        server.stop()
    svc, app.bot_data.services = app.bot_data.services, None
    if svc is not None:
        svc.workers.close()
        await svc.db.close()
    log.info("stopped")


async def _purge(context: BotContext) -> None:
    """Daily: end the sessions idle longer than SESSION_TTL_DAYS, with their files; forget
    the ids of updates handled long enough ago that Telegram cannot send them again."""
    await end_idle_sessions(context.services, datetime.now(UTC), KEEP_HANDLED)
