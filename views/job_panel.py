"""The engineer's job panel: where the job stands and the steps possible from there."""

from datetime import UTC, datetime, tzinfo

from aiogram.types import InlineKeyboardMarkup

from domain.job import engineer_actions
from domain.tickets import Ticket
from services.plans import can_plan
from services.quotes import needs_quote
from views import render
from views.buttons import JobStep, PlanStep, QuoteStart, SlotPick, TradeMenu
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard

CHECK = "✅ "


def text(t: Translator, ticket: Ticket, tz: tzinfo) -> str:
    lines = [t("panel.title", number=ticket.number, status=render.status(t, ticket))]
    if ticket.visit_at:
        lines.append(t("panel.visit", at=render.when(ticket.visit_at, tz)))
    lines.append(
        t(
            "panel.deadlines",
            on_site_by=render.when(ticket.on_site_by, tz),
            resolve_by=render.when(ticket.resolve_by, tz),
        )
    )
    if ticket.plan_at:
        lines.append(t("panel.plan_submitted", finish=render.when(ticket.plan_finish_by, tz)))
    elif ticket.plan_by:
        lines.append(t("panel.plan_due", at=render.when(ticket.plan_by, tz)))
    return "\n".join(lines)


def keyboard(t: Translator, ticket: Ticket) -> InlineKeyboardMarkup | None:
    actions = engineer_actions(ticket.status)
    if not actions:
        return None
    builder = InlineKeyboard()
    if ticket.status == "on_site" and needs_quote(ticket) and ticket.quote_status != "proposed":
        builder.button(text=t("action.quote"), callback_data=QuoteStart(ticket_id=ticket.id))
    if can_plan(ticket):
        builder.button(text=t("action.plan"), callback_data=PlanStep(step="write", ticket_id=ticket.id))
        if not ticket.plan_complex:
            builder.button(text=t("action.plan_complex"), callback_data=PlanStep(step="complex", ticket_id=ticket.id))
    for action in actions:
        builder.button(text=t(f"action.{action}"), callback_data=JobStep(action=action, ticket_id=ticket.id))
    builder.button(text=t("action.other_trade"), callback_data=TradeMenu(ticket_id=ticket.id))
    builder.adjust(2)  # adjust() is typed as the generic builder: as_markup() on it is not known to be inline
    return builder.as_markup()


def slot_picker(
    t: Translator, ticket_id: int, slots: list[datetime], chosen: set[int], tz: tzinfo
) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for slot in slots:
        minute = minute_of(slot)
        mark = CHECK if minute in chosen else ""
        builder.button(text=mark + render.when(slot, tz), callback_data=SlotPick(ticket_id=ticket_id, minute=minute))
    builder.button(text=t("button.send_slots"), callback_data=SlotPick(ticket_id=ticket_id, minute=0))
    builder.adjust(3)
    return builder.as_markup()


def chosen_minutes(markup: InlineKeyboardMarkup | None) -> set[int]:
    """The slots ticked so far, read back from the picker's own buttons (no state kept)."""
    chosen: set[int] = set()
    for row in markup.inline_keyboard if markup else []:
        for button in row:
            if button.text.startswith(CHECK) and button.callback_data:
                chosen.add(SlotPick.unpack(button.callback_data).minute)
    return chosen


def offered_minutes(markup: InlineKeyboardMarkup | None) -> list[int]:
    return [
        SlotPick.unpack(button.callback_data).minute
        for row in (markup.inline_keyboard if markup else [])
        for button in row
        if button.callback_data and SlotPick.unpack(button.callback_data).minute
    ]


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def from_minute(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)
