"""Managers and tickets: /overdue, /open with filters, /ticket N, and the buttons on a
ticket or an alert (open, reassign, extend, urgency, cancel, close)."""

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ForceReply, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from domain.categories import Urgency
from domain.durations import parse_duration
from domain.job import OPEN
from domain.roles import Duty, Role, allowed, may
from domain.tickets import Ticket, id_from_number
from services import callbacks, deadlines, management
from services.context import Services
from services.reports import service_report
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import render
from views.buttons import AssignTo, ManagerTicket, TradeMenu, UrgencyPick
from views.i18n import Translator
from views.notifier import Notifier

FILTERS = ("block", "contractor", "urgency")
LISTED = 30
TICKET_ACTIONS = ("reassign", "urgency", "extend", "cancel", "close")


class ManagerInput(StatesGroup):
    extend = State()
    cancel = State()


def setup() -> Router:
    router = Router(name="manager-tickets")
    router.message.register(overdue, Command("overdue"))
    router.message.register(open_list, Command("open"))
    router.message.register(ticket_command, Command("ticket"))
    router.callback_query.register(show, ManagerTicket.filter(F.action == "open"))
    router.callback_query.register(choose_contractor, ManagerTicket.filter(F.action == "reassign"))
    router.callback_query.register(choose_urgency, ManagerTicket.filter(F.action == "urgency"))
    router.callback_query.register(urgency_picked, UrgencyPick.filter())
    router.callback_query.register(ask_input, ManagerTicket.filter(F.action.in_({"extend", "cancel"})))
    router.callback_query.register(close, ManagerTicket.filter(F.action == "close"))
    router.callback_query.register(resolved, ManagerTicket.filter(F.action == "resolved"))
    router.message.register(rain, Command("rain"))
    router.message.register(stats, Command("stats"))
    router.message.register(extension_typed, ManagerInput.extend, F.text)
    router.message.register(cancel_reason_typed, ManagerInput.cancel, F.text)
    return router


def listing(t: Translator, tickets: list[Ticket], notifier: Notifier, title: str):
    builder = InlineKeyboardBuilder()
    for ticket in tickets[:LISTED]:
        builder.button(
            text=f"№{ticket.number} · {render.category(t, ticket.category)} · "
            f"{notifier.contractor_name(ticket.contractor_code)} · {notifier.when(ticket.resolve_by)}",
            callback_data=ManagerTicket(action="open", ticket_id=ticket.id),
        )
    more = t("manager.more", count=len(tickets) - LISTED) if len(tickets) > LISTED else ""
    return f"{title}{more}", builder.adjust(1).as_markup()


async def overdue(message: Message, uow: UnitOfWork, services: Services, notifier: Notifier, t: Translator) -> None:
    now = services.clock.now()
    late = [
        ticket
        for ticket in await uow.tickets.open_tickets(OPEN)
        if (ticket.resolve_by and ticket.resolve_by < now)
        or (ticket.accept_by and ticket.status == "assigned" and ticket.accept_by < now)
    ]
    if not late:
        await message.answer(t("manager.none_overdue"))
        return
    text, markup = listing(t, late, notifier, t("manager.overdue", count=len(late)))
    await message.answer(text, reply_markup=markup)


async def open_list(
    message: Message, command: CommandObject, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    wanted = {}
    for word in (command.args or "").split():
        key, _, value = word.partition("=")
        if key not in FILTERS or not value:
            await message.answer(t("manager.open_usage"))
            return
        wanted[key] = value
    tickets = [
        ticket
        for ticket in await uow.tickets.open_tickets(OPEN)
        if wanted.get("block", ticket.place.block) == ticket.place.block
        and wanted.get("contractor", ticket.contractor_code) == ticket.contractor_code
        and wanted.get("urgency", ticket.urgency) == ticket.urgency
    ]
    if not tickets:
        await message.answer(t("manager.none_open"))
        return
    text, markup = listing(t, tickets, notifier, t("manager.open", count=len(tickets)))
    await message.answer(text, reply_markup=markup)


async def ticket_command(
    message: Message,
    command: CommandObject,
    uow: UnitOfWork,
    services: Services,
    notifier: Notifier,
    config: Config,
    t: Translator,
) -> None:
    ticket_id = id_from_number(command.args or "")
    ticket = await uow.tickets.get(ticket_id) if ticket_id else None
    if ticket is None:
        await message.answer(t("manager.ticket_usage"))
        return
    roles = notifier.roles_of(message.from_user.id)
    await message.answer(await view(uow, ticket, notifier, config, t), reply_markup=ticket_buttons(t, ticket, roles))


def ticket_buttons(t: Translator, ticket: Ticket, roles: frozenset[Role]) -> InlineKeyboardMarkup | None:
    """The changes the viewer's roles allow (none for the ladder's people who only read)."""
    actions = allowed(roles, TICKET_ACTIONS)
    if not actions:
        return None
    builder = InlineKeyboardBuilder()
    for action in actions:
        builder.button(
            text=t(f"button.manager_{action}"), callback_data=ManagerTicket(action=action, ticket_id=ticket.id)
        )
    if may(roles, Duty.REASSIGN):
        builder.button(text=t("action.other_trade"), callback_data=TradeMenu(ticket_id=ticket.id))
    return builder.adjust(3).as_markup()


async def view(uow: UnitOfWork, ticket: Ticket, notifier: Notifier, config: Config, t: Translator) -> str:
    names = {c.code: c.name for c in config.contractors}
    lines = [
        notifier.card_text(ticket, t),
        "",
        t(
            "manager.status",
            status=render.status(t, ticket),
            engineer=ticket.engineer_name or "—",
            contractor=notifier.contractor_name(ticket.contractor_code),
        ),
        t("my.history"),
    ]
    history = await uow.tickets.history(ticket.id)
    lines += [render.history_line(t, event, notifier.services.tz, names) for event in history[-15:]]
    return "\n".join(lines)


async def _ticket(query: CallbackQuery, uow: UnitOfWork, ticket_id: int, t: Translator) -> Ticket | None:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        await query.message.answer(t("error.stale_button"))
    return ticket


async def show(
    query: CallbackQuery,
    callback_data: ManagerTicket,
    uow: UnitOfWork,
    notifier: Notifier,
    config: Config,
    t: Translator,
) -> None:
    ticket = await _ticket(query, uow, callback_data.ticket_id, t)
    if ticket:
        markup = ticket_buttons(t, ticket, notifier.roles_of(query.from_user.id))
        await query.message.answer(await view(uow, ticket, notifier, config, t), reply_markup=markup)


async def choose_contractor(query: CallbackQuery, callback_data: ManagerTicket, config: Config, t: Translator) -> None:
    builder = InlineKeyboardBuilder()
    for contractor in config.contractors:
        builder.button(
            text=t("button.assign_to", contractor=contractor.name),
            callback_data=AssignTo(ticket_id=callback_data.ticket_id, contractor=contractor.code),
        )
    await query.message.answer(t("manager.choose_contractor"), reply_markup=builder.adjust(1).as_markup())


async def choose_urgency(query: CallbackQuery, callback_data: ManagerTicket, t: Translator) -> None:
    builder = InlineKeyboardBuilder()
    for urgency in (Urgency.EMERGENCY, Urgency.URGENT, Urgency.NORMAL):
        builder.button(
            text=t(f"urgency.{urgency}"), callback_data=UrgencyPick(ticket_id=callback_data.ticket_id, urgency=urgency)
        )
    await query.message.answer(t("manager.choose_urgency"), reply_markup=builder.as_markup())


async def urgency_picked(
    query: CallbackQuery,
    callback_data: UrgencyPick,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    if callback_data.urgency not in (Urgency.EMERGENCY, Urgency.URGENT, Urgency.NORMAL):
        await query.message.answer(t("error.stale_button"))
        return
    ticket = await management.change_urgency(
        services, uow, callback_data.ticket_id, Urgency(callback_data.urgency), query.from_user.id
    )
    if ticket is None:
        await query.message.answer(t("manager.not_open"))
        return
    await notifier.mirror(uow, ticket)
    await uow.commit()
    await query.message.answer(
        t("manager.urgency_changed", number=ticket.number, urgency=t(f"urgency.{ticket.urgency}"))
    )


async def ask_input(query: CallbackQuery, callback_data: ManagerTicket, state: FSMContext, t: Translator) -> None:
    await state.set_state(ManagerInput.extend if callback_data.action == "extend" else ManagerInput.cancel)
    await state.update_data(ticket_id=callback_data.ticket_id)
    await query.message.answer(
        t(f"manager.ask_{callback_data.action}"), reply_markup=ForceReply(selective=True, input_field_placeholder="…")
    )


async def extension_typed(
    message: Message, state: FSMContext, services: Services, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    amount, _, reason = message.text.strip().partition(" ")
    try:
        by = parse_duration(amount)
    except ValueError:
        await message.answer(t("manager.ask_extend"))
        return
    if not reason.strip():
        await message.answer(t("manager.ask_extend"))
        return
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    ticket = await uow.tickets.get(data["ticket_id"])
    if ticket is None or ticket.status not in OPEN:
        await message.answer(t("manager.not_open"))
        return
    ticket = await deadlines.extend(services, uow, ticket, by, reason.strip(), message.from_user.id)
    await notifier.panel(
        uow, ticket, "manager.extended_note", reason=reason.strip(), until=notifier.when(ticket.resolve_by)
    )
    await uow.commit()
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
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    reason = message.text.strip()[:500]
    ticket = await management.cancel(services, uow, data["ticket_id"], reason, message.from_user.id)
    if ticket is None:
        await message.answer(t("manager.not_open"))
        return
    await notifier.tell(uow, ticket.owner_user_id, "owner.cancelled", ticket, number=ticket.number, reason=reason)
    await notifier.panel(uow, ticket, "manager.cancelled_note", reason=reason)
    await notifier.mirror(uow, ticket)
    await uow.commit()
    await message.answer(t("manager.cancelled", number=ticket.number))


async def close(
    query: CallbackQuery,
    callback_data: ManagerTicket,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    ticket = await management.close(services, uow, callback_data.ticket_id, query.from_user.id)
    if ticket is None:
        await query.message.answer(t("manager.not_open"))
        return
    await notifier.tell(uow, ticket.owner_user_id, "owner.closed_by_manager", ticket, number=ticket.number)
    await notifier.panel(uow, ticket, "manager.closed_note")
    await notifier.mirror(uow, ticket)
    await uow.commit()
    await query.message.answer(t("manager.closed", number=ticket.number))


async def resolved(
    query: CallbackQuery, callback_data: ManagerTicket, services: Services, uow: UnitOfWork, t: Translator
) -> None:
    """The owner's dissatisfaction was dealt with: the ladder stops climbing."""
    if not await callbacks.resolve_unhappiness(services, uow, callback_data.ticket_id, query.from_user.id):
        await query.message.answer(t("manager.nothing_to_resolve"))
        return
    await uow.commit()
    await query.message.edit_text(
        f"{query.message.text}\n\n" + t("manager.resolved", manager=query.from_user.full_name)
    )


async def rain(
    message: Message, command: CommandObject, services: Services, uow: UnitOfWork, config: Config, t: Translator
) -> None:
    """/rain [block …]: it rained; leak callbacks held for the next rain fall due."""
    blocks = set((command.args or "").split())
    unknown = blocks - config.block_codes()
    if unknown:
        await message.answer(t("manager.rain_usage", blocks=", ".join(sorted(config.block_codes()))))
        return
    released = await uow.callbacks.release_rain(blocks or None, services.clock.now())
    await uow.commit()
    await message.answer(t("manager.rain", count=released))


async def stats(message: Message, uow: UnitOfWork, t: Translator) -> None:
    report = await service_report(uow)
    lines = [t("stats.title"), t("stats.overall", rate=_percent(report.overall), answers=report.overall.answers)]
    lines += [
        t("stats.dimension", dimension=t(f"dimension.{dimension}"), rate=_percent(rate), answers=rate.answers)
        for dimension, rate in report.rates.items()
    ]
    lines += [
        t(
            "stats.callbacks",
            asked=sum(report.callbacks.values())
            - report.callbacks.get("scheduled", 0)
            - report.callbacks.get("held", 0)
            - report.callbacks.get("cancelled", 0),
            answered=report.callbacks.get("answered", 0),
            unanswered=report.callbacks.get("unanswered", 0),
        ),
        t("stats.closures", confirmed=report.confirmed, silence=report.closed_by_silence),
        t("stats.repeats", count=report.repeat_repairs),
    ]
    await message.answer("\n".join(lines))


def _percent(rate) -> str:
    return "—" if rate.percent is None else f"{rate.percent:g}%"
