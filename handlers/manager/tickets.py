"""Managers and tickets: /overdue, /open with filters, /ticket N and the ticket it opens,
/rain, /stats. What the buttons on a ticket change is in handlers/manager/ticket_actions.py."""

from collections.abc import Callable
from functools import partial

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.categories import Urgency
from domain.roles import Duty, Role, allowed, may
from domain.satisfaction import Rate
from domain.tickets import Ticket, id_from_number, names_ticket
from services import lists
from services.context import Services
from services.lists import OpenFilter, TicketCard
from services.reports import service_report
from settings.config import Config
from storage.ticket_lists import Page
from storage.unit_of_work import UnitOfWork
from views import pages, render
from views.buttons import ListPage, ManagerTicket, TradeMenu
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.notifier import Notifier
from views.replies import message_of, sender_of

FILTERS = ("block", "contractor", "urgency")


def _known_values(config: Config) -> dict[str, set[str]]:
    """What each /open filter may be: the config's blocks and contractors, the urgencies."""
    return {
        "block": config.block_codes(),
        "contractor": {c.code for c in config.contractors},
        "urgency": {urgency.value for urgency in Urgency},
    }


HISTORY_SHOWN = 15  # the card's last events: a long history would not fit one message
# a list's text and its buttons (None: nothing listed)
ListAnswer = tuple[str, InlineKeyboardMarkup | None]
TICKET_ACTIONS = ("reassign", "urgency", "extend", "cancel", "close")


def setup() -> Router:
    router = Router(name="manager-tickets")
    router.message.register(overdue, Command("overdue"))
    router.message.register(open_list, Command("open"))
    router.message.register(ticket_command, Command("ticket"))
    router.callback_query.register(show, ManagerTicket.filter(F.action == "open"))
    router.callback_query.register(turn, ListPage.filter(F.kind.in_({"open", "overdue"})))
    router.message.register(rain, Command("rain"))
    router.message.register(stats, Command("stats"))
    return router


def listing(t: Translator, page: Page, notifier: Notifier, title: str, to: Callable[[int], ListPage]) -> ListAnswer:
    def line(ticket: Ticket) -> str:
        return (
            f"{render.number(t, ticket.number)} · {render.category(t, ticket.category)} · "
            f"{notifier.contractor_name(ticket.contractor_code)} · {notifier.when(ticket.resolve_by)}"
        )

    markup = pages.ticket_buttons(t, page, line, lambda ticket: ManagerTicket(action="open", ticket_id=ticket.id), to)
    return pages.titled(t, title, page), markup


async def overdue_page(
    services: Services, uow: UnitOfWork, notifier: Notifier, t: Translator, number: int
) -> ListAnswer:
    page = await lists.overdue_jobs(services, uow, number)
    if not page.tickets:
        return t("manager.none_overdue"), None
    title = t("manager.overdue", count=page.total)
    return listing(t, page, notifier, title, lambda n: ListPage(kind="overdue", page=n))


async def open_page(
    uow: UnitOfWork, notifier: Notifier, t: Translator, narrowed: OpenFilter, number: int
) -> ListAnswer:
    page = await lists.open_jobs(uow, narrowed, number)
    if not page.tickets:
        return t("manager.none_open"), None
    to = partial(
        ListPage,
        kind="open",
        block=narrowed.block or "",
        contractor=narrowed.contractor or "",
        urgency=narrowed.urgency or "",
    )
    return listing(t, page, notifier, t("manager.open", count=page.total), lambda n: to(page=n))


async def overdue(message: Message, uow: UnitOfWork, services: Services, notifier: Notifier, t: Translator) -> None:
    text, markup = await overdue_page(services, uow, notifier, t, 0)
    await message.answer(text, reply_markup=markup)


async def open_list(
    message: Message, command: CommandObject, uow: UnitOfWork, notifier: Notifier, config: Config, t: Translator
) -> None:
    wanted: dict[str, str] = {}
    known = _known_values(config)
    for word in (command.args or "").split():
        key, _, value = word.partition("=")
        if key not in FILTERS or value not in known[key]:  # a typo answers with the usage, not "no job"
            await message.answer(t("manager.open_usage"))
            return
        wanted[key] = value
    text, markup = await open_page(uow, notifier, t, OpenFilter(**wanted), 0)
    await message.answer(text, reply_markup=markup)


async def turn(
    query: CallbackQuery,
    callback_data: ListPage,
    uow: UnitOfWork,
    services: Services,
    notifier: Notifier,
    t: Translator,
) -> None:
    """Previous or Next under /open or /overdue."""
    if callback_data.kind == "overdue":
        text, markup = await overdue_page(services, uow, notifier, t, callback_data.page)
    else:
        narrowed = OpenFilter(
            callback_data.block or None, callback_data.contractor or None, callback_data.urgency or None
        )
        text, markup = await open_page(uow, notifier, t, narrowed, callback_data.page)
    await pages.show(query, text, markup)


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
    card = await lists.ticket_card(uow, ticket_id, HISTORY_SHOWN) if ticket_id else None
    if card is None or not names_ticket(command.args or "", card.ticket.number):
        await message.answer(t("manager.ticket_usage"))
        return
    manager = sender_of(message)
    if manager is None:  # sent on behalf of a chat: nobody whose roles to show
        return
    roles = notifier.roles_of(manager.id)
    await message.answer(view(card, notifier, config, t), reply_markup=ticket_buttons(t, card.ticket, roles))


def ticket_buttons(t: Translator, ticket: Ticket, roles: frozenset[Role]) -> InlineKeyboardMarkup | None:
    """The changes the viewer's roles allow (none for the ladder's people who only read)."""
    actions = allowed(roles, TICKET_ACTIONS)
    if not actions:
        return None
    builder = InlineKeyboard()
    for action in actions:
        builder.button(
            text=t(f"button.manager_{action}"), callback_data=ManagerTicket(action=action, ticket_id=ticket.id)
        )
    if may(roles, Duty.REASSIGN):
        builder.button(text=t("action.other_trade"), callback_data=TradeMenu(ticket_id=ticket.id))
    builder.adjust(3)  # not chained: adjust() returns the generic builder, typed as any keyboard
    return builder.as_markup()


def view(card: TicketCard, notifier: Notifier, config: Config, t: Translator) -> str:
    names = {c.code: c.name for c in config.contractors}
    ticket = card.ticket
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
    lines += [render.history_line(t, event, notifier.services.tz, names) for event in card.history]
    return "\n".join(lines)


async def show(
    query: CallbackQuery,
    callback_data: ManagerTicket,
    uow: UnitOfWork,
    notifier: Notifier,
    config: Config,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    card = await lists.ticket_card(uow, callback_data.ticket_id, HISTORY_SHOWN)
    if card is None:
        await message.answer(t("error.stale_button"))
        return
    markup = ticket_buttons(t, card.ticket, notifier.roles_of(query.from_user.id))
    await message.answer(view(card, notifier, config, t), reply_markup=markup)


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


def _percent(rate: Rate) -> str:
    return "—" if rate.percent is None else f"{rate.percent:g}%"
