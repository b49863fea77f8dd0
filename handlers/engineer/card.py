"""The engineers' screens: the task card's buttons in their group, and the job's details
in their private chat (the only place the owner's name and phone are shown, docs/rules.md, Privacy)."""

from collections.abc import Awaitable, Callable

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message

from domain.tickets import Ticket, id_from_number
from services.context import Services
from services.jobs import CardOutcome, CardResult, Engineer, IsMember, decline_job, take_job
from storage.tables import OwnerAccountRow
from storage.unit_of_work import UnitOfWork
from views import job_panel, render
from views.buttons import JobAction
from views.i18n import Translator
from views.notifier import Notifier
from views.replies import message_of, sender_of

MEMBER_STATUSES = {"creator", "administrator", "member"}
ANSWERS = {
    CardOutcome.NOT_FOUND: "job.not_here",
    CardOutcome.WRONG_CHAT: "job.not_here",
    CardOutcome.NOT_MEMBER: "job.not_member",
}
# The answer comes from the decision, so the automatic early answer is off for these.
MANUAL_ANSWER = {"callback_answer": {"disabled": True}}
CardDecision = Callable[[Services, UnitOfWork, int, int, Engineer, IsMember], Awaitable[CardResult]]


def setup() -> Router:
    router = Router(name="engineer-card")
    router.callback_query.register(take, JobAction.filter(F.action == "take"), flags=MANUAL_ANSWER)
    router.callback_query.register(decline, JobAction.filter(F.action == "decline"), flags=MANUAL_ANSWER)
    router.message.register(
        job_link, CommandStart(deep_link=True, magic=F.args.startswith("job-")), F.chat.type == "private"
    )
    return router


def membership_check(bot: Bot, chat_id: int, user_id: int) -> IsMember:
    async def is_member() -> bool:
        try:
            member = await bot.get_chat_member(chat_id, user_id)
        except TelegramAPIError:  # Telegram cannot say: we do not guess in the tapper's favour
            return False
        return member.status in MEMBER_STATUSES or bool(getattr(member, "is_member", False))

    return is_member


def _engineer(query: CallbackQuery, language: str) -> Engineer:
    user = query.from_user
    return Engineer(user.id, user.full_name, user.username, language)


async def _decide(
    use_case: CardDecision,
    query: CallbackQuery,
    callback_data: JobAction,
    bot: Bot,
    services: Services,
    uow: UnitOfWork,
    t: Translator,
) -> CardResult | None:
    """Run take or decline for the tapper in the card's chat; None (already answered) when
    the tap changes nothing."""
    message = message_of(query)
    if message is None:
        await query.answer(t("job.not_here"), show_alert=True)
        return None
    chat_id = message.chat.id
    result = await use_case(
        services,
        uow,
        callback_data.ticket_id,
        chat_id,
        _engineer(query, t.language),
        membership_check(bot, chat_id, query.from_user.id),
    )
    return None if await _refused(query, result, t) else result


async def take(
    query: CallbackQuery,
    callback_data: JobAction,
    bot: Bot,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    group_t: Translator,
) -> None:
    result = await _decide(take_job, query, callback_data, bot, services, uow, t)
    message = message_of(query)
    # _decide refuses a tap without a message; a taken job comes with its ticket
    if result is not None and message is not None and result.ticket is not None:
        ticket, chat_id = result.ticket, message.chat.id
        await notifier.mark_card(
            uow,
            ticket,
            group_t("card.taken", engineer=ticket.engineer_name, at=render.when(ticket.taken_at, services.tz)),
        )
        await notifier.engineer_details(
            uow,
            ticket,
            query.from_user.id,
            query.from_user.full_name,
            chat_id,
            markup_for=lambda t: job_panel.keyboard(t, ticket),
        )
        await notifier.tell(
            uow,
            ticket.owner_user_id,
            "owner.job_taken",
            ticket,
            number=ticket.number,
            engineer=ticket.engineer_name,
            contractor=notifier.contractor_name(ticket.contractor_code),
        )
        await query.answer(t("job.yours"))


async def decline(
    query: CallbackQuery,
    callback_data: JobAction,
    bot: Bot,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    group_t: Translator,
) -> None:
    result = await _decide(decline_job, query, callback_data, bot, services, uow, t)
    if result is not None and result.ticket is not None:  # a passed-on job comes with its ticket
        ticket = result.ticket
        successor = (
            notifier.contractor_name(ticket.contractor_code) if ticket.contractor_code else group_t("card.managers")
        )
        await notifier.mark_card(
            uow,
            ticket,
            group_t(
                "card.declined", contractor=notifier.contractor_name(result.previous_contractor), successor=successor
            ),
        )
        await notifier.dispatch(uow, ticket)
        await query.answer(t("job.declined"))


async def _refused(query: CallbackQuery, result: CardResult, t: Translator) -> bool:
    """Answer a tap that changes nothing; False when the action went through."""
    if result.outcome is CardOutcome.DONE:
        return False
    if result.outcome is CardOutcome.ALREADY_TAKEN:
        engineer = result.ticket.engineer_name if result.ticket else None
        await query.answer(t("job.already_taken", engineer=engineer or "—"), show_alert=True)
    else:
        await query.answer(t(ANSWERS[result.outcome]), show_alert=True)
    return True


def details(notifier: Notifier, ticket: Ticket, owner: OwnerAccountRow | None, t: Translator) -> str:
    contact = t(
        "job.owner_contact", name=owner.name if owner else "—", phone=owner.phone if owner and owner.phone else "—"
    )
    return f"{t('job.details_title')}\n{notifier.card_text(ticket, t)}\n\n{contact}"


async def job_link(
    message: Message, command: CommandObject, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    """/start job-<id> from the link posted in the group."""
    ticket_id = id_from_number(command.args.removeprefix("job-")) if command.args else None
    ticket = await uow.tickets.get(ticket_id) if ticket_id else None
    engineer = sender_of(message)
    if ticket is None or engineer is None or ticket.engineer_user_id != engineer.id:
        await message.answer(t("job.not_yours"))
        return
    owner = await uow.owners.account(ticket.owner_user_id)
    await message.answer(details(notifier, ticket, owner, t), reply_markup=job_panel.keyboard(t, ticket))
