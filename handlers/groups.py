"""The bot joins or leaves a group: it registers the group and says how to bind it. An
engineer leaves his contractor's group: the jobs he held go back to the group.

Telegram sends member changes (chat_member) only to a bot that is an administrator of the
group; they are asked for because a handler for them is registered here."""

from aiogram import F, Router
from aiogram.filters import JOIN_TRANSITION, LEAVE_TRANSITION, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated, Message, User

from delivery import chat_troubles
from services.binding import contractors_of_group
from services.context import Services
from services.jobs import release_held_jobs
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import render
from views.i18n import Translator
from views.notifier import Notifier


def setup() -> Router:
    router = Router(name="groups")
    router.my_chat_member.filter(F.chat.type.in_({"group", "supergroup"}))
    router.my_chat_member.register(joined, ChatMemberUpdatedFilter(JOIN_TRANSITION))
    router.my_chat_member.register(left, ChatMemberUpdatedFilter(LEAVE_TRANSITION))
    router.chat_member.filter(F.chat.type.in_({"group", "supergroup"}))
    router.chat_member.register(engineer_left, ChatMemberUpdatedFilter(LEAVE_TRANSITION))
    router.message.register(upgraded, F.migrate_to_chat_id)
    return router


async def upgraded(message: Message, services: Services, uow: UnitOfWork, notifier: Notifier) -> None:
    """The group became a supergroup (Telegram says so in the old group): its contractor,
    cards and waiting messages follow it now, not at the next message that fails."""
    new = message.migrate_to_chat_id
    if new is None or await uow.chats.moved_to(message.chat.id) == new:  # followed already
        return
    await chat_troubles.follow_move(uow, notifier, message.chat.id, new, services.clock.now())


async def joined(
    event: ChatMemberUpdated,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    group_t: Translator,
    notifier: Notifier,
) -> None:
    await uow.chats.register_group(event.chat.id, event.chat.title or "", services.clock.now())
    serves = await contractors_of_group(services, uow, event.chat.id, [c.code for c in config.contractors])
    if serves:  # named in the config (or bound already): nothing for anyone to /bind
        names = ", ".join(notifier.contractor_name(code) for code in serves)
        await notifier.say(
            uow, event.chat.id, group_t("group.hello_serving", property=config.property.name, contractors=names)
        )
        return
    codes = ", ".join(f"{c.code} ({c.name})" for c in config.contractors)
    await notifier.say(uow, event.chat.id, group_t("group.hello", property=config.property.name, codes=codes))
    if config.staff.alert_chat_id and config.staff.alert_chat_id != event.chat.id:
        await notifier.say(
            uow,
            config.staff.alert_chat_id,
            group_t("group.added_alert", title=event.chat.title or "", chat_id=event.chat.id, codes=codes),
        )


async def left(
    event: ChatMemberUpdated, services: Services, uow: UnitOfWork, notifier: Notifier, group_t: Translator
) -> None:
    """The bot was removed: the group is forgotten, and if it is a contractor's, the
    managers hear now that its cards cannot reach it (as when Telegram refuses a message)."""
    serving = notifier.contractor_of_chat(event.chat.id) or await uow.chats.contractor_of_group(event.chat.id)
    await uow.chats.leave_group(event.chat.id)
    if serving:
        reason = group_t("alert.bot_removed")  # in the managers' language, as their alert is
        await chat_troubles.refused(uow, notifier, event.chat.id, reason, services.clock.now())


async def engineer_left(
    event: ChatMemberUpdated,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    group_t: Translator,
    notifier: Notifier,
) -> None:
    engineer = event.new_chat_member.user
    if engineer.is_bot:
        return
    for code in await contractors_of_group(services, uow, event.chat.id, [c.code for c in config.contractors]):
        await _hand_back(uow, services, notifier, group_t, engineer, code, notifier.contractor_name(code))


async def _hand_back(
    uow: UnitOfWork, services: Services, notifier: Notifier, group_t: Translator, engineer: User, code: str, name: str
) -> None:
    """His jobs for this contractor go back to its group; he, the owners and the managers are told."""
    released = await release_held_jobs(services, uow, engineer.id, code)
    for before, ticket in released:
        await notifier.mark_card(uow, before, group_t("card.engineer_left", engineer=before.engineer_name))
        await notifier.dispatch(uow, ticket)
        await notifier.tell(uow, ticket.owner_user_id, "owner.handed_over", ticket, number=ticket.number)
        await notifier.tell(uow, engineer.id, "job.taken_back", contractor=name, number=ticket.number)
    if released:
        numbers = ", ".join(render.number(group_t, ticket.number) for _, ticket in released)
        who = released[0][0].engineer_name or engineer.full_name
        await notifier.alert(uow, group_t("alert.engineer_left", engineer=who, contractor=name, numbers=numbers))
