"""The lists people page through: a manager's open and overdue jobs, the jobs an engineer
holds, an owner's requests; and one ticket's card with its history. Each page is read and
counted by the database (storage/ticket_lists.py), never by loading every ticket."""

from dataclasses import dataclass

from domain.job import DEADLINES_RUN, ENGINEER_HOLDS, OPEN
from domain.tickets import Ticket, TicketEvent
from services.context import Services
from storage.ticket_lists import Page, TicketFilter
from storage.unit_of_work import UnitOfWork

MANAGER_PAGE = 20
PERSONAL_PAGE = 10


@dataclass(frozen=True)
class OpenFilter:
    """What a manager narrowed /open to: block=, contractor=, urgency=."""

    block: str | None = None
    contractor: str | None = None
    urgency: str | None = None


@dataclass(frozen=True)
class TicketCard:
    ticket: Ticket
    history: list[TicketEvent]


async def open_jobs(uow: UnitOfWork, narrowed: OpenFilter, page: int) -> Page:
    wanted = TicketFilter(OPEN, narrowed.block, narrowed.contractor, narrowed.urgency)
    return await uow.tickets.page(wanted, page, MANAGER_PAGE)


async def overdue_jobs(services: Services, uow: UnitOfWork, page: int) -> Page:
    """Open jobs past their resolve-by, and jobs nobody has taken past their take-by."""
    wanted = TicketFilter(DEADLINES_RUN, overdue_at=services.clock.now())
    return await uow.tickets.page(wanted, page, MANAGER_PAGE)


async def held_jobs(uow: UnitOfWork, engineer_id: int, page: int) -> Page:
    """The jobs an engineer holds now, the oldest first."""
    return await uow.tickets.page(TicketFilter(ENGINEER_HOLDS, engineer_user_id=engineer_id), page, PERSONAL_PAGE)


async def owners_tickets(uow: UnitOfWork, owner_id: int, page: int) -> Page:
    """Every request the owner filed, the newest first."""
    return await uow.tickets.page(TicketFilter(owner_user_id=owner_id, newest_first=True), page, PERSONAL_PAGE)


async def ticket_card(uow: UnitOfWork, ticket_id: int, last_events: int | None = None) -> TicketCard | None:
    """A ticket with its history (only its last `last_events` events when given); None when
    nobody filed that ticket."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        return None
    return TicketCard(ticket, await uow.tickets.history(ticket_id, last_events))
