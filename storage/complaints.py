"""Complaints."""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import ComplaintRow
from storage.types import stored


@dataclass(frozen=True)
class Complaint:
    id: int
    number: str
    owner_user_id: int
    topic: str
    text: str
    photos: list[str]
    severity: str
    status: str
    language: str
    filed_at: datetime
    first_handling_by: datetime | None
    answer_by: datetime
    resolve_by: datetime
    handled_at: datetime | None
    solution: str | None
    proposed_at: datetime | None
    closed_at: datetime | None
    callback_due_at: datetime | None
    callback_answer: str | None


def _complaint(row: ComplaintRow) -> Complaint:
    return Complaint(
        stored(row.id, "complaint.id"),
        stored(row.number, "complaint.number"),
        row.owner_user_id,
        row.topic,
        row.text,
        json.loads(row.photos),
        row.severity,
        row.status,
        row.language,
        row.filed_at,
        row.first_handling_by,
        row.answer_by,
        row.resolve_by,
        row.handled_at,
        row.solution,
        row.proposed_at,
        row.closed_at,
        row.callback_due_at,
        row.callback_answer,
    )


class ComplaintRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, filed_local: datetime, **values) -> Complaint:
        values["photos"] = json.dumps(values.get("photos", []))
        row = ComplaintRow(**values)
        self.session.add(row)
        await self.session.flush()
        row.number = f"C{filed_local:%y%m%d}-{row.id:04d}"
        await self.session.flush()
        return _complaint(row)

    async def get(self, complaint_id: int) -> Complaint | None:
        row = await self.session.get(ComplaintRow, complaint_id, populate_existing=True)
        return None if row is None else _complaint(row)

    async def move(self, complaint_id: int, allowed: list[str], **values) -> bool:
        result = await self.session.exec(
            update(ComplaintRow)
            .where(col(ComplaintRow.id) == complaint_id, col(ComplaintRow.status).in_(allowed))
            .values(**values)
        )
        return result.rowcount == 1

    async def proposed_to(self, owner_id: int) -> bool:
        """Whether a solution waits for this owner's agreement."""
        query = select(ComplaintRow.id).where(ComplaintRow.owner_user_id == owner_id, ComplaintRow.status == "proposed")
        return (await self.session.exec(query.limit(1))).first() is not None

    async def open_ones(self) -> list[Complaint]:
        query = select(ComplaintRow).where(col(ComplaintRow.status).in_(["open", "handling", "proposed"]))
        return [_complaint(row) for row in (await self.session.exec(query)).all()]

    async def callbacks_due(self, now: datetime) -> list[Complaint]:
        query = select(ComplaintRow).where(
            col(ComplaintRow.callback_due_at) <= now, col(ComplaintRow.callback_answer).is_(None)
        )
        return [_complaint(row) for row in (await self.session.exec(query)).all()]
