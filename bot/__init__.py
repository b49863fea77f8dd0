"""Start-up, configuration, dispatcher, middlewares and sending: the Telegram side of baoxiu."""

from bot.lean import defer_telegram_models

defer_telegram_models()  # before anything imports aiogram (bot/lean.py)
