"""What the clock reads of the tickets: only those whose next_due_at has come, a bounded
batch at a time, oldest first (clock/scheduler.py), so a sweep costs what is due, not
what the years of history hold.

next_due_at is computed by domain/escalation.py next_due_at from the ticket and the notices
already sent. Every write to a ticket (storage/tickets.py) sets it to NEEDS_A_LOOK, earlier
than any real moment, and bumps due_version: the next sweep reads the changed ticket first
and computes its moment afresh, and a moment computed from a state that changed meanwhile
is never written over the change (set_next_due_all compares the version)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, bindparam, or_
from sqlmodel import col, select

from domain.tickets import Ticket
from storage.tables import NoticeRow, TicketRow
from storage.ticket_rows import TicketReader, chunks
from storage.types import stored

NEEDS_A_LOOK = datetime(2000, 1, 1, tzinfo=UTC)


def look_again() -> dict[str, Any]:
    """The values that go with every change to a ticket: the clock looks at it again."""
    return {"next_due_at": NEEDS_A_LOOK, "due_version": col(TicketRow.due_version) + 1}


class DueTickets(TicketReader):
    async def due(self, now: datetime, after: tuple[datetime, int] | None, limit: int) -> list[tuple[datetime, int]]:
        """(next_due_at, id) of up to `limit` tickets due by `now`, oldest first, after `after`."""
        moment = col(TicketRow.next_due_at)
        query = select(moment, col(TicketRow.id)).where(moment <= now)
        if after is not None:
            query = query.where(and_(moment >= after[0], or_(moment > after[0], col(TicketRow.id) > after[1])))
        query = query.order_by(moment, col(TicketRow.id)).limit(limit)
        rows = (await self.session.exec(query)).all()
        return [(stored(moment, "ticket.next_due_at"), stored(ticket_id, "ticket.id")) for moment, ticket_id in rows]

    async def due_state(self, ids: list[int]) -> list[tuple[Ticket, int, frozenset[str]]]:
        """Each ticket with its due_version and the keys of the notices sent for it. The
        versions are read first: a change that lands between the reads makes the version
        stale, never the ticket, so set_next_due_all refuses rather than writes a stale moment."""
        versions: dict[int, int] = {}
        noted: dict[int, set[str]] = {}
        for chunk in chunks(ids):
            query = select(TicketRow.id, TicketRow.due_version).where(col(TicketRow.id).in_(chunk))
            rows = (await self.session.exec(query)).all()
            versions |= {stored(ticket_id, "ticket.id"): version for ticket_id, version in rows}
        tickets = await self._all(ids)
        for chunk in chunks(ids):
            keys = select(NoticeRow.ticket_id, NoticeRow.key).where(col(NoticeRow.ticket_id).in_(chunk))
            for ticket_id, key in (await self.session.exec(keys)).all():
                noted.setdefault(ticket_id, set()).add(key)
        return [(t, versions[t.id], frozenset(noted.get(t.id, ()))) for t in tickets if t.id in versions]

    async def set_next_due_all(self, moments: list[tuple[int, int, datetime | None]]) -> None:
        """Write each (ticket id, version, moment) unless the ticket changed since `version`
        was read, all in one round trip: a batch of the clock writes its moments at once."""
        if not moments:
            return
        table = TicketRow.__table__  # type: ignore[attr-defined]
        statement = (
            table.update()
            .where(table.c.id == bindparam("ticket_id"), table.c.due_version == bindparam("version"))
            .values(next_due_at=bindparam("moment"))
        )
        connection = await self.session.connection()
        await connection.execute(statement, [{"ticket_id": i, "version": v, "moment": m} for i, v, m in moments])
