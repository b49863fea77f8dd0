"""Callbacks and the ratings their answers carry."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import CallbackRow, RatingRow, TicketRow
from storage.types import stored


@dataclass(frozen=True)
class Callback:
    id: int
    ticket_id: int
    kind: str
    due_at: datetime | None
    status: str


def _callback(row: CallbackRow) -> Callback:
    return Callback(stored(row.id, "callback.id"), row.ticket_id, row.kind, row.due_at, row.status)


class CallbackRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(self, ticket_id: int, kind: str, due_at: datetime | None) -> None:
        self.session.add(
            CallbackRow(ticket_id=ticket_id, kind=kind, due_at=due_at, status="held" if due_at is None else "scheduled")
        )

    async def get(self, callback_id: int) -> Callback | None:
        row = await self.session.get(CallbackRow, callback_id)
        return None if row is None else _callback(row)

    async def due(self, now: datetime, limit: int) -> list[Callback]:
        """Scheduled callbacks whose day has come, the earliest first, up to `limit`."""
        query = (
            select(CallbackRow)
            .where(CallbackRow.status == "scheduled", col(CallbackRow.due_at) <= now)
            .order_by(col(CallbackRow.due_at), col(CallbackRow.id))
            .limit(limit)
        )
        return [_callback(row) for row in (await self.session.exec(query)).all()]

    async def waiting(self, since: datetime, limit: int) -> list[Callback]:
        """Asked before `since` and still not answered: never asked again, or asked again
        before `since` too (what ask_again_or_give_up acts on, which takes each out of
        this list), the longest waiting first, up to `limit`."""
        query = (
            select(CallbackRow)
            .where(
                CallbackRow.status == "asked",
                col(CallbackRow.asked_at) <= since,
                or_(col(CallbackRow.asked_again_at).is_(None), col(CallbackRow.asked_again_at) <= since),
            )
            .order_by(col(CallbackRow.asked_at), col(CallbackRow.id))
            .limit(limit)
        )
        return [_callback(row) for row in (await self.session.exec(query)).all()]

    async def mark_asked(self, callback_id: int, now: datetime) -> bool:
        result = await self.session.exec(
            update(CallbackRow)
            .where(col(CallbackRow.id) == callback_id, col(CallbackRow.status) == "scheduled")
            .values(status="asked", asked_at=now)
        )
        return result.rowcount == 1

    async def ask_again_or_give_up(self, callback_id: int, now: datetime, wait: timedelta) -> str | None:
        """ "again" the first time the owner is silent for `wait`, "unanswered" the second."""
        row = await self.session.get(CallbackRow, callback_id)
        if row is None or row.status != "asked":
            return None
        if row.asked_again_at is None:
            result = await self.session.exec(
                update(CallbackRow)
                .where(
                    col(CallbackRow.id) == callback_id,
                    col(CallbackRow.asked_again_at).is_(None),
                    col(CallbackRow.status) == "asked",
                )
                .values(asked_again_at=now)
            )
            return "again" if result.rowcount == 1 else None
        if row.asked_again_at + wait <= now:
            result = await self.session.exec(
                update(CallbackRow)
                .where(col(CallbackRow.id) == callback_id, col(CallbackRow.status) == "asked")
                .values(status="unanswered")
            )
            return "unanswered" if result.rowcount == 1 else None
        return None

    async def _advance(self, callback_id: int, from_status: list[str], **values) -> bool:
        result = await self.session.exec(
            update(CallbackRow)
            .where(col(CallbackRow.id) == callback_id, col(CallbackRow.status).in_(from_status))
            .values(**values)
        )
        return result.rowcount == 1

    async def came_back(self, callback_id: int, now: datetime) -> bool:
        return await self._advance(callback_id, ["asked"], status="answered", still_fixed=False, answered_at=now)

    async def start_rating(self, callback_id: int, now: datetime) -> bool:
        """ "Still fixed": the rating questions follow, one tap each."""
        return await self._advance(callback_id, ["asked"], status="rating", still_fixed=True, answered_at=now)

    async def finish_rating(self, callback_id: int, comment: str | None) -> bool:
        return await self._advance(callback_id, ["rating"], status="answered", comment=comment)

    async def add_comment(self, callback_id: int, comment: str) -> bool:
        """Once, after the ratings: the scores already given stay as they are."""
        result = await self.session.exec(
            update(CallbackRow)
            .where(
                col(CallbackRow.id) == callback_id,
                col(CallbackRow.status) == "answered",
                col(CallbackRow.comment).is_(None),
            )
            .values(comment=comment)
        )
        return result.rowcount == 1

    async def awaiting_owner(self, owner_id: int) -> str | None:
        """The status of a callback waiting on this owner's button ("asked", "rating"), if any."""
        query = (
            select(CallbackRow.status)
            .join(TicketRow, col(TicketRow.id) == col(CallbackRow.ticket_id))
            .where(TicketRow.owner_user_id == owner_id, col(CallbackRow.status).in_(["asked", "rating"]))
            .order_by(col(CallbackRow.id).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def rate(self, callback_id: int, dimension: str, score: int) -> bool:
        exists = await self.session.exec(
            select(RatingRow.id).where(RatingRow.callback_id == callback_id, RatingRow.dimension == dimension)
        )
        if exists.first() is not None:
            return False  # a second tap on the same question
        self.session.add(RatingRow(callback_id=callback_id, dimension=dimension, score=score))
        return True

    async def scores(self, callback_id: int) -> dict[str, int]:
        query = select(RatingRow).where(RatingRow.callback_id == callback_id)
        return {row.dimension: row.score for row in (await self.session.exec(query)).all()}

    async def cancel_pending(self, ticket_id: int) -> None:
        await self.session.exec(
            update(CallbackRow)
            .where(col(CallbackRow.ticket_id) == ticket_id, col(CallbackRow.status).in_(["scheduled", "held"]))
            .values(status="cancelled")
        )

    async def release_rain(self, blocks: set[str] | None, now: datetime) -> int:
        """The next rain came: every callback held for it (in these blocks) falls due now."""
        held = (
            select(CallbackRow.id)
            .join(TicketRow, col(TicketRow.id) == col(CallbackRow.ticket_id))
            .where(CallbackRow.status == "held")
        )
        if blocks:
            held = held.where(col(TicketRow.block).in_(sorted(blocks)))
        ids = list((await self.session.exec(held)).all())
        if ids:
            await self.session.exec(
                update(CallbackRow).where(col(CallbackRow.id).in_(ids)).values(status="scheduled", due_at=now)
            )
        return len(ids)

    async def all_scores(self) -> list[tuple[str, int]]:
        return [(row.dimension, row.score) for row in (await self.session.exec(select(RatingRow))).all()]

    async def last_comment(self, ticket_id: int) -> str | None:
        query = (
            select(CallbackRow.comment)
            .where(CallbackRow.ticket_id == ticket_id, col(CallbackRow.comment).is_not(None))
            .order_by(col(CallbackRow.id).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()

    async def count_by_status(self) -> dict[str, int]:
        query = select(CallbackRow.status, func.count()).group_by(CallbackRow.status)
        return dict((await self.session.exec(query)).all())
