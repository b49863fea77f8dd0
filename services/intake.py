"""Filing a report: the draft the conversation collected becomes a ticket with its
deadlines, warranty verdict, evidence and one responsible contractor."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy.exc import IntegrityError

from domain.categories import EMERGENCY, Category, Urgency, category_by_code
from domain.deadlines import deadlines_for
from domain.emergencies import WARRANTY_PARTS, emergency_of
from domain.repeats import EarlierRepair, find_repeat
from domain.routing import route
from domain.tickets import EventKind, Place, Ticket, TicketStatus
from domain.units import Unit
from domain.warranty import WarrantyVerdict, warranty_for
from services.callbacks import record_if_recurring
from services.context import Services
from services.current import current_ticket
from services.evidence import StoredPhoto
from services.log_context import about_ticket
from storage.tickets import Evidence, NewTicket
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

Queue = Callable[[UnitOfWork, Ticket], Awaitable[None]]  # queues messages in the caller's transaction


@dataclass
class Draft:
    """What the report conversation has collected so far (kept in the FSM data)."""

    category: str | None = None
    unit_id: int | None = None
    block: str | None = None
    public_area: str | None = None
    description: str | None = None
    photos: list[dict[str, Any]] = field(default_factory=list)  # StoredPhoto.as_data(), in the order sent
    photos_done: bool = False  # the owner has finished sending photos (or said there are none)
    visit_time: str | None = None
    said_repeat_of: int | None = None  # the owner says this happened before (that ticket)
    emergency: str | None = None  # an EmergencyKind: no photo, no visit time, filed once the place is known
    key: str = field(default_factory=lambda: uuid4().hex)  # made when the report starts; filed once
    channel: str | None = None  # customer service filed it: "phone" or "walk_in" (domain/public_areas.py)
    filed_by: int | None = None  # ... and who
    contact_name: str | None = None  # an owner not in Telegram: whom the engineer calls
    contact_phone: str | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Draft":
        draft = cls(**{k: v for k, v in data.get("draft", {}).items() if k in cls.__dataclass_fields__})
        # a draft saved before photos were stored on arrival holds bare file ids
        draft.photos = [p if isinstance(p, dict) else {"file_id": p} for p in draft.photos]
        return draft

    def make_emergency(self, kind: str) -> None:
        """An emergency skips every optional step: no photo, no visit time (docs/rules.md)."""
        self.category, self.emergency = EMERGENCY, kind
        self.photos_done, self.visit_time = True, "asap"

    def has_photo(self, unique_id: str) -> bool:
        return any(photo.get("unique_id") == unique_id for photo in self.photos)

    def as_data(self) -> dict[str, Any]:
        return {"draft": self.__dict__.copy()}

    def missing(self) -> str | None:
        """The first step still to be done, or None when the draft can be filed."""
        if self.category is None:
            return "category"
        if self.block is None:
            return "place"
        if self.unit_id is None and not self.public_area:
            return "public_area"
        if not self.description:
            return "description"
        if self.emergency:  # nothing optional is asked while gas leaks or water floods
            return None
        if not self.photos_done or (category_by_code(self.category).photo_required and not self.photos):
            return "photos"
        if self.visit_time is None:
            return "visit_time"
        return None


@dataclass(frozen=True)
class _Complete:
    """The parts of a finished draft a ticket cannot be filed without."""

    category: Category
    block: str
    description: str
    visit_time: str


def _complete(draft: Draft) -> _Complete:
    """The summary, and so Confirm, is only shown once `Draft.missing` finds nothing missing."""
    visit_time = "asap" if draft.emergency else draft.visit_time
    if draft.category is None or draft.block is None or draft.description is None or visit_time is None:
        raise ValueError(f"report {draft.key} is not finished: {draft.missing()} is missing")
    return _Complete(category_by_code(draft.category), draft.block, draft.description, visit_time)


async def _unit(uow: UnitOfWork, unit_id: int) -> Unit:
    # filing asks for the unit up to three times (warranty, repeat, place): the unit of
    # work reads it once
    unit = await uow.owners.unit_by_id(unit_id)
    if unit is None:  # units are only ever added, and a draft picks one of them
        raise LookupError(f"unit {unit_id} is not in the database")
    return unit


async def warranty_of(
    services: Services, uow: UnitOfWork, draft: Draft, today: date, block_handover: date | None
) -> WarrantyVerdict:
    if draft.category is None:
        raise ValueError(f"report {draft.key} has no category yet")
    category = category_by_code(draft.category)
    if draft.emergency:  # the part the emergency is in, not the emergency category's own
        category = replace(category, warranty_part=WARRANTY_PARTS[emergency_of(draft.emergency).kind])
    if draft.unit_id is None:
        return warranty_for(category, block_handover, today, services.policy, public_area=True)
    unit = await _unit(uow, draft.unit_id)
    return warranty_for(category, unit.handover_date, today, services.policy, public_area=False)


async def file_ticket(
    services: Services,
    uow: UnitOfWork,
    owner_user_id: int,
    draft: Draft,
    language: str,
    block_handover: date | None,
    dispatch: Queue,
    answer: Queue,
) -> Ticket:
    """File the report as a ticket, once. The ticket, its photos, its history, its card and
    the owner's answer are written in one transaction, so there is never a ticket nobody
    was told about; filing the same draft again (a second tap, a redelivered update, a
    restart before the conversation moved on) returns the ticket it was filed as."""
    earlier = await uow.tickets.filed_from(draft.key)
    if earlier is not None:
        about_ticket(earlier.number)
        return earlier
    try:
        ticket = await _new_ticket(services, uow, owner_user_id, draft, language, block_handover)
        about_ticket(ticket.number)
        await dispatch(uow, ticket)
        await answer(uow, ticket)
        await uow.commit()
        log.info("ticket filed: category=%s contractor=%s", ticket.category, ticket.contractor_code)
    except IntegrityError:  # the same draft filed at the same moment elsewhere: that one stands
        await uow.rollback()
        filed = await uow.tickets.filed_from(draft.key)
        if filed is None:
            raise
        return filed
    return ticket


async def _new_ticket(
    services: Services, uow: UnitOfWork, owner_user_id: int, draft: Draft, language: str, block_handover: date | None
) -> Ticket:
    now = services.clock.now()
    report = _complete(draft)
    category = report.category
    verdict = await warranty_of(services, uow, draft, now.astimezone(services.tz).date(), block_handover)
    deadlines = deadlines_for(category, now, services.policy, services.tz, services.calendar)
    referral = category.urgency is Urgency.REFERRAL
    trade = emergency_of(draft.emergency).trade if draft.emergency else category.trade
    contractor = None if referral else route(trade, report.block, services.contractors)
    repeat = None if referral or draft.emergency else await _repeat_of(services, uow, draft, now, block_handover)
    unit = await _unit(uow, draft.unit_id) if draft.unit_id else None
    ticket = await uow.tickets.add(
        NewTicket(
            owner_user_id=owner_user_id,
            place=Place(report.block, draft.unit_id, unit.number if unit else None, draft.public_area),
            category=category.code,
            trade=trade,
            urgency=category.urgency,
            description=report.description,
            visit_time=report.visit_time,
            coverage=verdict.coverage,
            status=TicketStatus.AWAITING_VISIT if repeat else _first_status(referral, contractor),
            contractor_code=contractor,
            language=language,
            filed_at=now,
            accept_by=deadlines.accept_by,
            on_site_by=deadlines.on_site_by,
            resolve_by=deadlines.resolve_by,
            plan_by=deadlines.plan_by,
            intake_key=draft.key,
            channel=draft.channel,
            filed_by=draft.filed_by,
            contact_name=draft.contact_name,
            contact_phone=draft.contact_phone,
        ),
        now.astimezone(services.tz),
    )
    if draft.filed_by is None:
        await uow.tickets.record(ticket.id, EventKind.FILED, now, owner_user_id)
    else:  # the history says who took the report and how it came in
        await uow.tickets.record(ticket.id, EventKind.FILED, now, draft.filed_by, channel=draft.channel)
    if repeat:
        await uow.tickets.change(ticket.id, repeat_of=repeat.ticket_id, repeat_count=repeat.times)
        await uow.tickets.record(ticket.id, EventKind.REPEAT, now, earlier=repeat.number)
        await record_if_recurring(uow, ticket.id, repeat.times + 1, now)
    await _record_routing(uow, ticket, now)
    for photo in draft.photos:
        await uow.tickets.add_photo(ticket.id, "before", _evidence(photo), now)
    if repeat:  # the row changed after it was written: read it back
        return await current_ticket(uow, ticket.id)
    return replace(ticket, photo_count=len(draft.photos))


def _evidence(photo: dict[str, Any]) -> Evidence:
    if photo.get("path"):
        return StoredPhoto.from_data(photo).evidence()
    return Evidence(photo["file_id"], None, None, None, None)  # a draft from before the evidence store


@dataclass(frozen=True)
class Repeat:
    ticket_id: int
    number: str
    times: int  # how many times this was repaired before


async def earlier_at_place(uow: UnitOfWork, owner_id: int, draft: Draft) -> list[Ticket]:
    """The owner's closed repairs at the draft's place, newest first: what "this happened
    before" can point to."""
    tickets = await uow.tickets.of_owner(owner_id, limit=50)
    return [
        t
        for t in tickets
        if t.status in (TicketStatus.CLOSED, TicketStatus.CLOSED_BY_SILENCE)
        and t.place.block == draft.block
        and t.place.unit_id == draft.unit_id
    ]


async def _repeat_of(
    services: Services, uow: UnitOfWork, draft: Draft, now: datetime, block_handover: date | None
) -> Repeat | None:
    """The same place, the same problem, within the warranty of an earlier repair (docs/rules.md) — or
    whatever earlier repair the owner says this is, since the owner saying so is enough."""
    if draft.said_repeat_of is not None:
        said = await uow.tickets.get(draft.said_repeat_of)
        if said is not None and said.place.unit_id == draft.unit_id and said.place.block == draft.block:
            return Repeat(said.id, said.number, said.repeat_count + 1)
    report = _complete(draft)
    category = report.category
    rows = await uow.tickets.earlier_repairs(category.code, draft.unit_id, report.block)
    if not rows:
        return None
    handover = block_handover
    if draft.unit_id is not None:
        handover = (await _unit(uow, draft.unit_id)).handover_date
    today = now.astimezone(services.tz).date()
    earlier = [
        EarlierRepair(
            row.ticket_id,
            row.number,
            row.category,
            row.unit_id,
            row.block,
            row.public_area,
            row.fixed_at.astimezone(services.tz).date(),
            warranty_for(category, handover, today, services.policy, row.unit_id is None).ends_on,
        )
        for row in rows
    ]
    match = find_repeat(earlier, category.code, draft.unit_id, report.block, draft.public_area, today)
    if match is None:
        return None
    times = next(row.repeat_count for row in rows if row.ticket_id == match.ticket_id) + 1
    return Repeat(match.ticket_id, match.number, times)


def _first_status(referral: bool, contractor: str | None) -> TicketStatus:
    if referral:
        return TicketStatus.REFERRED
    return TicketStatus.ASSIGNED if contractor else TicketStatus.UNASSIGNED


async def _record_routing(uow: UnitOfWork, ticket: Ticket, now: datetime) -> None:
    if ticket.status in (TicketStatus.ASSIGNED, TicketStatus.AWAITING_VISIT) and ticket.contractor_code:
        await uow.tickets.record(ticket.id, EventKind.ASSIGNED, now, contractor=ticket.contractor_code)
    elif ticket.status is TicketStatus.UNASSIGNED:
        await uow.tickets.record(ticket.id, EventKind.UNASSIGNED, now)
    else:
        await uow.tickets.record(ticket.id, EventKind.REFERRED, now)
