"""What every update gets before its handler: a unit of work and the user's language."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from services.context import Services
from views.i18n import Catalogs, pick_language


class UnitOfWorkMiddleware(BaseMiddleware):
    """One unit of work per update; it commits once the handler returns."""

    def __init__(self, services: Services):
        self.services = services

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        async with self.services.unit_of_work() as uow:
            data["uow"] = uow
            return await handler(event, data)


class LanguageMiddleware(BaseMiddleware):
    """`t` speaks the user's language: their own choice, else their Telegram app's, else the
    property's default. `group_t` speaks the property's default, for what a group reads."""

    def __init__(self, catalogs: Catalogs, languages: list[str], default: str):
        self.catalogs = catalogs
        self.languages = languages
        self.default = default

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        chosen = await data["uow"].chats.language_of(user.id) if user else None
        language = pick_language(chosen, user.language_code if user else None, self.languages, self.default)
        data["language"] = language
        data["t"] = self.catalogs.translator(language)
        data["group_t"] = self.catalogs.translator(self.default)
        return await handler(event, data)
