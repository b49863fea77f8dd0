"""/my for an engineer: the jobs they hold, a page at a time, each opening with its details
and its panel (registered by handlers/engineer/job.py)."""

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, TelegramObject, User

from handlers.engineer.card import details
from services import lists
from storage.unit_of_work import UnitOfWork
from views import job_panel, pages, render
from views.buttons import JobOpen, ListPage
from views.i18n import Translator
from views.notifier import Notifier
from views.replies import message_of, sender_of


class KnownEngineer(Filter):
    """Someone who has taken a job here: their /my lists the jobs they hold (an owner's /my
    lists the requests they filed: handlers/owner/tickets.py)."""

    async def __call__(self, event: TelegramObject, event_from_user: User, uow: UnitOfWork) -> bool:
        return await uow.chats.is_engineer(event_from_user.id)


async def my_jobs(message: Message, uow: UnitOfWork, t: Translator) -> None:
    engineer = sender_of(message)
    if engineer is None:
        return
    text, markup = await jobs_page(t, uow, engineer.id, 0)
    await message.answer(text, reply_markup=markup)


async def turn(query: CallbackQuery, callback_data: ListPage, uow: UnitOfWork, t: Translator) -> None:
    text, markup = await jobs_page(t, uow, query.from_user.id, callback_data.page)
    await pages.show(query, text, markup)


async def jobs_page(
    t: Translator, uow: UnitOfWork, engineer_id: int, number: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    page = await lists.held_jobs(uow, engineer_id, number)
    if not page.tickets:
        return t("job.none_held"), None
    markup = pages.ticket_buttons(
        t,
        page,
        lambda ticket: render.list_line(t, ticket),
        lambda ticket: JobOpen(ticket_id=ticket.id),
        lambda n: ListPage(kind="jobs", page=n),
    )
    return pages.titled(t, t("job.held", count=page.total), page), markup


async def open_job(
    query: CallbackQuery, callback_data: JobOpen, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    """A job from the list: its details and its panel, as the link in the group opens them."""
    message = message_of(query)
    if message is None:
        return
    card = await lists.ticket_card(uow, callback_data.ticket_id, 0)
    if card is None or card.ticket.engineer_user_id != query.from_user.id:  # handed over or taken back since
        await message.answer(t("job.not_yours"))
        return
    owner = await uow.owners.account(card.ticket.owner_user_id)
    await message.answer(details(notifier, card.ticket, owner, t), reply_markup=job_panel.keyboard(t, card.ticket))
