"""For everyone: /help, /language, a clear answer to whatever nothing else handled, and
one to whatever went wrong."""

import asyncio
import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandStart, Filter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery, Chat, ErrorEvent, Message, User

from domain.roles import Role
from domain.tickets import Ticket
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import buttons, render
from views.buttons import LanguagePick
from views.i18n import Catalogs, Translator, pick_language
from views.inline_keyboard import InlineKeyboard
from views.notifier import Notifier
from views.replies import message_of

LANGUAGE_NAMES = {"zh": "中文", "en": "English", "ru": "Русский"}
MEMBERS = frozenset({"creator", "administrator", "member", "restricted"})
log = logging.getLogger(__name__)
# the buttons that name a job: an old one is answered with where the job stands now
TICKET_BUTTONS: dict[str, type[CallbackData]] = {
    cls.__prefix__: cls
    for cls in vars(buttons).values()
    if isinstance(cls, type) and issubclass(cls, CallbackData) and "ticket_id" in cls.model_fields
}


def setup() -> Router:
    router = Router(name="common")
    router.message.register(staff_start, Command("help"), F.chat.type == "private", StaffMember())
    router.message.register(managers_chat_help, Command("help"), ManagersChat())
    router.message.register(help_text, Command("help"))
    router.message.register(staff_start, CommandStart(), F.chat.type == "private", StaffMember())
    router.message.register(choose_language, Command("language"), F.chat.type == "private")
    router.callback_query.register(language_picked, LanguagePick.filter())
    return router


def fallbacks() -> Router:
    """Registered last: what no other handler took."""
    router = Router(name="fallbacks")
    router.callback_query.register(stale_button, flags={"callback_answer": {"disabled": True}})
    router.message.register(cancel_step, Command("cancel"))
    router.message.register(unknown_command, F.text.startswith("/"), F.chat.type == "private")
    return router


class StaffMember(Filter):
    """A manager or a person of the escalation ladder (staff.*), or an engineer in a
    contractor's group: /start for them is their role's help, not the owners' greeting."""

    async def __call__(
        self, message: Message, event_from_user: User, bot: Bot, config: Config, services: Services,
        uow: UnitOfWork, notifier: Notifier,
    ) -> bool | dict[str, object]:  # fmt: skip
        roles = notifier.roles_of(event_from_user.id)
        if roles:  # only managers manage; customer service files and verifies; the ladder is told
            return {"staff_role": _help_of(roles), "roles": roles}
        chats = await services.contractor_chats(uow)
        groups = [(c.name, chats[c.code]) for c in config.contractors if c.code in chats]
        # all groups asked at once, each with no transaction of ours open meanwhile
        await uow.commit_if_open()
        members = await asyncio.gather(*(_is_member(bot, chat_id, event_from_user.id) for _, chat_id in groups))
        for (name, _chat_id), member in zip(groups, members, strict=True):
            if member:
                return {"staff_role": "engineer", "contractor_name": name}
        return False


def _help_of(roles: frozenset[Role]) -> str:
    if Role.MANAGER in roles:
        return "manager"
    return "desk" if Role.CUSTOMER_SERVICE in roles else "ladder"


async def _is_member(bot: Bot, chat_id: int, user_id: int) -> bool:
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except TelegramAPIError:  # Telegram cannot say: the person is greeted as anyone else
        return False
    return member.status in MEMBERS


async def staff_start(
    message: Message,
    t: Translator,
    uow: UnitOfWork,
    staff_role: str,
    config: Config,
    contractor_name: str = "",
    roles: frozenset[Role] = frozenset(),
) -> None:
    """Each role's help. The language it is in is kept (unless one was chosen with
    /language) for what the bot later tells this person unasked: alerts, jobs, escalations."""
    if message.from_user is not None:
        await uow.chats.set_language(message.from_user.id, t.language, only_if_unset=True)
    if staff_role == "manager":
        await message.answer(t("start.manager", property=config.property.name))
        return
    if staff_role == "ladder":  # told of escalations, may read a job, changes nothing (domain/roles.py)
        names = ", ".join(t(f"role.{role}") for role in sorted(roles))
        await message.answer(t("start.ladder", property=config.property.name, roles=names))
        return
    if staff_role == "desk":
        await message.answer(t("start.desk", property=config.property.name))
        return
    await message.answer(t("start.engineer", contractor=contractor_name))


class ManagersChat(Filter):
    """The managers' chat, or a chat on duty for alerts: managers read and act there."""

    async def __call__(self, message: Message, config: Config) -> bool:
        staff = config.staff
        return message.chat.id == staff.alert_chat_id or any(d.chat_id == message.chat.id for d in staff.duty)


async def managers_chat_help(message: Message, t: Translator, config: Config) -> None:
    await message.answer(t("start.manager", property=config.property.name))


async def help_text(message: Message, t: Translator) -> None:
    key = "help.private" if message.chat.type == "private" else "help.group"
    await message.answer(t(key))


async def choose_language(message: Message, t: Translator, config: Config) -> None:
    builder = InlineKeyboard()
    for code in config.property.languages:
        builder.button(text=LANGUAGE_NAMES[code], callback_data=LanguagePick(code=code))
    await message.answer(t("language.choose"), reply_markup=builder.as_markup())


async def language_picked(
    query: CallbackQuery, callback_data: LanguagePick, uow: UnitOfWork, catalogs: Catalogs, config: Config
) -> None:
    message = message_of(query)
    if message is None or callback_data.code not in config.property.languages:
        return
    await uow.chats.set_language(query.from_user.id, callback_data.code)
    await message.answer(catalogs.translator(callback_data.code)("language.set"))


async def stale_button(query: CallbackQuery, t: Translator, uow: UnitOfWork, notifier: Notifier) -> None:
    # a press too old to answer gets this as a message instead (something_went_wrong)
    await query.answer(await stale_text(uow, t, query.data or "", query.from_user.id, notifier), show_alert=True)


async def stale_text(uow: UnitOfWork, t: Translator, data: str, user_id: int, notifier: Notifier) -> str:
    """What an old button says: where its job stands now, when it names one the presser
    may know of (button data can be forged, and ticket ids are counted)."""
    button = TICKET_BUTTONS.get(data.split(":")[0])
    try:
        ticket_id = getattr(button.unpack(data), "ticket_id", None) if button else None
    except (TypeError, ValueError):  # forged data
        ticket_id = None
    ticket = await uow.tickets.get(ticket_id) if ticket_id else None
    if ticket is None or not await _may_know_of(uow, notifier, ticket, user_id):
        return t("error.stale_button")
    return t("error.stale_job", number=ticket.number, status=render.status(t, ticket))


async def _may_know_of(uow: UnitOfWork, notifier: Notifier, ticket: Ticket, user_id: int) -> bool:
    """The ticket's owner and engineer, the staff and the contractors' engineers: not
    another owner."""
    if user_id in (ticket.owner_user_id, ticket.engineer_user_id) or notifier.roles_of(user_id):
        return True
    return await uow.chats.is_engineer(user_id)


async def cancel_step(message: Message, state: FSMContext, t: Translator) -> None:
    """/cancel at a step whose flow has no /cancel of its own (a work record, an extension, a
    survey's date…): the step is dropped, nothing of it kept; with no step, said so."""
    if await state.get_state() is None:
        if message.chat.type == "private":  # a group is not told of what nobody there began
            await message.answer(t("error.nothing_to_cancel"))
        return
    await state.clear()
    await message.answer(t("step.cancelled"))


async def unknown_command(message: Message, t: Translator) -> None:
    await message.answer(t("error.unknown_command"))


async def something_went_wrong(event: ErrorEvent, bot: Bot, catalogs: Catalogs, config: Config, **data: object) -> bool:
    """An unexpected failure: logged with the update's number (never its content), and the
    person told in their language that what they sent before is kept."""
    error = event.exception
    if isinstance(error, TelegramAPIError) and isinstance(error.method, AnswerCallbackQuery):
        await _answer_too_late(event, bot, error, data.get("event_from_user"), data.get("event_chat"))
        return True
    log.error("update %s (%s) failed", event.update.update_id, event.update.event_type, exc_info=error)
    user, chat = data.get("event_from_user"), data.get("event_chat")
    if not isinstance(user, User) or event.update.event_type not in ("message", "callback_query"):
        return True
    t = data.get("t")
    if not isinstance(t, Translator):
        language = pick_language(None, user.language_code, config.property.languages, config.property.default_language)
        t = catalogs.translator(language)
    await _apologise(bot, chat.id if isinstance(chat, Chat) else user.id, t("error.unexpected"))
    return True


async def _answer_too_late(event: ErrorEvent, bot: Bot, error: TelegramAPIError, user: object, chat: object) -> None:
    """A press's answer Telegram refused (too old): what it said goes as a message, to the
    person privately, else where they pressed."""
    log.warning("update %s: a button press could not be answered: %s", event.update.update_id, error.message)
    text = getattr(error.method, "text", None)
    if not text or not isinstance(user, User):
        return
    for chat_id in dict.fromkeys([user.id, chat.id if isinstance(chat, Chat) else user.id]):
        try:
            await bot.send_message(chat_id, text)
            return
        except TelegramAPIError:
            continue


async def _apologise(bot: Bot, chat_id: int, text: str) -> None:
    try:
        await bot.send_message(chat_id, text)
    except TelegramAPIError as error:  # Telegram itself is failing: the log says it all
        log.warning("the apology could not be sent either: %s", error.message)
