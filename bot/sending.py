"""Messages to a person who may have blocked the bot: a refusal is logged, never fatal to
the action that caused the message."""
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message

log = logging.getLogger(__name__)


async def send_safely(bot: Bot, chat_id: int, text: str, **options) -> Message | None:
    try:
        return await bot.send_message(chat_id, text, **options)
    except TelegramAPIError as error:
        log.warning("could not send to chat %s: %s", chat_id, error)
        return None
