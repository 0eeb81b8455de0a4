"""Typed `context.bot_data` and `context.chat_data`, through python-telegram-bot's ContextTypes.

Every callback gets a `BotContext`: `context.services` for the bot-wide services and
`context.chat_state` for what the bot waits for in the chat, instead of string keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue
from tornado.httpserver import HTTPServer

from bot.services import Services


@dataclass
class BotData:
    """`context.bot_data`: the services `post_init` opens (None before it and after shutdown)."""

    services: Services | None = None
    health_server: HTTPServer | None = None


@dataclass(frozen=True, slots=True)
class AskedMaximum:
    """The bot asked out of how many marks `test` is."""

    test: int


@dataclass(frozen=True, slots=True)
class AskedPassMark:
    """The bot asked for a pass mark (the "other" button of /settings)."""


Question = AskedMaximum | AskedPassMark


@dataclass
class ChatState:
    """`context.chat_data`: what the bot waits for in one chat. Kept in memory only.

    One question is pending at a time: asking another replaces it."""

    question: Question | None = None  # what the next number sent answers
    broadcast_draft: str | None = None  # the HTML waiting for the admin's confirm


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], ChatState, BotData]):
    """The context of every handler, error handler and job of the bot."""

    @property
    def services(self) -> Services:
        """The running bot's services."""
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("the bot's services are not open: post_init opens them")
        return services

    @property
    def chat_state(self) -> ChatState:
        """The state of the update's chat."""
        if self.chat_data is None:
            raise RuntimeError("this update belongs to no chat")
        return self.chat_data


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=BotData, chat_data=ChatState)
# The builder keeps its default job queue type; the jobs get a BotContext all the same.
BotApplication = Application[
    ExtBot[Any], BotContext, dict[Any, Any], ChatState, BotData, JobQueue[Any]
]
