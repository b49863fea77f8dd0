"""What every update gets before its handler: a unit of work and the user's language."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update, User

from services.context import Services
from storage.unit_of_work import DuplicateUpdate, UnitOfWork
from views.i18n import Catalogs, pick_language

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UnitOfWorkMiddleware(BaseMiddleware):
    """One unit of work per update, opened before the conversation is read (the
    conversation store shares it) and closed after; it takes no connection until used."""

    def __init__(self, services: Services):
        self.services = services

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.services.unit_of_work() as uow:
            uow.make_current()
            data["uow"] = uow
            return await handler(event, data)


class FreshUpdates:
    """Which updates surely are new, so the database need not be asked whether they were
    handled. Only when polling with the conversations in the database: then this process is
    the only reader of the bot's updates, and Telegram numbers them upwards, so one above the
    highest recorded when polling began, and not taken since, cannot have been handled. A
    lower one (a redelivery after a restart, or a numbering Telegram began anew after a quiet
    week) is looked up. Either way the record written with the update's first commit stays
    the guard: a twin of it raises DuplicateUpdate before anything is said (but a button's
    silent answer: bot/answers.py)."""

    KEPT = 100_000  # ids remembered; the oldest half is let go beyond that

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._floor: int | None = None  # None: every update is looked up
        self._taken: set[int] = set()

    def begin_after(self, highest: int) -> None:
        """Polling begins; `highest` is the highest update id recorded so far."""
        if self.enabled:
            self._floor, self._taken = highest, set()

    def surely_new(self, update_id: int) -> bool:
        if self._floor is None or update_id <= self._floor or update_id in self._taken:
            return False
        self._taken.add(update_id)
        if len(self._taken) > self.KEPT:
            self._floor = sorted(self._taken)[self.KEPT // 2]
            self._taken = {taken for taken in self._taken if taken > self._floor}
        return True


class OnceMiddleware(BaseMiddleware):
    """An update Telegram delivers twice is handled once. Inside the conversation's lock,
    it also commits what the handler left, so the chat's next update reads it."""

    def __init__(self, services: Services, fresh: FreshUpdates):
        self.services = services
        self.fresh = fresh

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        uow: UnitOfWork = data["uow"]
        assert isinstance(event, Update)
        if not self.fresh.surely_new(event.update_id) and await uow.updates.seen(event.update_id):
            return UNHANDLED
        uow.handles(event.update_id, self.services.clock.now())
        try:
            result = await handler(event, data)
            await uow.commit()
        except DuplicateUpdate:  # its twin, handled at the same moment, committed first
            return UNHANDLED
        return result


class CommitBeforeTelegram(BaseRequestMiddleware):
    """Every call to Telegram from an update's handler first commits its unit of work:
    what the bot says is already saved, and no transaction (nor its connection, nor on
    SQLite the write lock) is held while the network answers."""

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Any:
        uow = UnitOfWork.current()
        if uow is not None and uow.only_read:
            await uow.end_reads()
        elif uow is not None:
            await uow.commit_if_open()
        return await make_request(bot, method)


class KeepAnswerModels(BaseRequestMiddleware):
    """aiogram reads each answer of Telegram with the model Response[T], which pydantic
    keeps only while something else refers to it; so it was built anew (several ms of CPU)
    for a good share of calls. Referring to each one here builds it once."""

    def __init__(self) -> None:
        self._models: dict[Any, Any] = {}

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Any:
        returning = method.__returning__
        if returning not in self._models:
            self._models[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)


class LanguageMiddleware(BaseMiddleware):
    """`t` speaks the user's language: their own choice, else their Telegram app's, else the
    property's default. `group_t` speaks the property's default, for what a group reads."""

    def __init__(self, catalogs: Catalogs, languages: list[str], default: str):
        self.catalogs = catalogs
        self.languages = languages
        self.default = default

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chosen = await data["uow"].chats.language_of(user.id) if user else None
        language = pick_language(chosen, user.language_code if user else None, self.languages, self.default)
        data["language"] = language
        data["t"] = self.catalogs.translator(language)
        data["group_t"] = self.catalogs.translator(self.default)
        return await handler(event, data)
