"""The Telegram updates taken in, so one delivered twice is handled once."""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import HandledUpdateRow

# Telegram keeps an undelivered update for a day; a redelivery comes within that.
KEPT = timedelta(days=2)
PRUNE_EVERY = 1000  # updates

# Built once: every update runs both, and building a statement costs more than running it.
_SEEN = select(HandledUpdateRow.update_id).where(col(HandledUpdateRow.update_id) == bindparam("update_id"))
_TABLE = SQLModel.metadata.tables["handled_update"]  # the table's own insert: one row, its rowcount told
_RECORD = {
    "sqlite": sqlite.insert(_TABLE).on_conflict_do_nothing(),
    "postgresql": postgresql.insert(_TABLE).on_conflict_do_nothing(),
}


class HandledUpdateRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def seen(self, update_id: int) -> bool:
        return (await self.session.exec(_SEEN, params={"update_id": update_id})).first() is not None

    async def highest(self) -> int:
        """The highest update id recorded; 0 before the first."""
        query = select(func.max(HandledUpdateRow.update_id))
        return (await self.session.exec(query)).one() or 0

    async def record(self, update_id: int, now: datetime) -> bool:
        """Record the update; False if a twin recorded it first. On PostgreSQL a twin being
        handled at this moment makes this wait for its commit (or rollback)."""
        statement = _RECORD[self.session.get_bind().dialect.name]
        result = await self.session.exec(statement, params={"update_id": update_id, "received_at": now})
        if update_id % PRUNE_EVERY == 0:
            old = delete(HandledUpdateRow).where(col(HandledUpdateRow.received_at) < now - KEPT)
            await self.session.exec(old)
        return bool(result.rowcount)
