"""Who counts as an owner: a Telegram account bound to at least one unit."""

from aiogram.filters import Filter
from aiogram.types import TelegramObject, User

from storage.unit_of_work import UnitOfWork


class BoundOwner(Filter):
    """Passes bound owners and hands their units to the handler as `units`."""

    async def __call__(self, event: TelegramObject, event_from_user: User, uow: UnitOfWork):
        user_id = event_from_user.id
        units = await uow.remember(("bound units", user_id), lambda: uow.owners.bound_units(user_id))
        return {"units": units} if units else False


def button_texts(catalogs, message_id: str) -> set[str]:
    """A reply-keyboard button's text in every language, since owners may switch."""
    return {catalogs.translator(language)(message_id) for language in catalogs.languages}
