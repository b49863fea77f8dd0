"""Managers change a ticket from the buttons on it or on an alert: reassign, urgency,
extend (a typed amount and reason), cancel (a typed reason), close, and the owner's
dissatisfaction resolved."""

from datetime import timedelta

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.categories import Urgency
from domain.deadlines import is_extension
from domain.durations import parse_duration
from domain.job import OPEN
from domain.tickets import Ticket
from handlers.manager.decisions import note_decision
from services import callbacks, deadlines, management
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views.buttons import AssignTo, ExtensionAgreement, ManagerTicket, UrgencyPick
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.notifier import Notifier
from views.replies import TappedMessage, ask_again, ask_to_type, message_of, sender_of


class ManagerInput(StatesGroup):
    extend = State()
    cancel = State()
    extension_agreement = State()  # an extension past the rules, waiting for how the owner agreed


def setup() -> Router:
    router = Router(name="manager-ticket-actions")
    router.callback_query.register(choose_contractor, ManagerTicket.filter(F.action == "reassign"))
    router.callback_query.register(choose_urgency, ManagerTicket.filter(F.action == "urgency"))
    router.callback_query.register(urgency_picked, UrgencyPick.filter())
    router.callback_query.register(ask_input, ManagerTicket.filter(F.action.in_({"extend", "cancel"})))
    router.callback_query.register(close, ManagerTicket.filter(F.action == "close"))
    router.callback_query.register(resolved, ManagerTicket.filter(F.action == "resolved"))
    router.callback_query.register(extension_agreement, ExtensionAgreement.filter())
    router.message.register(extension_typed, ManagerInput.extend, F.text, ~F.text.startswith("/"))
    router.message.register(cancel_reason_typed, ManagerInput.cancel, F.text, ~F.text.startswith("/"))
    return router


async def still_open(query: CallbackQuery, uow: UnitOfWork, t: Translator, ticket_id: int) -> TappedMessage | None:
    """The message to answer on, when the job a ticket's button names can still be changed;
    an old card's buttons on a closed or cancelled job say so instead of opening a menu."""
    message = message_of(query)
    if message is None:
        return None
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or ticket.status not in OPEN:
        await message.answer(t("manager.not_open"))
        return None
    return message


async def choose_contractor(
    query: CallbackQuery, callback_data: ManagerTicket, config: Config, uow: UnitOfWork, t: Translator
) -> None:
    message = await still_open(query, uow, t, callback_data.ticket_id)
    if message is None:
        return
    builder = InlineKeyboard()
    for contractor in config.contractors:
        builder.button(
            text=t("button.assign_to", contractor=contractor.name),
            callback_data=AssignTo(ticket_id=callback_data.ticket_id, contractor=contractor.code),
        )
    await message.answer(t("manager.choose_contractor"), reply_markup=builder.adjust(1).as_markup())


async def choose_urgency(query: CallbackQuery, callback_data: ManagerTicket, uow: UnitOfWork, t: Translator) -> None:
    message = await still_open(query, uow, t, callback_data.ticket_id)
    if message is None:
        return
    builder = InlineKeyboard()
    for urgency in (Urgency.EMERGENCY, Urgency.URGENT, Urgency.NORMAL):
        builder.button(
            text=t(f"urgency.{urgency}"), callback_data=UrgencyPick(ticket_id=callback_data.ticket_id, urgency=urgency)
        )
    await message.answer(t("manager.choose_urgency"), reply_markup=builder.as_markup())


async def urgency_picked(
    query: CallbackQuery,
    callback_data: UrgencyPick,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if callback_data.urgency not in (Urgency.EMERGENCY, Urgency.URGENT, Urgency.NORMAL):
        await message.answer(t("error.stale_button"))
        return
    ticket = await management.change_urgency(
        services, uow, callback_data.ticket_id, Urgency(callback_data.urgency), query.from_user.id
    )
    if ticket is None:
        await message.answer(t("manager.not_open"))
        return
    await notifier.mirror(uow, ticket)
    await message.answer(t("manager.urgency_changed", number=ticket.number, urgency=t(f"urgency.{ticket.urgency}")))


async def ask_input(
    query: CallbackQuery, callback_data: ManagerTicket, state: FSMContext, uow: UnitOfWork, t: Translator
) -> None:
    message = await still_open(query, uow, t, callback_data.ticket_id)
    if message is None:
        return
    await state.set_state(ManagerInput.extend if callback_data.action == "extend" else ManagerInput.cancel)
    await state.update_data(ticket_id=callback_data.ticket_id)
    await ask_to_type(message, t(f"manager.ask_{callback_data.action}"), query.from_user)


async def extension_typed(
    message: Message, state: FSMContext, services: Services, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    manager = sender_of(message)
    if manager is None:  # sent on behalf of a chat: nobody to act for
        return
    amount, _, reason = (message.text or "").strip().partition(" ")  # registered with F.text
    try:
        by = parse_duration(amount)
    except ValueError:
        await ask_again(message, t("manager.ask_extend"))
        return
    if not is_extension(by) or not reason.strip():
        await ask_again(message, t("manager.ask_extend"))
        return
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    ticket = await uow.tickets.get(data["ticket_id"])
    if ticket is None or ticket.status not in OPEN:
        await message.answer(t("manager.not_open"))
        return
    until = management.past_the_rules(services, ticket, by)
    if until is not None:  # longer than the rules allow: the owner must have agreed beforehand
        await state.set_state(ManagerInput.extension_agreement)
        minutes = int(by.total_seconds() // 60)
        await state.update_data(ticket_id=ticket.id, minutes=minutes, reason=reason.strip())
        await message.answer(
            t("manager.extension_needs_owner", number=ticket.number, until=notifier.when(until)),
            reply_markup=agreement_keyboard(t, ticket.id),
        )
        return
    ticket = await deadlines.extend(services, uow, ticket, by, reason.strip(), manager.id)
    await tell_extended(message, uow, notifier, t, ticket, reason.strip())


def agreement_keyboard(t: Translator, ticket_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("button.ask_owner"), callback_data=ExtensionAgreement(ticket_id=ticket_id, how="owner"))
    builder.button(text=t("button.agreed_by_phone"), callback_data=ExtensionAgreement(ticket_id=ticket_id, how="phone"))
    builder.adjust(1)
    return builder.as_markup()


async def extension_agreement(
    query: CallbackQuery,
    callback_data: ExtensionAgreement,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    """The extension typed before, now with how the owner agrees; a second tap finds it done."""
    message = message_of(query)
    if message is None:
        return
    data = await state.get_data()
    if await state.get_state() != ManagerInput.extension_agreement or data.get("ticket_id") != callback_data.ticket_id:
        await message.answer(t("error.stale_button"))
        return
    await state.clear()  # before the write: the conversation store is another connection
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.status not in OPEN:
        await message.answer(t("manager.not_open"))
        return
    by, reason = timedelta(minutes=data["minutes"]), data["reason"]
    if callback_data.how == "phone":
        ticket = await management.extend_agreed_by_phone(services, uow, ticket, by, reason, query.from_user.id)
        await tell_extended(message, uow, notifier, t, ticket, reason)
        return
    until = deadlines.extended_deadline(ticket, services.clock.now(), by)[1]
    asked = await management.ask_owner_to_extend(uow, ticket, until)
    if asked is None:
        return
    await notifier.ask_extension(uow, asked, reason)
    await message.answer(t("manager.owner_asked", number=asked.number, until=notifier.when(until)))


async def tell_extended(
    message: TappedMessage, uow: UnitOfWork, notifier: Notifier, t: Translator, ticket: Ticket, reason: str
) -> None:
    await notifier.panel(uow, ticket, "manager.extended_note", reason=reason, until=notifier.when(ticket.resolve_by))
    await message.answer(
        t(
            "manager.extended",
            number=ticket.number,
            on_site_by=notifier.when(ticket.on_site_by),
            resolve_by=notifier.when(ticket.resolve_by),
        )
    )


async def cancel_reason_typed(
    message: Message,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    group_t: Translator,
) -> None:
    manager = sender_of(message)
    if manager is None:  # sent on behalf of a chat: nobody to act for
        return
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    reason = (message.text or "").strip()[:500]  # registered with F.text
    ticket = await management.cancel(services, uow, data["ticket_id"], reason, manager.id)
    if ticket is None:
        await message.answer(t("manager.not_open"))
        return
    await notifier.tell(uow, ticket.owner_user_id, "owner.cancelled", ticket, number=ticket.number, reason=reason)
    await notifier.panel(uow, ticket, "manager.cancelled_note", reason=reason)
    await notifier.mirror(uow, ticket)
    await message.answer(t("manager.cancelled", number=ticket.number))


async def close(
    query: CallbackQuery,
    callback_data: ManagerTicket,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    ticket = await management.close(services, uow, callback_data.ticket_id, query.from_user.id)
    if ticket is None:
        await message.answer(t("manager.not_open"))
        return
    await notifier.tell(uow, ticket.owner_user_id, "owner.closed_by_manager", ticket, number=ticket.number)
    await notifier.panel(uow, ticket, "manager.closed_note")
    await notifier.mirror(uow, ticket)
    await message.answer(t("manager.closed", number=ticket.number))


async def resolved(
    query: CallbackQuery, callback_data: ManagerTicket, services: Services, uow: UnitOfWork, t: Translator
) -> None:
    """The owner's dissatisfaction was dealt with: the ladder stops climbing."""
    message = message_of(query)
    if message is None:
        return
    if not await callbacks.resolve_unhappiness(services, uow, callback_data.ticket_id, query.from_user.id):
        await message.answer(t("manager.nothing_to_resolve"))
        return
    await note_decision(query, t("manager.resolved", manager=query.from_user.full_name))
