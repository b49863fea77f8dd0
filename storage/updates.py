"""The Telegram updates taken in, so one delivered twice is handled once."""

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import HandledUpdateRow

# Telegram keeps an undelivered update for a day; a redelivery comes within that.
KEPT = timedelta(days=2)
PRUNE_EVERY = 1000  # updates


class HandledUpdateRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def seen(self, update_id: int) -> bool:
        return await self.session.get(HandledUpdateRow, update_id) is not None

    async def record(self, update_id: int, now: datetime) -> bool:
        """Record the update; False if a twin recorded it first. On PostgreSQL a twin being
        handled at this moment makes this wait for its commit (or rollback)."""
        dialect = sqlite if self.session.get_bind().dialect.name == "sqlite" else postgresql
        statement = dialect.insert(HandledUpdateRow).values(update_id=update_id, received_at=now)
        result = await self.session.exec(statement.on_conflict_do_nothing())
        if update_id % PRUNE_EVERY == 0:
            old = delete(HandledUpdateRow).where(col(HandledUpdateRow.received_at) < now - KEPT)
            await self.session.exec(old)
        return bool(result.rowcount)
