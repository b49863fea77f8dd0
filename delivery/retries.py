"""Replies sent straight from a handler (message.answer, edit_text, …) survive a flaky
Telegram or proxy: the bot's session retries them in place, so they still arrive once and
in order; texts over Telegram's limits are split or trimmed instead of refused.

The outbox sender classifies its own errors (delivery/sender.py) and marks its calls, so
they pass through untouched."""

import asyncio
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import (
    DeleteWebhook,
    EditMessageText,
    GetMe,
    GetUpdates,
    Response,
    SendDocument,
    SendMessage,
    SendPhoto,
    SetMyCommands,
    SetWebhook,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

from delivery.texts import MAX_CAPTION, MAX_TEXT, split_caption, split_text, trim, units

log = logging.getLogger(__name__)
RETRIED = (TelegramServerError, TelegramNetworkError, ClientDecodeError)
# polling and the start-up calls have their own back-off, which tells the operator each try
# (bot/startup.py); retrying them here as well would hide that Telegram cannot be reached
OWN_BACK_OFF = (GetUpdates, GetMe, DeleteWebhook, SetWebhook, SetMyCommands)
_sender: ContextVar[bool] = ContextVar("outbox_sender", default=False)


def from_the_sender() -> None:
    """Mark the current task's calls as the outbox sender's."""
    _sender.set(True)


class Retries(BaseRequestMiddleware):
    def __init__(
        self,
        first_retry: float = 0.5,
        max_pause: float = 10.0,
        budget: float = 60.0,
        on_too_many_requests: Callable[[], None] = lambda: None,  # counted for the operator
    ):
        self.first_retry = first_retry
        self.on_too_many_requests = on_too_many_requests
        self.max_pause = max_pause
        self.budget = budget  # seconds a reply may keep trying before the handler hears of it

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        if _sender.get() or isinstance(method, OWN_BACK_OFF):
            return await make_request(bot, method)
        if isinstance(method, SendMessage) and units(method.text) > MAX_TEXT:
            return await self._in_parts(make_request, bot, method)
        if isinstance(method, SendPhoto | SendDocument) and units(method.caption or "") > MAX_CAPTION:
            return await self._with_long_caption(make_request, bot, method)
        if isinstance(method, EditMessageText) and units(method.text or "") > MAX_TEXT:
            method = cast(TelegramMethod[TelegramType], method.model_copy(update={"text": trim(method.text or "")}))
        return await self._patiently(make_request, bot, method)

    async def _patiently(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        loop = asyncio.get_running_loop()
        give_up_at = loop.time() + self.budget
        attempt = 0
        while True:
            last: Exception
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                pause, last = float(error.retry_after), error
                self.on_too_many_requests()
            except RETRIED as error:
                pause, last = min(self.first_retry * 2**attempt, self.max_pause), error
            if loop.time() + pause > give_up_at:
                raise last
            log.warning("%s failed (%s); again in %.1fs", type(method).__name__, last, pause)
            attempt += 1
            await asyncio.sleep(pause)

    async def _in_parts(self, make_request, bot: Bot, method: SendMessage) -> Response:
        """A long text as several messages in order; the keyboard goes under the last."""
        *first, last = split_text(method.text)
        for part in first:
            await self._patiently(make_request, bot, method.model_copy(update={"text": part, "reply_markup": None}))
        return await self._patiently(make_request, bot, method.model_copy(update={"text": last}))

    async def _with_long_caption(self, make_request, bot: Bot, method: SendPhoto | SendDocument) -> Response:
        caption, rest = split_caption(method.caption or "")
        response = await self._patiently(make_request, bot, method.model_copy(update={"caption": caption}))
        for part in rest:
            follow = SendMessage(chat_id=method.chat_id, text=part, message_thread_id=method.message_thread_id)
            await self._patiently(make_request, bot, follow)
        return response
