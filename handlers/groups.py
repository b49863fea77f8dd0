"""The bot joins or leaves a group: it registers the group and says how to bind it."""

from aiogram import F, Router
from aiogram.filters import JOIN_TRANSITION, LEAVE_TRANSITION, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views.i18n import Translator
from views.notifier import Notifier


def setup() -> Router:
    router = Router(name="groups")
    router.my_chat_member.filter(F.chat.type.in_({"group", "supergroup"}))
    router.my_chat_member.register(joined, ChatMemberUpdatedFilter(JOIN_TRANSITION))
    router.my_chat_member.register(left, ChatMemberUpdatedFilter(LEAVE_TRANSITION))
    return router


async def joined(
    event: ChatMemberUpdated,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    group_t: Translator,
    notifier: Notifier,
) -> None:
    await uow.chats.register_group(event.chat.id, event.chat.title or "", services.clock.now())
    codes = ", ".join(f"{c.code} ({c.name})" for c in config.contractors)
    await notifier.say(uow, event.chat.id, group_t("group.hello", property=config.property.name, codes=codes))
    if config.staff.alert_chat_id and config.staff.alert_chat_id != event.chat.id:
        await notifier.say(
            uow,
            config.staff.alert_chat_id,
            group_t("group.added_alert", title=event.chat.title or "", chat_id=event.chat.id, codes=codes),
        )


async def left(event: ChatMemberUpdated, uow: UnitOfWork) -> None:
    await uow.chats.leave_group(event.chat.id)
