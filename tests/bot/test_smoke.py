"""The bot starts against the stand-in, registers its commands and answers /start."""

from telegram.ext import Application

from bot import texts
from tests.bot.helpers import TEACHER
from tests.support.telegram_standin import TelegramStandIn


async def test_start_answers_with_help_and_commands_are_registered(
    tg: TelegramStandIn,
    bot: Application,  # type: ignore[type-arg]
) -> None:
    tg.send_text(TEACHER, "/start")
    reply = await tg.wait_for_text(TEACHER, "I merge quiz-result spreadsheets")
    assert "/compile" in reply.text
    assert [c["command"] for c in tg.my_commands()] == [name for name, _ in texts.COMMANDS]
