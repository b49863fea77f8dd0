"""Lists of tickets a page at a time: filtered, counted and read in one query per page
(the page's rows with their units' numbers, photo counts and the count of all that match),
so a list costs the same with years of closed tickets behind it; and the whole lists and
counts the rest of the bot reads (an owner's last tickets, the repairs a new report may
repeat, a leaving engineer's jobs, the morning digest's figures, the health page's counts)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from domain.tickets import Ticket, TicketStatus
from storage.tables import TicketPhotoRow, TicketRow, UnitRow
from storage.ticket_rows import TicketReader, ticket_from_row
from storage.types import stored


@dataclass(frozen=True)
class TicketFilter:
    """Which tickets a list shows; what is None does not narrow it."""

    statuses: frozenset[TicketStatus] | None = None
    block: str | None = None
    contractor: str | None = None
    urgency: str | None = None
    owner_user_id: int | None = None
    engineer_user_id: int | None = None
    overdue_at: datetime | None = None  # past the resolve-by, or an untaken job past its take-by
    newest_first: bool = False


@dataclass(frozen=True)
class Page:
    tickets: list[Ticket]
    number: int  # from 0
    size: int
    total: int  # all the tickets that match, on every page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return (self.number + 1) * self.size < self.total


@dataclass(frozen=True)
class PastRepair:
    """A closed repair, as a new report at the same place may repeat it."""

    ticket_id: int
    number: str
    category: str
    unit_id: int | None
    block: str
    public_area: str | None
    fixed_at: datetime  # confirmed by the owner, else filed (closed by silence)
    repeat_count: int


class TicketLists(TicketReader):
    async def page(self, wanted: TicketFilter, number: int, size: int) -> Page:
        """Page `number` of the tickets `wanted`; the first page when it is past the end (a
        list that shrank since its buttons were drawn)."""
        order = col(TicketRow.id).desc() if wanted.newest_first else col(TicketRow.id)
        chosen = (
            select(col(TicketRow.id).label("id"), func.count().over().label("total"))
            .where(*_conditions(wanted))
            .order_by(order)
            .limit(size)
            .offset(max(number, 0) * size)
            .subquery("chosen")
        )
        photos = (
            select(func.count())
            .where(col(TicketPhotoRow.ticket_id) == col(TicketRow.id), col(TicketPhotoRow.stage) == "before")
            .correlate(TicketRow)
            .scalar_subquery()
        )
        query = (
            select(TicketRow, UnitRow.number, photos, chosen.c.total)
            .join(chosen, chosen.c.id == col(TicketRow.id))
            .outerjoin(UnitRow, col(UnitRow.id) == col(TicketRow.unit_id))
            .order_by(order)
            .execution_options(populate_existing=True)
        )
        rows = (await self.session.exec(query)).all()
        if not rows and number > 0:
            return await self.page(wanted, 0, size)
        tickets = [ticket_from_row(row, unit_number, photo_count) for row, unit_number, photo_count, _ in rows]
        return Page(tickets, max(number, 0) if rows else 0, size, rows[0][3] if rows else 0)

    async def of_owner(self, owner_user_id: int, limit: int = 20) -> list[Ticket]:
        query = (
            select(TicketRow.id)
            .where(TicketRow.owner_user_id == owner_user_id)
            .order_by(col(TicketRow.id).desc())
            .limit(limit)
        )
        return await self._all((await self.session.exec(query)).all())

    async def open_tickets(self, statuses, held_by: tuple[int, str] | None = None) -> list[Ticket]:
        """Tickets in `statuses`; with `held_by` (engineer, contractor), only his for that contractor."""
        query = select(TicketRow.id).where(col(TicketRow.status).in_(list(statuses))).order_by(col(TicketRow.id))
        if held_by is not None:
            query = query.where(TicketRow.engineer_user_id == held_by[0], TicketRow.contractor_code == held_by[1])
        return await self._all((await self.session.exec(query)).all())

    async def morning_figures(self, statuses, running, now: datetime, shown: int) -> tuple[int, int, list[Ticket]]:
        """For the morning digest: how many tickets are in `statuses`, how many of those in
        `running` are past their resolve-by, and the first `shown` of those, oldest first.
        Counted in the database: a large property has thousands open."""
        open_ = col(TicketRow.status).in_(list(statuses))
        late = and_(col(TicketRow.status).in_(list(running)), col(TicketRow.resolve_by) < now)
        counted = select(func.count(), func.count(case((late, 1))))
        total, overdue = (await self.session.exec(counted.where(open_))).one()
        first = select(TicketRow.id).where(late).order_by(col(TicketRow.id)).limit(shown)
        return total, overdue, await self._all((await self.session.exec(first)).all())

    async def count_by_status(self) -> dict[str, int]:
        query = select(TicketRow.status, func.count()).group_by(TicketRow.status)
        return dict((await self.session.exec(query)).all())

    async def count_repeats(self) -> int:
        return (await self.session.exec(select(func.count()).where(TicketRow.repeat_count > 0))).one()

    async def earlier_repairs(self, category: str, unit_id: int | None, block: str) -> list[PastRepair]:
        """Closed repairs of the same category at the same unit (or in the same block's
        public areas), newest first: the candidates for a repeat repair."""
        query = select(TicketRow).where(
            TicketRow.category == category,
            TicketRow.block == block,
            col(TicketRow.status).in_([TicketStatus.CLOSED, TicketStatus.CLOSED_BY_SILENCE]),
        )
        query = (
            query.where(TicketRow.unit_id == unit_id)
            if unit_id is not None
            else query.where(col(TicketRow.unit_id).is_(None))
        )
        rows = (await self.session.exec(query.order_by(col(TicketRow.id).desc()))).all()
        return [
            PastRepair(
                stored(row.id, "ticket.id"),
                stored(row.number, "ticket.number"),
                row.category,
                row.unit_id,
                row.block,
                row.public_area,
                row.confirmed_at or row.filed_at,
                row.repeat_count,
            )
            for row in rows
        ]


def _conditions(wanted: TicketFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.statuses is not None:
        conditions.append(col(TicketRow.status).in_(sorted(wanted.statuses)))
    for column, value in (
        (col(TicketRow.block), wanted.block),
        (col(TicketRow.contractor_code), wanted.contractor),
        (col(TicketRow.urgency), wanted.urgency),
        (col(TicketRow.owner_user_id), wanted.owner_user_id),
        (col(TicketRow.engineer_user_id), wanted.engineer_user_id),
    ):
        if value is not None:
            conditions.append(column == value)
    if wanted.overdue_at is not None:
        now = wanted.overdue_at
        conditions.append(
            or_(
                col(TicketRow.resolve_by) < now,
                and_(col(TicketRow.status) == TicketStatus.ASSIGNED, col(TicketRow.accept_by) < now),
            )
        )
    return conditions
