"""Surveys, their questions, the owners asked and their answers."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.surveys import Scope
from domain.units import Unit
from storage.long_reads import in_parts
from storage.tables import (
    OutboxRow,
    OwnerAccountRow,
    ResidentRow,
    SurveyAnswerRow,
    SurveyQuestionRow,
    SurveyRecipientRow,
    SurveyRow,
    UnitRow,
)
from storage.types import stored


@dataclass(frozen=True)
class Survey:
    id: int
    kind: str
    scope: Scope
    scale: int
    suggestion: bool
    questions: tuple[str, ...]  # dimensions, in the order asked
    created_at: datetime
    closes_at: datetime
    status: str
    progress_chat_id: int | None
    progress_text: str | None


@dataclass(frozen=True)
class Recipient:
    id: int
    survey_id: int
    owner_user_id: int
    unit_ids: tuple[int, ...]
    asked_at: datetime
    reminders: int
    reminded_at: datetime | None
    returned_at: datetime | None
    suggestion: str | None
    unhappy: bool


def _recipient(row: Any) -> Recipient:  # a table object or a row of its columns
    return Recipient(
        stored(row.id, "survey_recipient.id"),
        row.survey_id,
        row.owner_user_id,
        tuple(json.loads(row.units)),
        row.asked_at,
        row.reminders,
        row.reminded_at,
        row.returned_at,
        row.suggestion,
        row.unhappy,
    )


def ask_key(survey_id: int, recipient_id: int) -> str:
    """The outbox key of the first ask: once it is sent, the owner was reached."""
    return f"survey:{survey_id}:ask:{recipient_id}"


def progress_key(survey_id: int) -> str:
    return f"survey:{survey_id}:progress"


class SurveyRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def create(
        self, kind: str, scope: Scope, scale: int, suggestion: bool, questions: list[str], **fields
    ) -> int:
        row = SurveyRow(kind=kind, scope=json.dumps(scope.as_dict()), scale=scale, suggestion=suggestion, **fields)
        self.session.add(row)
        await self.session.flush()
        survey_id = stored(row.id, "survey.id")
        for position, dimension in enumerate(questions):
            self.session.add(SurveyQuestionRow(survey_id=survey_id, position=position, dimension=dimension))
        await self.session.flush()
        return survey_id

    async def get(self, survey_id: int) -> Survey | None:
        row = await self.session.get(SurveyRow, survey_id)
        if row is None:
            return None
        query = select(SurveyQuestionRow.dimension).where(SurveyQuestionRow.survey_id == survey_id)
        questions = (await self.session.exec(query.order_by(col(SurveyQuestionRow.position)))).all()
        return Survey(
            survey_id,
            row.kind,
            Scope.from_dict(json.loads(row.scope)),
            row.scale,
            row.suggestion,
            tuple(questions),
            row.created_at,
            row.closes_at,
            row.status,
            row.progress_chat_id,
            row.progress_text,
        )

    async def question_id(self, survey_id: int, position: int) -> int | None:
        query = select(SurveyQuestionRow.id).where(
            SurveyQuestionRow.survey_id == survey_id, SurveyQuestionRow.position == position
        )
        return (await self.session.exec(query)).first()

    async def add_recipient(self, survey_id: int, owner: int, units: list[int], now: datetime) -> int | None:
        """None when the owner is in the survey already: nobody is asked the same survey twice."""
        query = select(SurveyRecipientRow.id).where(
            SurveyRecipientRow.survey_id == survey_id, SurveyRecipientRow.owner_user_id == owner
        )
        if (await self.session.exec(query)).first() is not None:
            return None
        row = SurveyRecipientRow(
            survey_id=survey_id, owner_user_id=owner, units=json.dumps(units), asked_at=now, last_asked_at=now
        )
        self.session.add(row)
        await self.session.flush()
        return stored(row.id, "survey_recipient.id")

    async def recipient(self, recipient_id: int) -> Recipient | None:
        row = await self.session.get(SurveyRecipientRow, recipient_id)
        return None if row is None else _recipient(row)

    async def names_asked(self, survey_id: int) -> dict[int, str]:
        """The account name of each owner the survey asked, in one query however many."""
        query = select(OwnerAccountRow.telegram_user_id, OwnerAccountRow.name).join(
            SurveyRecipientRow, col(SurveyRecipientRow.owner_user_id) == col(OwnerAccountRow.telegram_user_id)
        )
        return dict(await in_parts(self.session, query.where(SurveyRecipientRow.survey_id == survey_id), tuple))

    async def recipients(self, survey_id: int) -> list[Recipient]:
        """Every owner the survey asked: a whole property's, counted at each clock tick
        that finds new answers (services/surveys.py), so read as plain columns, in parts."""
        table = SurveyRecipientRow.__table__  # type: ignore[attr-defined]
        query = select(*table.c).where(table.c.survey_id == survey_id).order_by(table.c.id)
        return await in_parts(self.session, query, _recipient)

    async def due_reminders(
        self, survey_id: int, before: datetime, most: int, after: int, limit: int
    ) -> list[Recipient]:
        """Recipients who have not answered, reminded fewer than `most` times, last asked by
        `before`: what domain/surveys.py reminder_due says is due, found by index (a batch
        at a time, by id after `after`) instead of reading every recipient every tick."""
        recipient = SurveyRecipientRow
        query = (
            select(recipient)
            .where(
                recipient.survey_id == survey_id,
                col(recipient.last_asked_at) <= before,
                col(recipient.returned_at).is_(None),
                col(recipient.reminders) < most,
                col(recipient.id) > after,
            )
            .order_by(col(recipient.id))
            .limit(limit)
        )
        return [_recipient(row) for row in (await self.session.exec(query)).all()]

    async def progress_mark(self, survey_id: int) -> tuple[int, int]:
        """How many owners the survey reached and how many answered, counted by the database:
        the progress message needs redrawing only when these move."""
        prefix = ask_key(survey_id, 0).removesuffix("0")
        reached = select(func.count()).where(
            col(OutboxRow.coalesce_key) >= prefix,
            col(OutboxRow.coalesce_key) < prefix[:-1] + ";",  # the next character after ':'
            OutboxRow.status == "sent",
        )
        returned = select(func.count()).where(
            SurveyRecipientRow.survey_id == survey_id, col(SurveyRecipientRow.returned_at).is_not(None)
        )
        return (await self.session.exec(reached)).one(), (await self.session.exec(returned)).one()

    async def owners_surveyed(self, kind: str) -> set[int]:
        query = (
            select(SurveyRecipientRow.owner_user_id)
            .join(SurveyRow, col(SurveyRow.id) == col(SurveyRecipientRow.survey_id))
            .where(SurveyRow.kind == kind)
        )
        return set((await self.session.exec(query)).all())

    async def answer(self, recipient_id: int, question_id: int, score: int, now: datetime) -> bool:
        """False for a second tap on a question answered already: the first answer stands."""
        query = select(SurveyAnswerRow.id).where(
            SurveyAnswerRow.recipient_id == recipient_id, SurveyAnswerRow.question_id == question_id
        )
        if (await self.session.exec(query)).first() is not None:
            return False
        self.session.add(
            SurveyAnswerRow(recipient_id=recipient_id, question_id=question_id, score=score, answered_at=now)
        )
        await self.session.flush()
        return True

    async def scores(self, recipient_id: int) -> dict[int, int]:
        """Position of each question answered → its score."""
        query = (
            select(SurveyQuestionRow.position, SurveyAnswerRow.score)
            .join(SurveyQuestionRow, col(SurveyQuestionRow.id) == col(SurveyAnswerRow.question_id))
            .where(SurveyAnswerRow.recipient_id == recipient_id)
        )
        return dict((await self.session.exec(query)).all())

    async def mark_returned(self, recipient_id: int, now: datetime, unhappy: bool) -> bool:
        result = await self.session.exec(
            update(SurveyRecipientRow)
            .where(col(SurveyRecipientRow.id) == recipient_id, col(SurveyRecipientRow.returned_at).is_(None))
            .values(returned_at=now, unhappy=unhappy, last_asked_at=None)
        )
        return result.rowcount == 1

    async def suggest(self, recipient_id: int, text: str) -> bool:
        result = await self.session.exec(
            update(SurveyRecipientRow)
            .where(col(SurveyRecipientRow.id) == recipient_id, col(SurveyRecipientRow.suggestion).is_(None))
            .values(suggestion=text)
        )
        return result.rowcount == 1

    async def mark_reminded(self, recipient_id: int, reminders: int, now: datetime, most: int) -> bool:
        """Counted up from what the caller saw: two sweeps at once remind once. After the
        `most`-th reminder the recipient leaves the reminders' index (last_asked_at None)."""
        result = await self.session.exec(
            update(SurveyRecipientRow)
            .where(
                col(SurveyRecipientRow.id) == recipient_id,
                col(SurveyRecipientRow.reminders) == reminders,
                col(SurveyRecipientRow.returned_at).is_(None),
            )
            .values(reminders=reminders + 1, reminded_at=now, last_asked_at=now if reminders + 1 < most else None)
        )
        return result.rowcount == 1

    async def open_surveys(self) -> list[int]:
        query = select(SurveyRow.id).where(SurveyRow.status == "open").order_by(col(SurveyRow.id))
        return [stored(survey_id, "survey.id") for survey_id in (await self.session.exec(query)).all()]

    async def close(self, survey_id: int, now: datetime) -> bool:
        result = await self.session.exec(
            update(SurveyRow)
            .where(col(SurveyRow.id) == survey_id, col(SurveyRow.status) == "open")
            .values(status="closed", closed_at=now)
        )
        return result.rowcount == 1

    async def set_progress_text(self, survey_id: int, text: str) -> bool:
        """False when the figures have not changed since the last edit."""
        row = await self.session.get(SurveyRow, survey_id)
        if row is None or row.progress_text == text:
            return False
        row.progress_text = text
        return True

    async def progress_message(self, survey_id: int) -> tuple[int, str] | None:
        """The outbox id and status of the progress message (edited in place once sent)."""
        query = select(OutboxRow.id, OutboxRow.status).where(OutboxRow.coalesce_key == progress_key(survey_id))
        row = (await self.session.exec(query.order_by(col(OutboxRow.id)).limit(1))).first()
        return None if row is None else (stored(row[0], "outbox.id"), row[1])

    async def reached(self, survey_id: int) -> set[int]:
        """The recipients whose ask Telegram has accepted."""
        query = select(OutboxRow.coalesce_key).where(
            col(OutboxRow.coalesce_key).startswith(f"survey:{survey_id}:ask:"), OutboxRow.status == "sent"
        )
        return {int(key.rsplit(":", 1)[1]) for key in (await self.session.exec(query)).all() if key}

    async def occupied_units(self) -> list[Unit]:
        """Units the roster lists an owner for."""
        table = UnitRow.__table__  # type: ignore[attr-defined]
        query = select(*table.c).where(table.c.id.in_(select(ResidentRow.unit_id))).order_by(table.c.id)
        return await in_parts(
            self.session, query, lambda row: Unit(stored(row.id, "unit.id"), row.block, row.number, row.handover_date)
        )

    async def answers(self, survey_id: int) -> list[tuple[int, int, str, int]]:
        """(recipient id, question's position, its dimension, score) of every answer."""
        answer, question = SurveyAnswerRow, SurveyQuestionRow
        query = (
            select(answer.recipient_id, question.position, question.dimension, answer.score)
            .join(question, col(question.id) == col(answer.question_id))
            .where(question.survey_id == survey_id)
        )
        return await in_parts(self.session, query, tuple)
