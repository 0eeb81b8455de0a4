"""The bot's use cases: what each handler asks for, free of Telegram."""
