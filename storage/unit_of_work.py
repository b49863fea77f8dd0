"""One unit of work per action: the repositories share a session, and only this commits."""

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.callbacks import CallbackRepository
from storage.chats import ChatRepository
from storage.complaints import ComplaintRepository
from storage.outbox import OutboxRepository
from storage.owners import OwnerRepository
from storage.tickets import TicketRepository


class UnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self._sessions = sessions
        self._after_commit: list = []

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        self.owners = OwnerRepository(self.session)
        self.tickets = TicketRepository(self.session)
        self.chats = ChatRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.callbacks = CallbackRepository(self.session)
        self.complaints = ComplaintRepository(self.session)
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                await self.commit()
            else:
                await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        """Commit what is done so far; an action commits before its slow part (talking to
        Telegram), so no write lock is held while waiting on the network."""
        await self.session.commit()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    def after_commit(self, callback) -> None:
        """Run `callback` once what is pending now is committed (e.g. wake the sender)."""
        if callback not in self._after_commit:
            self._after_commit.append(callback)
