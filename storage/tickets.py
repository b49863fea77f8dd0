"""Tickets, their evidence photos and their history.

Its queries stay together so that each state change is one UPDATE that can be checked
(taking a job, passing it on) next to the others; the lists and counts, and the clock's
reads, are modules of their own (storage/ticket_lists.py, storage/ticket_clock.py)."""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.tickets import EventKind, Place, Ticket, TicketEvent, TicketStatus, ticket_number
from storage.memo import Memo
from storage.tables import NoticeRow, TicketEventRow, TicketPhotoRow, TicketRow, UnitRow
from storage.ticket_clock import NEEDS_A_LOOK, DueTickets, look_again
from storage.ticket_lists import TicketLists
from storage.ticket_rows import ticket_from_row
from storage.types import stored

_PHOTOS = "photos"


@dataclass(frozen=True)
class NewTicket:
    owner_user_id: int
    place: Place
    category: str
    trade: str
    urgency: str
    description: str
    visit_time: str
    coverage: str
    status: TicketStatus
    contractor_code: str | None
    language: str
    filed_at: datetime
    accept_by: datetime | None
    on_site_by: datetime | None
    resolve_by: datetime | None
    plan_by: datetime | None = None
    intake_key: str | None = None  # the report it was filed from: filing it again finds this ticket
    channel: str | None = None  # filed by staff: "phone" or "walk_in"
    filed_by: int | None = None  # the staff member who filed it for the owner
    contact_name: str | None = None  # an owner not in Telegram
    contact_phone: str | None = None


@dataclass(frozen=True)
class Evidence:
    file_id: str
    path: str | None  # None when Telegram did not hand the file over
    sha256: str | None
    size: int | None
    exif_taken_at: str | None
    shared_path: str | None = None  # the copy without EXIF that others are shown


class TicketRepository(TicketLists, DueTickets):
    def __init__(self, session: AsyncSession, memo: Memo | None = None):
        super().__init__(session)
        # what the unit of work knows in this transaction (UnitOfWork.memo): the photos of a
        # ticket filed in it, which its card then shares, so they are not read back
        self._memo: Memo = {} if memo is None else memo

    async def add(self, new: NewTicket, filed_local: datetime) -> Ticket:
        row = TicketRow(
            owner_user_id=new.owner_user_id,
            unit_id=new.place.unit_id,
            block=new.place.block,
            public_area=new.place.public_area,
            category=new.category,
            trade=new.trade,
            urgency=new.urgency,
            description=new.description,
            visit_time=new.visit_time,
            coverage=new.coverage,
            status=new.status,
            contractor_code=new.contractor_code,
            language=new.language,
            filed_at=new.filed_at,
            accept_by=new.accept_by,
            on_site_by=new.on_site_by,
            resolve_by=new.resolve_by,
            plan_by=new.plan_by,
            intake_key=new.intake_key,
            channel=new.channel,
            filed_by=new.filed_by,
            contact_name=new.contact_name,
            contact_phone=new.contact_phone,
            next_due_at=NEEDS_A_LOOK,
        )
        self.session.add(row)
        await self.session.flush()
        ticket_id = stored(row.id, "ticket.id")
        row.number = ticket_number(ticket_id, filed_local)
        await self.session.flush()
        self._memo[(_PHOTOS, ticket_id)] = {}  # by stage; only this transaction can add any yet
        return ticket_from_row(row, new.place.unit_number, 0)  # as written: no photo yet

    async def add_photo(self, ticket_id: int, stage: str, evidence: Evidence, now: datetime) -> None:
        self.session.add(
            TicketPhotoRow(
                ticket_id=ticket_id,
                stage=stage,
                file_id=evidence.file_id,
                path=evidence.path,
                sha256=evidence.sha256,
                size=evidence.size,
                exif_taken_at=evidence.exif_taken_at,
                shared_path=evidence.shared_path,
                received_at=now,
            )
        )
        known = self._memo.get((_PHOTOS, ticket_id))
        if known is not None:
            known.setdefault(stage, []).append((evidence.file_id, evidence.shared_path))

    async def photos_to_share(self, ticket_id: int, stage: str = "before") -> list[tuple[str, str | None]]:
        """Each photo's Telegram file id and its copy without EXIF (None for photos kept
        before such copies were made), in the order they were sent."""
        known = self._memo.get((_PHOTOS, ticket_id))
        if known is not None:
            return list(known.get(stage, []))
        query = (
            select(TicketPhotoRow.file_id, TicketPhotoRow.shared_path)
            .where(TicketPhotoRow.ticket_id == ticket_id, TicketPhotoRow.stage == stage)
            .order_by(col(TicketPhotoRow.id))
        )
        return list((await self.session.exec(query)).all())

    async def record(
        self, ticket_id: int, kind: EventKind, at: datetime, actor_user_id: int | None = None, **detail
    ) -> None:
        self.session.add(
            TicketEventRow(
                ticket_id=ticket_id,
                at=at,
                actor_user_id=actor_user_id,
                kind=kind,
                detail=json.dumps(detail, ensure_ascii=False),
            )
        )

    async def history(self, ticket_id: int, last: int | None = None) -> list[TicketEvent]:
        """What happened to the ticket, in order; only the `last` events when given."""
        query = (
            select(TicketEventRow)
            .where(TicketEventRow.ticket_id == ticket_id)
            .order_by(col(TicketEventRow.at).desc(), col(TicketEventRow.id).desc())
            .limit(last)
        )
        rows = reversed((await self.session.exec(query)).all())
        return [TicketEvent(r.at, EventKind(r.kind), r.actor_user_id, json.loads(r.detail)) for r in rows]

    async def get(self, ticket_id: int) -> Ticket | None:
        row = await self.session.get(TicketRow, ticket_id, populate_existing=True)
        if row is None:
            return None
        unit = None if row.unit_id is None else await self.session.get(UnitRow, row.unit_id)
        unit_number = unit.number if unit is not None else None
        photos = await self.session.exec(
            select(func.count()).where(TicketPhotoRow.ticket_id == ticket_id, TicketPhotoRow.stage == "before")
        )
        return ticket_from_row(row, unit_number, photos.one())

    async def filed_from(self, intake_key: str) -> Ticket | None:
        """The ticket a report was already filed as, if it was."""
        query = select(TicketRow.id).where(TicketRow.intake_key == intake_key)
        ticket_id = (await self.session.exec(query)).first()
        return None if ticket_id is None else await self.get(ticket_id)

    async def take(
        self, ticket_id: int, contractor_code: str, engineer_user_id: int, engineer_name: str, now: datetime
    ) -> bool:
        """Give the job to the engineer unless somebody already has it. One UPDATE decides,
        so of two taps at the same moment exactly one wins, on any database."""
        result = await self.session.exec(
            update(TicketRow)
            .where(
                col(TicketRow.id) == ticket_id,
                col(TicketRow.status) == TicketStatus.ASSIGNED,
                col(TicketRow.contractor_code) == contractor_code,
            )
            .values(
                status=TicketStatus.TAKEN,
                engineer_user_id=engineer_user_id,
                engineer_name=engineer_name,
                taken_at=now,
                **look_again(),
            )
        )
        return result.rowcount == 1

    async def move(
        self,
        ticket_id: int,
        allowed_from: frozenset[TicketStatus],
        to: TicketStatus,
        held_by: int | None = None,
        **values,
    ) -> bool:
        """Apply a state machine move if the ticket is still where the move starts (and, for
        an engineer's move, still theirs); False when someone else moved it first."""
        conditions = [col(TicketRow.id) == ticket_id, col(TicketRow.status).in_(list(allowed_from))]
        if held_by is not None:
            conditions.append(col(TicketRow.engineer_user_id) == held_by)
        if "visit_slots" in values:
            values["visit_slots"] = json.dumps([slot.isoformat() for slot in values["visit_slots"]])
        statement = update(TicketRow).where(*conditions).values(status=to, **values, **look_again())
        result = await self.session.exec(statement)
        return result.rowcount == 1

    async def change(self, ticket_id: int, **values) -> None:
        """Change fields that are not the state (deadlines, urgency)."""
        await self.session.exec(
            update(TicketRow).where(col(TicketRow.id) == ticket_id).values(**values, **look_again())
        )

    async def note(self, ticket_id: int, key: str, at: datetime) -> bool:
        """Record that the clock sent `key` for the ticket; False if it was sent already."""
        exists = await self.session.exec(
            select(NoticeRow.id).where(NoticeRow.ticket_id == ticket_id, NoticeRow.key == key)
        )
        if exists.first() is not None:
            return False
        self.session.add(NoticeRow(ticket_id=ticket_id, key=key, at=at))
        await self.session.flush()
        return True

    async def pass_on(self, ticket_id: int, from_code: str, to_code: str | None) -> bool:
        """Move an untaken job from one contractor to the next (or to nobody: a manager
        assigns it); False when it was taken or moved meanwhile."""
        status = TicketStatus.ASSIGNED if to_code else TicketStatus.UNASSIGNED
        result = await self.session.exec(
            update(TicketRow)
            .where(
                col(TicketRow.id) == ticket_id,
                col(TicketRow.status) == TicketStatus.ASSIGNED,
                col(TicketRow.contractor_code) == from_code,
            )
            .values(status=status, contractor_code=to_code, **look_again())
        )
        return result.rowcount == 1

    async def set_card(self, ticket_id: int, chat_id: int, message_id: int | None) -> None:
        """Where the ticket's group card is; its message id None until the card went."""
        changed = await self.session.exec(
            update(TicketRow)  # type: ignore[call-overload]
            .where(col(TicketRow.id) == ticket_id)
            .values(card_chat_id=chat_id, card_message_id=message_id)
        )
        if changed.rowcount != 1:
            raise LookupError(f"ticket {ticket_id} is not in the database")

    async def card_of(self, ticket_id: int) -> tuple[int, int | None] | None:
        row = await self.session.get(TicketRow, ticket_id)
        if row is None or row.card_chat_id is None:
            return None
        return row.card_chat_id, row.card_message_id  # the message id only once the card went
