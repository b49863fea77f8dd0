"""The records as a whole: a ticket's evidence, the archive export of a period, and the
purge of what is older than the retention period."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.job import CLOSED
from storage.tables import (
    CallbackRow,
    ComplaintRow,
    NoticeRow,
    OutboxRow,
    RatingRow,
    SurveyAnswerRow,
    SurveyQuestionRow,
    SurveyRecipientRow,
    SurveyRow,
    TicketEventRow,
    TicketPhotoRow,
    TicketRow,
    WorkMaterialRow,
    WorkRecordRow,
)
from storage.types import stored


@dataclass(frozen=True)
class Photo:
    stage: str
    path: str | None
    sha256: str | None
    size: int | None
    exif_taken_at: str | None
    received_at: datetime


@dataclass(frozen=True)
class CallbackRecord:
    kind: str
    status: str
    due_at: datetime | None
    asked_at: datetime | None
    answered_at: datetime | None
    still_fixed: bool | None
    comment: str | None
    ratings: dict[str, int]


def _row(row: SQLModel) -> dict[str, Any]:
    return row.model_dump()


class ArchiveRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def photos(self, ticket_id: int) -> list[Photo]:
        query = select(TicketPhotoRow).where(TicketPhotoRow.ticket_id == ticket_id).order_by(col(TicketPhotoRow.id))
        return [
            Photo(row.stage, row.path, row.sha256, row.size, row.exif_taken_at, row.received_at)
            for row in (await self.session.exec(query)).all()
        ]

    async def callbacks(self, ticket_id: int) -> list[CallbackRecord]:
        query = select(CallbackRow).where(CallbackRow.ticket_id == ticket_id).order_by(col(CallbackRow.id))
        records = []
        for row in (await self.session.exec(query)).all():
            ratings = select(RatingRow).where(RatingRow.callback_id == row.id)
            scores = {r.dimension: r.score for r in (await self.session.exec(ratings)).all()}
            records.append(
                CallbackRecord(
                    row.kind,
                    row.status,
                    row.due_at,
                    row.asked_at,
                    row.answered_at,
                    row.still_fixed,
                    row.comment,
                    scores,
                )
            )
        return records

    async def period(self, since: datetime, until: datetime) -> dict[str, list[dict[str, Any]]]:
        """Tickets and complaints filed in [since, until), with everything hanging on them."""
        tickets = (
            await self.session.exec(
                select(TicketRow)
                .where(col(TicketRow.filed_at) >= since, col(TicketRow.filed_at) < until)
                .order_by(col(TicketRow.id))
            )
        ).all()
        ids = [row.id for row in tickets]
        history = await self.session.exec(
            select(TicketEventRow)
            .where(col(TicketEventRow.ticket_id).in_(ids))
            .order_by(col(TicketEventRow.ticket_id), col(TicketEventRow.at), col(TicketEventRow.id))
        )
        callbacks = (
            await self.session.exec(
                select(CallbackRow).where(col(CallbackRow.ticket_id).in_(ids)).order_by(col(CallbackRow.id))
            )
        ).all()
        ratings = await self.session.exec(
            select(RatingRow)
            .where(col(RatingRow.callback_id).in_([c.id for c in callbacks]))
            .order_by(col(RatingRow.id))
        )
        complaints = await self.session.exec(
            select(ComplaintRow)
            .where(col(ComplaintRow.filed_at) >= since, col(ComplaintRow.filed_at) < until)
            .order_by(col(ComplaintRow.id))
        )
        return {
            "tickets": [_row(r) for r in tickets],
            "history": [_row(r) for r in history.all()],
            "callbacks": [_row(r) for r in callbacks],
            "ratings": [_row(r) for r in ratings.all()],
            "complaints": [_row(r) for r in complaints.all()],
        }

    async def purge(self, before: datetime) -> tuple[dict[str, int], list[str]]:
        """Delete closed tickets and complaints filed before `before`, and surveys closed
        before it, with what hangs on them. Returns the count per table and the photo files
        to delete once the transaction commits."""
        counts: dict[str, int] = {}
        old = select(TicketRow.id).where(col(TicketRow.filed_at) < before, col(TicketRow.status).in_(sorted(CLOSED)))
        ids = list((await self.session.exec(old)).all())
        files = await self._files_only_of([stored(i, "ticket.id") for i in ids])
        callbacks = select(CallbackRow.id).where(col(CallbackRow.ticket_id).in_(ids))
        records = select(WorkRecordRow.id).where(col(WorkRecordRow.ticket_id).in_(ids))
        await self.session.exec(update(TicketRow).where(col(TicketRow.repeat_of).in_(ids)).values(repeat_of=None))
        for name, statement in (
            ("rating", delete(RatingRow).where(col(RatingRow.callback_id).in_(callbacks))),
            ("callback", delete(CallbackRow).where(col(CallbackRow.ticket_id).in_(ids))),
            ("notice", delete(NoticeRow).where(col(NoticeRow.ticket_id).in_(ids))),
            ("ticket_event", delete(TicketEventRow).where(col(TicketEventRow.ticket_id).in_(ids))),
            ("ticket_photo", delete(TicketPhotoRow).where(col(TicketPhotoRow.ticket_id).in_(ids))),
            ("outbox", delete(OutboxRow).where(col(OutboxRow.ticket_id).in_(ids), col(OutboxRow.status) != "pending")),
            ("work_material", delete(WorkMaterialRow).where(col(WorkMaterialRow.record_id).in_(records))),
            ("work_record", delete(WorkRecordRow).where(col(WorkRecordRow.ticket_id).in_(ids))),
            ("ticket", delete(TicketRow).where(col(TicketRow.id).in_(ids))),
            (
                "complaint",
                delete(ComplaintRow).where(
                    col(ComplaintRow.filed_at) < before, col(ComplaintRow.status).in_(["closed", "closed_by_silence"])
                ),
            ),
        ):
            counts[name] = (await self.session.exec(statement)).rowcount  # type: ignore[call-overload]
        counts.update(await self._purge_surveys(before))
        return counts, files

    async def _files_only_of(self, ticket_ids: list[int]) -> list[str]:
        """The photo files (originals and their copies without EXIF) that only these tickets
        use: the store keeps one file per content, so the same picture sent for a newer
        ticket shares its file, which must stay."""
        columns = (col(TicketPhotoRow.path), col(TicketPhotoRow.shared_path))
        going = await self.session.exec(select(*columns).where(col(TicketPhotoRow.ticket_id).in_(ticket_ids)))
        candidates = {path for row in going.all() for path in row if path}
        if not candidates:
            return []
        kept = await self.session.exec(
            select(*columns).where(
                col(TicketPhotoRow.ticket_id).not_in(ticket_ids),
                or_(col(TicketPhotoRow.path).in_(candidates), col(TicketPhotoRow.shared_path).in_(candidates)),
            )
        )
        still_used = {path for row in kept.all() for path in row if path}
        return sorted(candidates - still_used)

    async def _purge_surveys(self, before: datetime) -> dict[str, int]:
        surveys = select(SurveyRow.id).where(SurveyRow.status == "closed", col(SurveyRow.closed_at) < before)
        ids = list((await self.session.exec(surveys)).all())
        recipients = select(SurveyRecipientRow.id).where(col(SurveyRecipientRow.survey_id).in_(ids))
        counts = {}
        for name, statement in (
            ("survey_answer", delete(SurveyAnswerRow).where(col(SurveyAnswerRow.recipient_id).in_(recipients))),
            ("survey_recipient", delete(SurveyRecipientRow).where(col(SurveyRecipientRow.survey_id).in_(ids))),
            ("survey_question", delete(SurveyQuestionRow).where(col(SurveyQuestionRow.survey_id).in_(ids))),
            ("survey", delete(SurveyRow).where(col(SurveyRow.id).in_(ids))),
        ):
            counts[name] = (await self.session.exec(statement)).rowcount  # type: ignore[call-overload]
        return counts
