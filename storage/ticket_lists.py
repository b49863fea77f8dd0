"""Lists of tickets a page at a time: filtered, counted and read in one query per page
(the page's rows with their units' numbers, photo counts and the count of all that match),
so a list costs the same with years of closed tickets behind it."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from domain.tickets import Ticket, TicketStatus
from storage.tables import TicketPhotoRow, TicketRow, UnitRow
from storage.ticket_rows import TicketReader, ticket_from_row


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
