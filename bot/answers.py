"""Every button press is answered, and a failed answer never stops the press's handler.

Telegram refuses to answer a query that is too old (about 15 minutes), or one answered
already; the person's press still does what it does, and the answer is only the spinner.
"""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware

from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class SafeCallbackAnswer(CallbackAnswerMiddleware):
    """aiogram's automatic answer, made harmless when Telegram refuses it. It is given
    before the handler runs, when the update has only read (its filters): that answer says
    nothing, so it need not wait for the update's record to be written first
    (UnitOfWork.end_reads)."""

    async def __call__(
        self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]], event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:  # fmt: skip
        uow: UnitOfWork | None = data.get("uow")
        if uow is None:
            return await super().__call__(handler, event, data)

        async def handle(event: TelegramObject, data: dict[str, Any]) -> Any:
            uow.only_read = False
            return await handler(event, data)

        uow.only_read = True
        try:
            return await super().__call__(handle, event, data)
        finally:
            uow.only_read = False

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
