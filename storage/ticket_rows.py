"""Tickets read back as domain values: the rows, their units' numbers and their photo
counts in a few queries whatever the number of tickets, shared by the ticket repository
(storage/tickets.py), the clock's queries (storage/ticket_clock.py) and the lists
(storage/ticket_lists.py)."""

import json
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.tickets import Place, Ticket, TicketStatus
from storage.tables import TicketPhotoRow, TicketRow, UnitRow
from storage.types import stored


class TicketReader:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def _all(self, ids: Sequence[int | None]) -> list[Ticket]:
        """The tickets of `ids`, in that order, read in a few queries whatever their number
        (rows, their units' numbers, their photo counts), not a query per ticket."""
        wanted = [ticket_id for ticket_id in ids if ticket_id is not None]
        rows: dict[int, TicketRow] = {}
        for chunk in chunks(wanted):
            query = select(TicketRow).where(col(TicketRow.id).in_(chunk)).execution_options(populate_existing=True)
            rows |= {stored(row.id, "ticket.id"): row for row in (await self.session.exec(query)).all()}
        units = await self._unit_numbers({row.unit_id for row in rows.values() if row.unit_id is not None})
        photos = await self._photo_counts(list(rows))
        return [ticket_from_row(rows[i], _number_of(rows[i], units), photos.get(i, 0)) for i in wanted if i in rows]

    async def _unit_numbers(self, unit_ids: set[int]) -> dict[int, str]:
        numbers: dict[int, str] = {}
        for chunk in chunks(sorted(unit_ids)):
            query = select(UnitRow.id, UnitRow.number).where(col(UnitRow.id).in_(chunk))
            numbers |= {
                stored(unit_id, "unit.id"): number for unit_id, number in (await self.session.exec(query)).all()
            }
        return numbers

    async def _photo_counts(self, ticket_ids: list[int]) -> dict[int, int]:
        counts: dict[int, int] = {}
        for chunk in chunks(ticket_ids):
            query = (
                select(TicketPhotoRow.ticket_id, func.count())
                .where(col(TicketPhotoRow.ticket_id).in_(chunk), TicketPhotoRow.stage == "before")
                .group_by(col(TicketPhotoRow.ticket_id))
            )
            counts |= {int(ticket_id): int(count) for ticket_id, count in (await self.session.exec(query)).all()}
        return counts


def ticket_from_row(row: TicketRow, unit_number: str | None, photo_count: int) -> Ticket:
    return Ticket(
        id=stored(row.id, "ticket.id"),
        number=stored(row.number, "ticket.number"),
        owner_user_id=row.owner_user_id,
        place=Place(row.block, row.unit_id, unit_number, row.public_area),
        category=row.category,
        trade=row.trade,
        urgency=row.urgency,
        description=row.description,
        visit_time=row.visit_time,
        coverage=row.coverage,
        status=TicketStatus(row.status),
        contractor_code=row.contractor_code,
        engineer_user_id=row.engineer_user_id,
        engineer_name=row.engineer_name,
        filed_at=row.filed_at,
        taken_at=row.taken_at,
        accept_by=row.accept_by,
        on_site_by=row.on_site_by,
        resolve_by=row.resolve_by,
        language=row.language,
        photo_count=photo_count,
        plan_by=row.plan_by,
        visit_at=row.visit_at,
        visit_slots=tuple(datetime.fromisoformat(slot) for slot in json.loads(row.visit_slots)),
        paused_since=row.paused_since,
        proposed_resolve_by=row.proposed_resolve_by,
        done_at=row.done_at,
        done_note=row.done_note,
        reopen_count=row.reopen_count,
        card_chat_id=row.card_chat_id,
        confirmed_at=row.confirmed_at,
        caused_by_rain=row.caused_by_rain,
        repeat_of=row.repeat_of,
        repeat_count=row.repeat_count,
        unhappy_since=row.unhappy_since,
        unhappy_worst=row.unhappy_worst,
        quote=row.quote,
        quote_status=row.quote_status,
        surveyed_at=row.surveyed_at,
        plan_complex=row.plan_complex,
        plan_text=row.plan_text,
        plan_finish_by=row.plan_finish_by,
        plan_at=row.plan_at,
        channel=row.channel,
        filed_by=row.filed_by,
        contact_name=row.contact_name,
        contact_phone=row.contact_phone,
        verified_at=row.verified_at,
    )


def _number_of(row: TicketRow, units: dict[int, str]) -> str | None:
    return None if row.unit_id is None else units.get(row.unit_id)


def chunks(ids: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    """Lists for SQL's IN, small enough for any database's limit on parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]
