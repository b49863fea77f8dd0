"""The ticket as it stands now, for a step that already knows the ticket exists.

`uow.tickets.get` answers None for an id nobody filed (a typed number, a stale button);
a use case that has just moved a ticket, or follows a callback or notice that points at
one, reads it back with `current_ticket` instead: tickets are never deleted, so a missing
one here is a broken database, not a person's mistake, and fails loudly.
"""

from domain.tickets import Ticket
from storage.unit_of_work import UnitOfWork


class TicketGone(LookupError):
    def __init__(self, ticket_id: int):
        super().__init__(f"ticket {ticket_id} is not in the database")
        self.ticket_id = ticket_id


async def current_ticket(uow: UnitOfWork, ticket_id: int) -> Ticket:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        raise TicketGone(ticket_id)
    return ticket
