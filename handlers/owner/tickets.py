"""/my: the owner's tickets, each opening with its history."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.owner.filters import BoundOwner, button_texts
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import render
from views.buttons import TicketOpen
from views.i18n import Translator
from views.replies import message_of, sender_of


def setup(catalogs) -> Router:
    router = Router(name="owner-tickets")
    router.message.filter(BoundOwner())
    router.callback_query.filter(BoundOwner())
    router.message.register(my_tickets, Command("my"))
    router.message.register(my_tickets, F.text.in_(button_texts(catalogs, "button.my_tickets")))
    router.callback_query.register(open_ticket, TicketOpen.filter())
    return router


async def my_tickets(message: Message, t: Translator, uow: UnitOfWork) -> None:
    owner = sender_of(message)
    if owner is None:
        return
    tickets = await uow.tickets.of_owner(owner.id)
    if not tickets:
        await message.answer(t("my.none"))
        return
    builder = InlineKeyboardBuilder()
    for ticket in tickets:
        builder.button(
            text=f"№{ticket.number} · {render.category(t, ticket.category)} · {render.status(t, ticket)}",
            callback_data=TicketOpen(ticket_id=ticket.id),
        )
    await message.answer(t("my.list"), reply_markup=builder.adjust(1).as_markup())


async def open_ticket(
    query: CallbackQuery, callback_data: TicketOpen, t: Translator, uow: UnitOfWork, services: Services, config: Config
) -> None:
    message = message_of(query)
    if message is None:
        return
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.owner_user_id != query.from_user.id:  # someone else's ticket
        await message.answer(t("error.stale_button"))
        return
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
    lines += [render.history_line(t, event, services.tz, names) for event in await uow.tickets.history(ticket.id)]
    await message.answer("\n".join(lines))
