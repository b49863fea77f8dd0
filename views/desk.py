"""The front desk's screens: the buttons of a report customer service files for an owner or
a public area, its summary, and the Verify task of a finished public-area repair."""

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from domain.complaints import Topic
from domain.front_desk import Channel
from domain.tickets import Place
from services.intake import Draft
from views import render
from views.buttons import ComplaintTopicPick
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard

OWNER, PUBLIC, COMPLAINT = "owner", "public", "complaint"
NOT_IN_TELEGRAM = 0  # the owner-pick button of an owner the bot cannot write to
CHANNELS = {Channel.PHONE: "desk.channel_phone", Channel.WALK_IN: "desk.channel_walk_in"}


class DeskKind(CallbackData, prefix="dkind"):
    kind: str  # OWNER or PUBLIC


class DeskOwner(CallbackData, prefix="downer"):
    user_id: int  # a bound owner of the unit, or NOT_IN_TELEGRAM


class DeskBlock(CallbackData, prefix="dblock"):
    code: str


class DeskChannel(CallbackData, prefix="dchan"):
    channel: str  # a Channel


class DeskConfirm(CallbackData, prefix="dsum"):
    confirm: bool


class Verify(CallbackData, prefix="verify"):
    ticket_id: int
    fixed: bool


def kinds(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("desk.button_owner"), callback_data=DeskKind(kind=OWNER))
    builder.button(text=t("desk.button_public"), callback_data=DeskKind(kind=PUBLIC))
    builder.button(text=t("desk.button_complaint"), callback_data=DeskKind(kind=COMPLAINT))
    builder.adjust(1)
    return builder.as_markup()


def owners(t: Translator, accounts: list[tuple[int, str]], offline: bool = True) -> InlineKeyboardMarkup:
    """The unit's owners in Telegram, and (for a repair, not a complaint) one who is not."""
    builder = InlineKeyboard()
    for user_id, name in accounts:
        builder.button(text=name, callback_data=DeskOwner(user_id=user_id))
    if offline:
        builder.button(text=t("desk.button_not_in_telegram"), callback_data=DeskOwner(user_id=NOT_IN_TELEGRAM))
    builder.adjust(1)
    return builder.as_markup()


def blocks(names: dict[str, str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for code, name in names.items():
        builder.button(text=name, callback_data=DeskBlock(code=code))
    builder.adjust(2)
    return builder.as_markup()


def channels(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for channel in Channel:
        builder.button(text=t(CHANNELS[channel]), callback_data=DeskChannel(channel=channel))
    return builder.as_markup()


def topics(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for topic in Topic:
        builder.button(text=t(f"topic.{topic}"), callback_data=ComplaintTopicPick(topic=topic))
    builder.adjust(2)
    return builder.as_markup()


def offline_owner(t: Translator, draft: Draft) -> str:
    """An owner who is not in Telegram, as the desk and the managers read him."""
    return t("desk.offline_owner", name=draft.contact_name or "—", phone=draft.contact_phone or "—")


def complaint_summary(t: Translator, whom: str, channel: str, topic: str, words: str) -> str:
    return "\n".join(
        [
            t("desk.complaint_summary_title"),
            whom,
            t("desk.summary_channel", channel=t(CHANNELS[Channel(channel)])),
            t("desk.complaint_topic", topic=t(f"topic.{topic}")),
            t("desk.complaint_words", words=words),
        ]
    )


def confirm(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("button.confirm"), callback_data=DeskConfirm(confirm=True))
    builder.button(text=t("button.cancel"), callback_data=DeskConfirm(confirm=False))
    return builder.as_markup()


def verify(t: Translator, ticket_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("desk.button_verified"), callback_data=Verify(ticket_id=ticket_id, fixed=True))
    builder.button(text=t("desk.button_not_fixed"), callback_data=Verify(ticket_id=ticket_id, fixed=False))
    return builder.as_markup()


def for_whom(t: Translator, owner_name: str | None, phone: str | None, in_telegram: bool) -> str:
    """Who the report is for, as the summary says it."""
    if owner_name is None:
        return t("desk.for_public")
    key = "desk.for_owner" if in_telegram else "desk.for_owner_offline"
    return t(key, name=owner_name, phone=phone or "—")


def summary(
    t: Translator,
    whom: str,
    channel: str,
    category: str,
    where: Place,
    block_name: str,
    description: str,
    photos: int,
    visit: str | None,
) -> str:
    return "\n".join(
        [
            t("desk.summary_title"),
            whom,
            t("desk.summary_channel", channel=t(CHANNELS[Channel(channel)])),
            t("summary.category", category=render.category(t, category)),
            t("summary.place", place=render.place(t, where, block_name)),
            t("summary.description", description=description),
            t("summary.photos", count=photos),
            t("summary.visit", visit=render.visit_time(t, visit)),
        ]
    )
