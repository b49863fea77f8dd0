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

    async def take(self, update_id: int, now: datetime) -> bool:
        """Record the update; False if it was already taken. In the caller's transaction, so
        a handler that fails takes it back, and a twin being handled at the same moment
        waits for this one's commit (PostgreSQL) or its write lock (SQLite), then is skipped."""
        dialect = sqlite if self.session.bind.dialect.name == "sqlite" else postgresql
        statement = dialect.insert(HandledUpdateRow).values(update_id=update_id, received_at=now)
        result = await self.session.exec(statement.on_conflict_do_nothing())
        if update_id % PRUNE_EVERY == 0:
            old = delete(HandledUpdateRow).where(col(HandledUpdateRow.received_at) < now - KEPT)
            await self.session.exec(old)
        return bool(result.rowcount)
