"""A fake Telegram Bot API server for the end-to-end tests: the bot's own aiogram stack
talks HTTP to it, and simulated owners, engineers and managers use it."""
