"""Keyboards beside the handlers that show them."""

import contextlib

from aiogram.exceptions import TelegramAPIError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup

from domain.categories import CATEGORIES, EMERGENCY
from domain.units import Unit
from views import render
from views.buttons import (
    CategoryPick,
    EditField,
    JobAction,
    PhotosDone,
    PlacePick,
    StartReport,
    SuggestionAnswer,
    SummaryAction,
    VisitPick,
)
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.replies import editable_message_of

SUMMARY_ACTIONS = ("confirm", "edit", "cancel", "before")
EDITABLE_STEPS = ("category", "place", "description", "photos", "visit_time")


def share_contact(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=t("button.share_contact"), request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def main_menu(t: Translator) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text=t("button.report")), KeyboardButton(text=t("button.my_tickets"))],
            [KeyboardButton(text=t("button.complain")), KeyboardButton(text=t("button.emergency"))],
        ],
        resize_keyboard=True,
        is_persistent=True,
    )


def categories(t: Translator) -> InlineKeyboardMarkup:
    """The emergency first and alone on its row: one tap when every minute counts."""
    builder = InlineKeyboard()
    builder.button(text=render.category(t, EMERGENCY), callback_data=CategoryPick(code=EMERGENCY))
    for item in CATEGORIES:
        if item.code != EMERGENCY:
            builder.button(text=render.category(t, item.code), callback_data=CategoryPick(code=item.code))
    builder.adjust(1, *[2] * len(CATEGORIES))
    return builder.as_markup()


def suggestion(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("button.yes"), callback_data=SuggestionAnswer(accept=True))
    builder.button(text=t("button.choose_other"), callback_data=SuggestionAnswer(accept=False))
    return builder.as_markup()


def places(t: Translator, units: list[Unit], blocks: dict[str, str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for unit in units:
        builder.button(
            text=t("place.unit", block=blocks[unit.block], unit=unit.number), callback_data=PlacePick(unit_id=unit.id)
        )
    for code in sorted({unit.block for unit in units}):
        builder.button(text=t("button.public_area", block=blocks[code]), callback_data=PlacePick(block=code))
    builder.adjust(1)
    return builder.as_markup()


def photos(t: Translator, required: bool, count: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    label = "button.photos_done" if count or required else "button.no_photos"
    builder.button(text=t(label), callback_data=PhotosDone())
    return builder.as_markup()


def visit_times(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for code in render.VISIT_CODES:
        builder.button(text=t(f"visit.{code}"), callback_data=VisitPick(code=code))
    builder.adjust(1, 2, 2)
    return builder.as_markup()


def summary(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for action in SUMMARY_ACTIONS:
        builder.button(text=t(f"button.{action}"), callback_data=SummaryAction(action=action))
    builder.adjust(1, 2, 1)
    return builder.as_markup()


def edit_fields(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for step in EDITABLE_STEPS:
        builder.button(text=t(f"field.{step}"), callback_data=EditField(step=step))
    builder.adjust(2)
    return builder.as_markup()


def job_card(t: Translator, ticket_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("button.take"), callback_data=JobAction(action="take", ticket_id=ticket_id))
    builder.button(text=t("button.decline"), callback_data=JobAction(action="decline", ticket_id=ticket_id))
    return builder.as_markup()


class Reregister(CallbackData, prefix="rereg"):
    """A registered owner shared their contact or asked for help again: register anew?"""

    again: bool
    how: str  # contact, help


class GroupRebind(CallbackData, prefix="rebind"):
    """A manager confirms binding a group that already serves another contractor."""

    contractor: str
    confirm: bool


def reregister(t: Translator, how: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("button.yes"), callback_data=Reregister(again=True, how=how))
    builder.button(text=t("button.no"), callback_data=Reregister(again=False, how=how))
    return builder.as_markup()


def group_rebind(t: Translator, contractor: str, contractor_name: str, current_name: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(
        text=t("button.rebind", contractor=contractor_name),
        callback_data=GroupRebind(contractor=contractor, confirm=True),
    )
    builder.button(
        text=t("button.keep_binding", contractor=current_name),
        callback_data=GroupRebind(contractor=contractor, confirm=False),
    )
    builder.adjust(1)
    return builder.as_markup()


def report_button(t: Translator) -> InlineKeyboardMarkup:
    """Start a report from a message that is not a reply (a reminder)."""
    builder = InlineKeyboard()
    builder.button(text=t("button.report"), callback_data=StartReport())
    return builder.as_markup()


async def tidy(query: CallbackQuery) -> None:
    """Take the answered buttons away; cosmetic, so a message Telegram no longer lets us
    edit changes nothing."""
    message = editable_message_of(query)
    if message is None:
        return
    with contextlib.suppress(TelegramAPIError):
        await message.edit_reply_markup(reply_markup=None)
