"""What the operator's dashboard reads: the outbox's backlog and open tickets by state.
Each is one aggregate query, cheap enough to run on every scrape."""

from datetime import datetime

from sqlalchemy import func, select, text
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.job import OPEN
from storage.tables import OutboxRow, TicketRow


async def database_answers(session: AsyncSession) -> bool:
    await session.exec(text("SELECT 1"))  # type: ignore[call-overload]  # a probe without a model
    return True


async def outbox_backlog(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many messages wait to be sent, and since when the oldest has waited."""
    query = select(func.count(), func.min(OutboxRow.created_at)).where(col(OutboxRow.status) == "pending")
    count, oldest = (await session.exec(query)).one()  # type: ignore[call-overload]
    return int(count), oldest


async def open_tickets_by_status(session: AsyncSession) -> dict[str, int]:
    query = (
        select(col(TicketRow.status), func.count())
        .where(col(TicketRow.status).in_([str(status) for status in OPEN]))
        .group_by(col(TicketRow.status))
    )
    rows = (await session.exec(query)).all()  # type: ignore[call-overload]
    return {str(status): int(count) for status, count in rows}
