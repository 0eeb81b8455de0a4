"""The Telegram bot: python-telegram-bot glue over `storage` and `compiler`."""

import os
from importlib.metadata import PackageNotFoundError, version

# python-telegram-bot 22 warns when `RetryAfter.retry_after` is read as seconds; its opt-in to
# timedeltas (the coming default) keeps 429 handling free of deprecation warnings.
os.environ.setdefault("PTB_TIMEDELTA", "1")

try:
    __version__ = version("results-compiler")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.1.0+checkout"
