"""Every button press is answered, and a failed answer never stops the press's handler.

Telegram refuses to answer a query that is too old (about 15 minutes), or one answered
already; the person's press still does what it does, and the answer is only the spinner.
"""

import logging

from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware

log = logging.getLogger(__name__)


class SafeCallbackAnswer(CallbackAnswerMiddleware):
    """aiogram's automatic answer, made harmless when Telegram refuses it."""

    async def answer(self, event: CallbackQuery, callback_answer: CallbackAnswer) -> None:  # type: ignore[override]
        try:
            await event.answer(
                text=callback_answer.text,
                show_alert=callback_answer.show_alert,
                url=callback_answer.url,
                cache_time=callback_answer.cache_time,
            )
        except TelegramAPIError as error:
            log.warning("a button press could not be answered: %s", error.message)
