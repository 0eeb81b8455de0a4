"""The bot's fixtures: the Telegram stand-in and settings pointing a bot at it."""

from tests.support import bot_fixtures

tg = bot_fixtures.tg
make_settings = bot_fixtures.make_settings
