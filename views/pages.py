"""Lists that run over more than one page: the page's place in the title and the Previous
and Next buttons under the list (the pages themselves: services/lists.py)."""

from collections.abc import Callable

from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup

from domain.tickets import Ticket
from storage.ticket_lists import Page
from views.buttons import ListPage
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.replies import editable_message_of, message_of


def titled(t: Translator, title: str, page: Page) -> str:
    """The list's title, with "page 2 of 5" when there is more than one."""
    return f"{title}\n{t('list.page', page=page.number + 1, pages=page.pages)}" if page.pages > 1 else title


def ticket_buttons(
    t: Translator,
    page: Page,
    line: Callable[[Ticket], str],
    opens: Callable[[Ticket], CallbackData],
    to: Callable[[int], ListPage],
) -> InlineKeyboardMarkup:
    """A page of tickets as buttons, each one's `line` opening it, with the pager under them."""
    builder = InlineKeyboard()
    for ticket in page.tickets:
        builder.button(text=line(ticket), callback_data=opens(ticket))
    return with_pager(t, builder, page, to)


def with_pager(
    t: Translator, builder: InlineKeyboard, page: Page, to: Callable[[int], ListPage]
) -> InlineKeyboardMarkup:
    """The list's buttons one a row, then Previous and Next where there is such a page."""
    builder.adjust(1)
    turns = []
    if page.has_previous:
        turns.append(InlineKeyboardButton(text=t("list.previous"), callback_data=to(page.number - 1).pack()))
    if page.has_next:
        turns.append(InlineKeyboardButton(text=t("list.next"), callback_data=to(page.number + 1).pack()))
    if turns:
        builder.row(*turns)
    return builder.as_markup()


async def show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """A turned page replaces the list it was turned from; where that message can no longer
    be changed (older than 48 hours), the page comes as a new message."""
    shown = editable_message_of(query)
    if shown is None:
        message = message_of(query)
        if message is not None:
            await message.answer(text, reply_markup=markup)
        return
    try:
        await shown.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:  # a second tap on the same page: it is shown already
        if "message is not modified" not in error.message:
            raise
