"""Turning domain values into the words a person reads (no sending here)."""

from datetime import datetime, tzinfo

from domain.tickets import EventKind, Place, Ticket, TicketEvent
from views.i18n import Translator

VISIT_CODES = ("asap", "today", "tomorrow_morning", "tomorrow_afternoon", "weekend")
_FREE_TEXT = "text:"


def when(moment: datetime | None, tz: tzinfo) -> str:
    return "—" if moment is None else moment.astimezone(tz).strftime("%m-%d %H:%M")


def number(t: Translator, value: str) -> str:
    """A ticket's number as the reader's language writes it on a button or a list (№ is
    not Chinese usage)."""
    return t("label.number", number=value)


def list_line(t: Translator, ticket: Ticket) -> str:
    """A ticket as one line of a list: number, category, where it stands."""
    return f"{number(t, ticket.number)} · {category(t, ticket.category)} · {status(t, ticket)}"


def category(t: Translator, code: str) -> str:
    return t(f"category.{code}")


def place(t: Translator, value: Place, block_name: str) -> str:
    if value.unit_id is None:
        return t("place.public", block=block_name, where=value.public_area or "")
    return t("place.unit", block=block_name, unit=value.unit_number)


def visit_time(t: Translator, value: str | None) -> str:
    if value is None:
        return "—"
    if value.startswith(_FREE_TEXT):
        return value.removeprefix(_FREE_TEXT)
    return t(f"visit.{value}")


def free_visit_time(text: str) -> str:
    return _FREE_TEXT + text


def status(t: Translator, ticket: Ticket) -> str:
    return t(f"status.{ticket.status}")


def history_line(t: Translator, event: TicketEvent, tz: tzinfo, contractor_names: dict[str, str]) -> str:
    detail = dict(event.detail)
    if "contractor" in detail:
        detail["contractor"] = contractor_names.get(detail["contractor"], detail["contractor"] or "—")
    detail.setdefault("engineer", "")
    if "by" in detail:
        detail["by"] = t(f"by.{detail['by']}")
    key = f"history.{event.kind}"
    if event.kind is EventKind.ESCALATED:  # to whom, and which deadline (or an unhappy owner)
        key, detail = _escalation(t, detail)
    return f"{when(event.at, tz)} {t(key, **detail)}"


def _escalation(t: Translator, detail: dict) -> tuple[str, dict]:
    role = t(f"role.{detail.get('role', '')}") if detail.get("role") else "—"
    if detail.get("deadline") == "satisfaction":
        return "history.escalated_unhappy", {"role": role}
    deadline = t(f"deadline.{detail['deadline']}") if detail.get("deadline") else "—"
    return "history.escalated", {"role": role, "deadline": deadline}
