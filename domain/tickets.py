"""A ticket (工单): one reported repair, with exactly one responsible party at every moment."""

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class TicketStatus(StrEnum):
    UNASSIGNED = "unassigned"  # no contractor could be found: a manager assigns it by hand
    ASSIGNED = "assigned"  # the card is in a contractor's group, waiting for an engineer
    TAKEN = "taken"  # an engineer took the job
    VISIT_PROPOSED = "visit_proposed"  # the engineer proposed times, the owner picks one
    VISIT_AGREED = "visit_agreed"
    ON_THE_WAY = "on_the_way"
    ON_SITE = "on_site"
    WAITING_PARTS = "waiting_parts"  # or another trade
    WAITING_OWNER = "waiting_owner"  # nobody home, or a later day asked: the clock stands still
    AWAITING_VISIT = "awaiting_visit"  # a repeat repair: the repair manager looks personally first
    DONE = "done"  # the engineer finished; the owner is asked to confirm
    CLOSED = "closed"  # the owner confirmed the fix (or a manager closed it)
    CLOSED_BY_SILENCE = "closed_by_silence"  # the owner never answered: counted apart
    CANCELLED = "cancelled"
    REFERRED = "referred"  # explained and referred to a specialist shop (docs/rules.md, "referral")


class EventKind(StrEnum):
    FILED = "filed"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    DECLINED = "declined"  # a contractor could not take it
    TAKEN = "taken"
    REFERRED = "referred"
    VISIT_PROPOSED = "visit_proposed"
    VISIT_AGREED = "visit_agreed"
    OTHER_TIME_ASKED = "other_time_asked"
    ON_THE_WAY = "on_the_way"
    ARRIVED = "arrived"
    WAITING_PARTS = "waiting_parts"
    NEW_DATE_AGREED = "new_date_agreed"  # the resolve-by moved, with whose consent
    NEW_DATE_REFUSED = "new_date_refused"
    PAUSED = "paused"
    RESUMED = "resumed"
    HANDED_OVER = "handed_over"
    FINISHED = "finished"
    CONFIRMED = "confirmed"
    NOT_FIXED = "not_fixed"
    CLOSED_BY_SILENCE = "closed_by_silence"
    DEADLINE_MISSED = "deadline_missed"
    ESCALATED = "escalated"
    EXTENDED = "extended"
    REASSIGNED = "reassigned"
    URGENCY_CHANGED = "urgency_changed"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    REPEAT = "repeat"  # recognised as a repeat repair
    CAME_BACK = "came_back"  # a callback: the problem came back
    MANAGER_VISITED = "manager_visited"
    CORRECTIVE_ACTION = "corrective_action"
    CALLBACK_ANSWERED = "callback_answered"
    CALLBACK_UNANSWERED = "callback_unanswered"
    UNHAPPY = "unhappy"
    UNHAPPY_RESOLVED = "unhappy_resolved"
    TRADE_CHANGED = "trade_changed"
    QUOTED = "quoted"
    QUOTE_ACCEPTED = "quote_accepted"
    QUOTE_DECLINED = "quote_declined"
    QUOTE_DISPUTED = "quote_disputed"
    SURVEYED = "surveyed"  # the engineer's first look on site: a plan may be due from here
    MARKED_COMPLEX = "marked_complex"  # cannot be settled on the spot: the plan within 24 hours
    PLAN_SUBMITTED = "plan_submitted"
    VERIFIED = "verified"  # customer service checked a public-area repair on site
    NOT_VERIFIED = "not_verified"  # ... and found it not fixed
    UNDELIVERED = "undelivered"  # Telegram refused a message about the ticket (blocked bot)
    WORK_RECORDED = "work_recorded"  # the work record: materials and, for paid work, what was collected


@dataclass(frozen=True)
class Place:
    block: str
    unit_id: int | None  # None: a public area of the block
    unit_number: str | None
    public_area: str | None = None


def ticket_number(ticket_id: int, filed_local: datetime) -> str:
    """Human-friendly and unique: the local filing date and the ticket's id, e.g. 261122-0017."""
    return f"{filed_local:%y%m%d}-{ticket_id:04d}"


def id_from_number(number: str) -> int | None:
    """The ticket id in a number an owner or manager types: "261122-0017", "0017" or "17"."""
    tail = number.strip().lstrip("#").rsplit("-", 1)[-1]
    return int(tail) if re.fullmatch(r"[0-9]{1,9}", tail) else None


def names_ticket(typed: str, number: str) -> bool:
    """Whether what was typed names the ticket numbered `number`: its id alone, or its whole
    number; a whole number with another date is no ticket (not the id's, whatever the date)."""
    date, _, _ = typed.strip().lstrip("#").rpartition("-")
    return not date or date == number.rpartition("-")[0]


@dataclass(frozen=True)
class Ticket:
    id: int
    number: str
    owner_user_id: int
    place: Place
    category: str
    trade: str
    urgency: str
    description: str
    visit_time: str
    coverage: str
    status: TicketStatus
    contractor_code: str | None
    engineer_user_id: int | None
    engineer_name: str | None
    filed_at: datetime
    taken_at: datetime | None
    accept_by: datetime | None
    on_site_by: datetime | None
    resolve_by: datetime | None
    language: str
    photo_count: int = 0
    plan_by: datetime | None = None
    visit_at: datetime | None = None
    visit_slots: tuple[datetime, ...] = ()
    paused_since: datetime | None = None
    proposed_resolve_by: datetime | None = None
    done_at: datetime | None = None
    done_note: str | None = None
    reopen_count: int = 0
    card_chat_id: int | None = None
    confirmed_at: datetime | None = None
    caused_by_rain: bool = False
    repeat_of: int | None = None
    repeat_count: int = 0
    unhappy_since: datetime | None = None
    unhappy_worst: bool = False
    quote: str | None = None
    quote_status: str | None = None
    surveyed_at: datetime | None = None
    plan_complex: bool = False
    plan_text: str | None = None
    plan_finish_by: datetime | None = None  # the expected finish the plan gives
    plan_at: datetime | None = None  # when the plan was submitted
    channel: str | None = None  # filed by staff: "phone" or "walk_in"
    filed_by: int | None = None  # the staff member who filed it on the owner's behalf
    contact_name: str | None = None  # an owner not in Telegram, whom the engineer calls
    contact_phone: str | None = None
    verified_at: datetime | None = None  # a public-area repair checked on site by customer service


@dataclass(frozen=True)
class TicketEvent:
    at: datetime
    kind: EventKind
    actor_user_id: int | None
    detail: dict[str, Any]  # as stored: JSON values
