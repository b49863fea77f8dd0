"""Work records (domain/work_record.py): one per round of a repair, with its materials.

Money is kept in fen (whole numbers), quantities as the decimal text the engineer wrote:
exact on every database."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.work_record import Material, WorkRecord
from storage.tables import TicketRow, WorkMaterialRow, WorkRecordRow

FEN = Decimal(100)


def to_fen(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * FEN).to_integral_value())


def from_fen(fen: int | None) -> Decimal | None:
    return None if fen is None else Decimal(fen) / FEN


@dataclass(frozen=True)
class StoredRecord:
    ticket_id: int
    round: int
    recorded_at: datetime
    engineer_user_id: int | None
    record: WorkRecord


class WorkRecordRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, ticket_id: int, round_: int, record: WorkRecord, engineer_id: int, now: datetime) -> bool:
        """Keep the record of this round; False when the round has one already (a retry)."""
        existing = await self.session.exec(
            select(WorkRecordRow.id).where(WorkRecordRow.ticket_id == ticket_id, WorkRecordRow.round == round_)
        )
        if existing.first() is not None:
            return False
        row = WorkRecordRow(
            ticket_id=ticket_id,
            round=round_,
            engineer_user_id=engineer_id,
            fault_code=record.fault_code,
            fault=record.fault,
            paid=record.paid,
            quoted_fen=to_fen(record.quoted),
            collected_fen=to_fen(record.collected),
            collected_reason=record.reason or None,
            recorded_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        assert row.id is not None  # given by the flush
        for position, material in enumerate(record.materials, start=1):
            self.session.add(
                WorkMaterialRow(
                    record_id=row.id,
                    position=position,
                    name=material.name,
                    quantity=f"{material.quantity.normalize():f}",
                    unit=material.unit,
                    cost_fen=to_fen(material.cost) or 0,
                )
            )
        return True

    async def latest(self, ticket_id: int) -> StoredRecord | None:
        """The record of the ticket's last round."""
        query = (
            select(WorkRecordRow)
            .where(WorkRecordRow.ticket_id == ticket_id)
            .order_by(col(WorkRecordRow.round).desc())
            .limit(1)
        )
        row = (await self.session.exec(query)).first()
        return None if row is None else await self._stored(row)

    async def all_of(self, ticket_id: int) -> list[StoredRecord]:
        """Every round's record, the first first."""
        query = select(WorkRecordRow).where(WorkRecordRow.ticket_id == ticket_id).order_by(col(WorkRecordRow.round))
        return [await self._stored(row) for row in (await self.session.exec(query)).all()]

    async def of_tickets(self, ticket_ids: list[int]) -> list[StoredRecord]:
        """The records of these tickets, by ticket and round."""
        query = (
            select(WorkRecordRow)
            .where(col(WorkRecordRow.ticket_id).in_(ticket_ids))
            .order_by(col(WorkRecordRow.ticket_id), col(WorkRecordRow.round))
        )
        return [await self._stored(row) for row in (await self.session.exec(query)).all()]

    async def _stored(self, row: WorkRecordRow) -> StoredRecord:
        materials = await self.session.exec(
            select(WorkMaterialRow).where(WorkMaterialRow.record_id == row.id).order_by(col(WorkMaterialRow.position))
        )
        record = WorkRecord(
            fault=row.fault,
            fault_code=row.fault_code,
            materials=tuple(_material(m) for m in materials.all()),
            paid=row.paid,
            quoted=from_fen(row.quoted_fen),
            collected=from_fen(row.collected_fen),
            reason=row.collected_reason or "",
        )
        return StoredRecord(row.ticket_id, row.round, row.recorded_at, row.engineer_user_id, record)

    async def period(self, since: datetime, until: datetime) -> dict[str, list[dict[str, Any]]]:
        """The records and materials of the tickets filed in [since, until), for the archive."""
        filed = select(TicketRow.id).where(col(TicketRow.filed_at) >= since, col(TicketRow.filed_at) < until)
        records = (
            await self.session.exec(
                select(WorkRecordRow, TicketRow.number)
                .join(TicketRow, col(TicketRow.id) == col(WorkRecordRow.ticket_id))
                .where(col(WorkRecordRow.ticket_id).in_(filed))
                .order_by(col(WorkRecordRow.ticket_id), col(WorkRecordRow.round))
            )
        ).all()
        numbers = {row.id: (number, row.round) for row, number in records}
        materials = await self.session.exec(
            select(WorkMaterialRow)
            .where(col(WorkMaterialRow.record_id).in_(list(numbers)))
            .order_by(col(WorkMaterialRow.record_id), col(WorkMaterialRow.position))
        )
        return {
            "work_records": [_record_columns(row, number) for row, number in records],
            "materials": [_material_columns(m, *numbers[m.record_id]) for m in materials.all()],
        }


def _material(row: WorkMaterialRow) -> Material:
    return Material(row.name, Decimal(row.quantity), row.unit, from_fen(row.cost_fen) or Decimal(0))


def _yuan(fen: int | None) -> float | None:
    return None if fen is None else fen / 100


def _record_columns(row: WorkRecordRow, number: str | None) -> dict[str, Any]:
    return {
        "ticket": number,
        "round": row.round,
        "recorded_at": row.recorded_at,
        "engineer_user_id": row.engineer_user_id,
        "fault_code": row.fault_code,
        "fault": row.fault,
        "paid": row.paid,
        "quoted_yuan": _yuan(row.quoted_fen),
        "collected_yuan": _yuan(row.collected_fen),
        "collected_reason": row.collected_reason,
    }


def _material_columns(row: WorkMaterialRow, number: str | None, round_: int) -> dict[str, Any]:
    return {
        "ticket": number,
        "round": round_,
        "position": row.position,
        "name": row.name,
        "quantity": float(Decimal(row.quantity)),
        "unit": row.unit,
        "cost_yuan": _yuan(row.cost_fen),
    }
