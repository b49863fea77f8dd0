"""Paid work (有偿服务, docs/rules.md): out of warranty, the engineer quotes after the
survey and the owner accepts or declines before any work starts; a price dispute goes to
the managers."""

from domain.job import Action, allowed_from
from domain.tickets import EventKind, Ticket
from domain.tickets import TicketStatus as S
from domain.warranty import Coverage
from services.context import Services
from storage.unit_of_work import UnitOfWork

ANSWERS = {
    "accept": ("accepted", EventKind.QUOTE_ACCEPTED),
    "decline": ("declined", EventKind.QUOTE_DECLINED),
    "dispute": ("disputed", EventKind.QUOTE_DISPUTED),
}


def needs_quote(ticket: Ticket) -> bool:
    return ticket.coverage == Coverage.PAID and ticket.place.unit_id is not None and ticket.quote_status != "accepted"


async def propose(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int, quote: str) -> Ticket | None:
    ticket = await uow.tickets.get(ticket_id)
    if (
        ticket is None
        or ticket.engineer_user_id != engineer_id
        or ticket.status is not S.ON_SITE
        or not needs_quote(ticket)
    ):
        return None
    await uow.tickets.change(ticket_id, quote=quote, quote_status="proposed")
    await uow.tickets.record(ticket_id, EventKind.QUOTED, services.clock.now(), engineer_id, quote=quote)
    return await uow.tickets.get(ticket_id)


async def answer(services: Services, uow: UnitOfWork, ticket_id: int, owner_id: int, choice: str) -> Ticket | None:
    """Accept lets the work start; decline ends the job with no charge; dispute asks a manager."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or ticket.owner_user_id != owner_id or ticket.quote_status != "proposed" or choice not in ANSWERS:
        return None
    status, event = ANSWERS[choice]
    now = services.clock.now()
    await uow.tickets.change(ticket_id, quote_status=status)
    await uow.tickets.record(ticket_id, event, now, owner_id, quote=ticket.quote)
    if choice == "decline":
        await uow.tickets.move(ticket_id, allowed_from(Action.CANCEL), S.CANCELLED)
    return await uow.tickets.get(ticket_id)
