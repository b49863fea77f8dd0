"""The front desk: finding the owner a report is for, and checking finished public-area
repairs on site (docs/rules.md, Staff intake). Filing itself is services/intake.py's
`file_ticket`, the same as an owner's own report, so routing, warranty, the card, the
deadlines and the clock cannot differ."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.front_desk import unit_reference, unit_spellings
from domain.job import Action, allowed_from
from domain.phones import normalize_phone
from domain.public_areas import awaits_verification
from domain.tickets import EventKind, Ticket, TicketStatus
from domain.units import Unit
from services.context import Services
from services.deadlines import reopened_deadlines
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Account:
    user_id: int
    name: str


@dataclass(frozen=True)
class FoundOwner:
    """The unit a report is for and who could be its owner."""

    unit: Unit
    accounts: list[Account]  # owners of the unit bound in Telegram (by phone: the one with that phone)
    name: str | None = None  # found by phone in the roster: the owner's name …
    phone: str | None = None  # … and the phone, for an owner not in Telegram


async def find_owner(services: Services, uow: UnitOfWork, text: str, block_codes: Iterable[str]) -> FoundOwner | None:
    """By block and unit ("A 1203") or by the owner's phone; None when neither is known."""
    reference = unit_reference(text, block_codes)
    if reference is not None:
        block, number = reference
        for spelling in unit_spellings(number):
            unit = await uow.owners.unit(block, spelling)
            if unit is not None:
                rows = await uow.owners.accounts_of_unit(unit.id)
                return FoundOwner(unit, [Account(row.telegram_user_id, row.name) for row in rows])
    phone = normalize_phone(text, services.phone_region)
    if phone is None:
        return None
    listed = await uow.owners.units_for_phone(phone)
    if not listed:
        return None
    unit, name, _language = listed[0]
    rows = await uow.owners.accounts_of_unit(unit.id)
    accounts = [Account(row.telegram_user_id, row.name) for row in rows if row.phone == phone]
    return FoundOwner(unit, accounts, name, phone)


def phone_of(services: Services, text: str) -> str | None:
    return normalize_phone(text, services.phone_region)


async def put_on_roster(uow: UnitOfWork, unit_id: int, name: str, phone: str) -> None:
    """An owner met at the desk goes onto the roster: sharing that phone later binds them."""
    await uow.owners.add_resident(unit_id, name, phone)


class Check(StrEnum):
    VERIFIED = "verified"
    REOPENED = "reopened"  # not fixed: back to the engineer, deadlines from now
    NOT_FIXED_CLOSED = "not_fixed_closed"  # not fixed, but the ticket is closed: a new report is needed
    NOT_NOW = "not_now"  # checked already, reopened since, or not a public area


@dataclass(frozen=True)
class Checked:
    outcome: Check
    ticket: Ticket | None


async def verify(services: Services, uow: UnitOfWork, ticket_id: int, staff_id: int, fixed: bool) -> Checked:
    """Customer service checked a finished public-area repair on site. Verified closes a
    ticket customer service filed itself (nobody else is asked whether it is fixed)."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or not awaits_verification(ticket):
        return Checked(Check.NOT_NOW, ticket)
    now = services.clock.now()
    if not fixed and ticket.status is TicketStatus.DONE:
        return await _reopen(services, uow, ticket, staff_id)
    await uow.tickets.change(ticket_id, verified_at=now, verified_by=staff_id)
    kind = EventKind.VERIFIED if fixed else EventKind.NOT_VERIFIED
    await uow.tickets.record(ticket_id, kind, now, staff_id)
    if fixed and ticket.status is TicketStatus.DONE and ticket.filed_by == ticket.owner_user_id:
        # the VERIFIED event above is the history's line: nobody "confirmed" as an owner
        await uow.tickets.move(ticket_id, allowed_from(Action.CONFIRM_FIXED), TicketStatus.CLOSED, confirmed_at=now)
    outcome = Check.VERIFIED if fixed else Check.NOT_FIXED_CLOSED
    return Checked(outcome, await uow.tickets.get(ticket_id))


async def _reopen(services: Services, uow: UnitOfWork, ticket: Ticket, staff_id: int) -> Checked:
    """Back to the same engineer, like an owner's "not fixed": the redo's deadlines count from now."""
    now = services.clock.now()
    fresh = reopened_deadlines(services, ticket, now)
    moved = await uow.tickets.move(
        ticket.id,
        allowed_from(Action.REPORT_NOT_FIXED),
        TicketStatus.TAKEN,
        reopen_count=ticket.reopen_count + 1,
        done_at=None,
        visit_at=None,
        visit_slots=[],
        on_site_by=fresh.on_site_by,
        resolve_by=fresh.resolve_by,
        plan_by=fresh.plan_by,
    )
    if not moved:
        return Checked(Check.NOT_NOW, ticket)
    await uow.tickets.record(ticket.id, EventKind.NOT_VERIFIED, now, staff_id)
    return Checked(Check.REOPENED, await uow.tickets.get(ticket.id))
