"""The work record the engineer fills in when he finishes a job (docs/rules.md, "The work
record"), and the done step it leads to.

While he fills it in, the record is a `Draft` kept in his conversation state (in the
database, so it survives a restart); photos are Telegram file ids until the record is
confirmed, then fetched and kept in the evidence store with the job's done step."""

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from domain.tickets import EventKind, Ticket
from domain.work_record import (
    Material,
    WorkRecord,
    gaps,
    money,
    quantity_text,
    quoted_amount,
)
from services import job_flow
from services.context import Services
from services.job_flow import Refusal, Step
from storage.tickets import Evidence
from storage.unit_of_work import UnitOfWork
from storage.work_records import WorkRecordRepository


def is_paid(ticket: Ticket) -> bool:
    """Paid work is work whose price the owner accepted (services/quotes.py)."""
    return ticket.quote_status == "accepted"


@dataclass(frozen=True)
class Draft:
    ticket_id: int
    fault: str = ""
    fault_code: str | None = None
    materials: tuple[Material, ...] = ()
    photos: tuple[str, ...] = ()  # file ids of the photos of the result
    receipts: tuple[str, ...] = ()  # file ids of the receipt given to the owner
    collected: Decimal | None = None
    reason: str = ""

    def as_data(self) -> dict[str, Any]:
        return {
            "ticket_id": self.ticket_id,
            "fault": self.fault,
            "fault_code": self.fault_code,
            "materials": [[m.name, str(m.quantity), m.unit, str(m.cost)] for m in self.materials],
            "photos": list(self.photos),
            "receipts": list(self.receipts),
            "collected": None if self.collected is None else str(self.collected),
            "reason": self.reason,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Draft":
        collected = data.get("collected")
        return cls(
            ticket_id=int(data["ticket_id"]),
            fault=data.get("fault", ""),
            fault_code=data.get("fault_code"),
            materials=tuple(
                Material(name, Decimal(quantity), unit, Decimal(cost))
                for name, quantity, unit, cost in data.get("materials", [])
            ),
            photos=tuple(data.get("photos", [])),
            receipts=tuple(data.get("receipts", [])),
            collected=None if collected is None else Decimal(collected),
            reason=data.get("reason", ""),
        )

    def with_materials(self, more: list[Material]) -> "Draft":
        return replace(self, materials=self.materials + tuple(more))

    def record(self, ticket: Ticket) -> WorkRecord:
        paid = is_paid(ticket)
        return WorkRecord(
            fault=self.fault,
            fault_code=self.fault_code,
            materials=self.materials,
            after_photos=len(self.photos),
            paid=paid,
            quoted=quoted_amount(ticket.quote) if paid else None,
            receipt_photos=len(self.receipts),
            collected=self.collected if paid else None,
            reason=self.reason if paid else "",
        )


async def finish(
    services: Services,
    uow: UnitOfWork,
    ticket_id: int,
    engineer_id: int,
    draft: Draft,
    after: list[Evidence],
    receipts: list[Evidence],
) -> Step:
    """The job is done with its record: refused while the record lacks what the rules ask
    (domain/work_record.py gaps); else the done step, the photos and the record, together."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or ticket.engineer_user_id != engineer_id:
        return await job_flow.finish(services, uow, ticket_id, engineer_id, draft.fault)
    record = draft.record(ticket)
    if gaps(record):
        return Step(ticket, Refusal.RECORD_INCOMPLETE)
    step = await job_flow.finish(services, uow, ticket_id, engineer_id, record.fault)
    if not step.ok or step.ticket is None:
        return step
    now = services.clock.now()
    for stage, photos in (("after", after), ("receipt", receipts)):
        for photo in photos:
            await uow.tickets.add_photo(ticket_id, stage, photo, now)
    await WorkRecordRepository(uow.session).add(ticket_id, ticket.reopen_count, record, engineer_id, now)
    await uow.tickets.record(ticket_id, EventKind.WORK_RECORDED, now, engineer_id, **history_detail(record))
    return step


def history_detail(record: WorkRecord) -> dict[str, str]:
    """What the ticket's history keeps of the record, as plain text (views/render.py shows it)."""
    materials = "; ".join(f"{m.name} {quantity_text(m)} {money(m.cost)}" for m in record.materials)
    collected = "—"
    if record.collected is not None:
        collected = money(record.collected) + (f" ({record.reason})" if record.reason else "")
    return {"materials": materials or "—", "total": money(record.total), "collected": collected}
