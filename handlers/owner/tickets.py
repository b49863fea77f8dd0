"""/my: the owner's tickets, newest first a page at a time, each opening with its history."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from handlers.owner.filters import BoundOwner, button_texts
from services import lists
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import pages, render
from views.buttons import ListPage, TicketOpen
from views.i18n import Translator
from views.replies import message_of, sender_of


def setup(catalogs) -> Router:
    router = Router(name="owner-tickets")
    router.message.filter(BoundOwner())
    router.callback_query.filter(BoundOwner())
    router.message.register(my_tickets, Command("my"))
    router.message.register(my_tickets, F.text.in_(button_texts(catalogs, "button.my_tickets")))
    router.callback_query.register(open_ticket, TicketOpen.filter())
    router.callback_query.register(turn, ListPage.filter(F.kind == "mine"))
    return router


async def my_tickets(message: Message, t: Translator, uow: UnitOfWork) -> None:
    owner = sender_of(message)
    if owner is None:
        return
    text, markup = await tickets_page(t, uow, owner.id, 0)
    await message.answer(text, reply_markup=markup)


async def turn(query: CallbackQuery, callback_data: ListPage, t: Translator, uow: UnitOfWork) -> None:
    text, markup = await tickets_page(t, uow, query.from_user.id, callback_data.page)
    await pages.show(query, text, markup)


async def tickets_page(
    t: Translator, uow: UnitOfWork, owner_id: int, number: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    page = await lists.owners_tickets(uow, owner_id, number)
    if not page.tickets:
        return t("my.none"), None
    markup = pages.ticket_buttons(
        t,
        page,
        lambda ticket: render.list_line(t, ticket),
        lambda ticket: TicketOpen(ticket_id=ticket.id),
        lambda n: ListPage(kind="mine", page=n),
    )
    return pages.titled(t, t("my.list"), page), markup


async def open_ticket(
    query: CallbackQuery, callback_data: TicketOpen, t: Translator, uow: UnitOfWork, services: Services, config: Config
) -> None:
    message = message_of(query)
    if message is None:
        return
    card = await lists.ticket_card(uow, callback_data.ticket_id)
    if card is None or card.ticket.owner_user_id != query.from_user.id:  # someone else's ticket
        await message.answer(t("error.stale_button"))
        return
    ticket = card.ticket
    names = {c.code: c.name for c in config.contractors}
    block = config.block(ticket.place.block)
    lines = [
        t("my.ticket", number=ticket.number, status=render.status(t, ticket)),
        t("summary.category", category=render.category(t, ticket.category)),
        t("summary.place", place=render.place(t, ticket.place, block.name if block else ticket.place.block)),
        t("summary.description", description=ticket.description),
        t("my.resolve_by", when=render.when(ticket.resolve_by, services.tz)),
        "",
        t("my.history"),
    ]
    lines += [render.history_line(t, event, services.tz, names) for event in card.history]
    await message.answer("\n".join(lines))
