"""The history the reports read: one query per section, never one per ticket."""

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import and_, exists, func, or_, select, type_coerce
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.tickets import EventKind
from storage.long_reads import in_parts
from storage.tables import (
    CallbackRow,
    ComplaintRow,
    RatingRow,
    TicketEventRow,
    TicketRow,
    UnitBindingRow,
    UnitRow,
)
from storage.types import UTCDateTime

OPEN_COMPLAINT = ("open", "handling", "proposed")
OVERALL = "overall"  # the rating dimension the overall satisfaction rate counts
Q = TypeVar("Q", bound="Select[*tuple[Any, ...]]")


@dataclass(frozen=True)
class TicketFacts:
    id: int
    number: str
    block: str
    unit: str | None
    category: str
    contractor: str | None
    status: str
    filed_at: datetime
    taken_at: datetime | None
    accept_by: datetime | None
    arrived_at: datetime | None
    on_site_by: datetime | None
    done_at: datetime | None
    resolve_by: datetime | None
    reopened: int
    came_back: bool
    repeat: bool
    quote: str | None
    quote_status: str | None


def _event_at(kind: EventKind) -> ColumnElement[datetime]:
    event = aliased(TicketEventRow)
    first = select(func.min(col(event.at))).where(
        col(event.ticket_id) == col(TicketRow.id), col(event.kind) == kind.value
    )
    return type_coerce(first.scalar_subquery(), UTCDateTime)  # read back as the column is


def _scoped(query: Q, block: str | None, contractor: str | None) -> Q:
    if block:
        query = query.where(col(TicketRow.block) == block)
    if contractor:
        query = query.where(col(TicketRow.contractor_code) == contractor)
    return query


async def tickets(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    block: str | None = None,
    contractor: str | None = None,
    by_done: bool = False,
) -> list[TicketFacts]:
    """Tickets filed in the window (or, for settlement, finished in it), with their first
    arrival on site and whether a callback found the problem back."""
    moment = col(TicketRow.done_at) if by_done else col(TicketRow.filed_at)
    came_back = aliased(TicketEventRow)
    query = (
        select(
            col(TicketRow.id),
            col(TicketRow.number),
            col(TicketRow.block),
            col(UnitRow.number),
            col(TicketRow.category),
            col(TicketRow.contractor_code),
            col(TicketRow.status),
            col(TicketRow.filed_at),
            col(TicketRow.taken_at),
            col(TicketRow.accept_by),
            _event_at(EventKind.ARRIVED),
            col(TicketRow.on_site_by),
            col(TicketRow.done_at),
            col(TicketRow.resolve_by),
            col(TicketRow.reopen_count),
            exists().where(
                col(came_back.ticket_id) == col(TicketRow.id), col(came_back.kind) == EventKind.CAME_BACK.value
            ),
            col(TicketRow.repeat_of).is_not(None),
            col(TicketRow.quote),
            col(TicketRow.quote_status),
        )
        .outerjoin(UnitRow, col(UnitRow.id) == col(TicketRow.unit_id))
        .where(moment >= start, moment < end, col(TicketRow.status) != "cancelled")
        .order_by(col(TicketRow.id))
    )
    return await in_parts(session, _scoped(query, block, contractor), lambda row: _ticket_facts(*row))


TICKET_FIELDS = tuple(field.name for field in fields(TicketFacts))


def _ticket_facts(*row: Any) -> TicketFacts:
    values = list(row)
    values[15], values[16] = bool(values[15]), bool(values[16])  # SQLite answers 0 or 1
    return TicketFacts(**dict(zip(TICKET_FIELDS, values, strict=True)))


@dataclass(frozen=True)
class RatingFacts:
    dimension: str
    score: int
    answered_at: datetime
    contractor: str | None


async def ratings(
    session: AsyncSession, start: datetime, end: datetime, block: str | None = None, contractor: str | None = None
) -> list[RatingFacts]:
    query = (
        select(
            col(RatingRow.dimension), col(RatingRow.score), col(CallbackRow.answered_at), col(TicketRow.contractor_code)
        )
        .join(CallbackRow, col(CallbackRow.id) == col(RatingRow.callback_id))
        .join(TicketRow, col(TicketRow.id) == col(CallbackRow.ticket_id))
        .where(col(CallbackRow.answered_at) >= start, col(CallbackRow.answered_at) < end)
    )
    return await in_parts(session, _scoped(query, block, contractor), lambda row: RatingFacts(*row))


@dataclass(frozen=True)
class CallbackFacts:
    id: int
    ticket_id: int
    number: str
    unit: str | None
    block: str
    category: str
    contractor: str | None
    status: str
    asked_at: datetime | None
    answered_at: datetime | None
    still_fixed: bool | None
    comment: str | None
    overall: int | None  # the overall rating, 1 = best


async def callbacks(
    session: AsyncSession, start: datetime, end: datetime, block: str | None = None, contractor: str | None = None
) -> list[CallbackFacts]:
    """Callbacks asked in the window, with their overall rating if they were answered."""
    query = (
        select(
            col(CallbackRow.id),
            col(CallbackRow.ticket_id),
            col(TicketRow.number),
            col(UnitRow.number),
            col(TicketRow.block),
            col(TicketRow.category),
            col(TicketRow.contractor_code),
            col(CallbackRow.status),
            col(CallbackRow.asked_at),
            col(CallbackRow.answered_at),
            col(CallbackRow.still_fixed),
            col(CallbackRow.comment),
            col(RatingRow.score),
        )
        .join(TicketRow, col(TicketRow.id) == col(CallbackRow.ticket_id))
        .outerjoin(UnitRow, col(UnitRow.id) == col(TicketRow.unit_id))
        .outerjoin(
            RatingRow, and_(col(RatingRow.callback_id) == col(CallbackRow.id), col(RatingRow.dimension) == OVERALL)
        )
        .where(col(CallbackRow.asked_at) >= start, col(CallbackRow.asked_at) < end)
        .order_by(col(CallbackRow.id))
    )
    return await in_parts(session, _scoped(query, block, contractor), lambda row: CallbackFacts(*row))


async def events(
    session: AsyncSession, ticket_ids: Sequence[int], kinds: Sequence[EventKind]
) -> list[tuple[int, datetime, str]]:
    """(ticket id, when, kind) of the given kinds, for a set of tickets, in order."""
    if not ticket_ids:
        return []
    query = (
        select(col(TicketEventRow.ticket_id), col(TicketEventRow.at), col(TicketEventRow.kind))
        .where(col(TicketEventRow.ticket_id).in_(ticket_ids), col(TicketEventRow.kind).in_([k.value for k in kinds]))
        .order_by(col(TicketEventRow.at), col(TicketEventRow.id))
    )
    return await in_parts(session, query, tuple)


@dataclass(frozen=True)
class ComplaintFacts:
    number: str
    owner_user_id: int
    topic: str
    severity: str
    status: str
    filed_at: datetime
    handled_at: datetime | None
    resolve_by: datetime
    closed_at: datetime | None
    callback_answer: str | None
    solution: str | None


async def complaints(
    session: AsyncSession, start: datetime, end: datetime, block: str | None = None
) -> list[ComplaintFacts]:
    """Complaints filed in the window, and older ones still open at its end."""
    query = (
        select(
            col(ComplaintRow.number),
            col(ComplaintRow.owner_user_id),
            col(ComplaintRow.topic),
            col(ComplaintRow.severity),
            col(ComplaintRow.status),
            col(ComplaintRow.filed_at),
            col(ComplaintRow.handled_at),
            col(ComplaintRow.resolve_by),
            col(ComplaintRow.closed_at),
            col(ComplaintRow.callback_answer),
            col(ComplaintRow.solution),
        )
        .where(
            col(ComplaintRow.filed_at) < end,
            or_(col(ComplaintRow.filed_at) >= start, col(ComplaintRow.status).in_(OPEN_COMPLAINT)),
        )
        .order_by(col(ComplaintRow.filed_at))
    )
    if block:
        lives_there = (
            select(col(UnitBindingRow.telegram_user_id))
            .join(UnitRow, col(UnitRow.id) == col(UnitBindingRow.unit_id))
            .where(col(UnitRow.block) == block)
        )
        query = query.where(col(ComplaintRow.owner_user_id).in_(lives_there))
    return await in_parts(session, query, lambda row: ComplaintFacts(*row))
