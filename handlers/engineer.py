"""The engineers' screens: the task card's buttons in their group, and the job's details
in their private chat (the only place the owner's name and phone are shown, §10)."""
from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from bot.config import Config
from bot.sending import send_safely
from bot.i18n import Catalogs, Translator
from domain.tickets import Ticket
from handlers import render
from handlers.callbacks import JobAction
from handlers.cards import CardDesk
from services.context import Services
from services.jobs import CardOutcome, Engineer, decline_job, take_job
from storage.unit_of_work import UnitOfWork

MEMBER_STATUSES = {"creator", "administrator", "member"}
ANSWERS = {
    CardOutcome.NOT_FOUND: "job.not_here",
    CardOutcome.WRONG_CHAT: "job.not_here",
    CardOutcome.NOT_MEMBER: "job.not_member",
}
# The answer comes from the decision, so the automatic early answer is off for these.
MANUAL_ANSWER = {"callback_answer": {"disabled": True}}


def setup() -> Router:
    router = Router(name="engineer")
    router.callback_query.register(take, JobAction.filter(F.action == "take"), flags=MANUAL_ANSWER)
    router.callback_query.register(decline, JobAction.filter(F.action == "decline"), flags=MANUAL_ANSWER)
    router.message.register(job_link, CommandStart(deep_link=True, magic=F.args.startswith("job-")),
                            F.chat.type == "private")
    return router


def membership_check(bot: Bot, chat_id: int, user_id: int):
    async def is_member() -> bool:
        member = await bot.get_chat_member(chat_id, user_id)
        return member.status in MEMBER_STATUSES or bool(getattr(member, "is_member", False))
    return is_member


def _engineer(query: CallbackQuery) -> Engineer:
    user = query.from_user
    return Engineer(user.id, user.full_name, user.username)


async def take(query: CallbackQuery, callback_data: JobAction, bot: Bot, services: Services, uow: UnitOfWork,
               cards: CardDesk, t: Translator, group_t: Translator, catalogs: Catalogs, config: Config) -> None:
    if query.message is None:
        await query.answer(t("job.not_here"), show_alert=True)
        return
    chat_id = query.message.chat.id
    result = await take_job(services, uow, callback_data.ticket_id, chat_id, _engineer(query),
                            membership_check(bot, chat_id, query.from_user.id))
    if result.outcome is CardOutcome.ALREADY_TAKEN:
        await query.answer(t("job.already_taken", engineer=result.ticket.engineer_name or "—"), show_alert=True)
        return
    if result.outcome is not CardOutcome.DONE:
        await query.answer(t(ANSWERS[result.outcome]), show_alert=True)
        return
    await query.answer(t("job.yours"))
    ticket = result.ticket
    await cards.mark(uow, ticket, group_t("card.taken", engineer=ticket.engineer_name,
                                          at=render.when(ticket.taken_at, services.tz)))
    await send_details(bot, uow, cards, ticket, t, group_t, chat_id, query.from_user)
    owner_t = catalogs.translator(await uow.chats.language_of(ticket.owner_user_id) or ticket.language)
    await send_safely(bot, ticket.owner_user_id, owner_t(
        "owner.job_taken", number=ticket.number, engineer=ticket.engineer_name,
        contractor=cards.contractor_name(ticket.contractor_code)))


async def decline(query: CallbackQuery, callback_data: JobAction, bot: Bot, services: Services, uow: UnitOfWork,
                  cards: CardDesk, t: Translator, group_t: Translator) -> None:
    if query.message is None:
        await query.answer(t("job.not_here"), show_alert=True)
        return
    chat_id = query.message.chat.id
    result = await decline_job(services, uow, callback_data.ticket_id, chat_id, _engineer(query),
                               membership_check(bot, chat_id, query.from_user.id))
    if result.outcome is CardOutcome.ALREADY_TAKEN:
        await query.answer(t("job.already_taken", engineer=result.ticket.engineer_name or "—"), show_alert=True)
        return
    if result.outcome is not CardOutcome.DONE:
        await query.answer(t(ANSWERS[result.outcome]), show_alert=True)
        return
    await query.answer(t("job.declined"))
    ticket = result.ticket
    successor = cards.contractor_name(ticket.contractor_code) if ticket.contractor_code else group_t("card.managers")
    await cards.mark(uow, ticket, group_t("card.declined", contractor=cards.contractor_name(result.previous_contractor),
                                          successor=successor))
    await cards.dispatch(uow, ticket)


async def send_details(bot: Bot, uow: UnitOfWork, cards: CardDesk, ticket: Ticket, t: Translator,
                       group_t: Translator, group_id: int, user) -> None:
    """The full job in the engineer's private chat; if they never started the bot, Telegram
    refuses, so the group is asked to have them press Start. The job stays theirs."""
    try:
        await bot.send_message(user.id, await details(uow, cards, ticket, t))
    except (TelegramForbiddenError, TelegramBadRequest):
        me = await bot.me()
        await bot.send_message(group_id, group_t(
            "job.start_me", engineer=user.full_name, link=f"https://t.me/{me.username}?start=job-{ticket.id}"))
        return
    await uow.chats.engineer_reachable(user.id, True)


async def details(uow: UnitOfWork, cards: CardDesk, ticket: Ticket, t: Translator) -> str:
    owner = await uow.owners.account(ticket.owner_user_id)
    contact = t("job.owner_contact", name=owner.name if owner else "—", phone=owner.phone if owner and owner.phone else "—")
    return f"{t('job.details_title')}\n{cards.text(ticket, t)}\n\n{contact}"


async def job_link(message: Message, command: CommandObject, uow: UnitOfWork, cards: CardDesk,
                   t: Translator) -> None:
    """/start job-<id> from the link posted in the group."""
    ticket_id = command.args.removeprefix("job-")
    ticket = await uow.tickets.get(int(ticket_id)) if ticket_id.isdigit() else None
    if ticket is None or ticket.engineer_user_id != message.from_user.id:
        await message.answer(t("job.not_yours"))
        return
    await uow.chats.engineer_reachable(message.from_user.id, True)
    await message.answer(await details(uow, cards, ticket, t))
