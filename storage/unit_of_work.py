"""One unit of work per action: the repositories share a session, and only this commits."""
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.chats import ChatRepository
from storage.owners import OwnerRepository
from storage.tickets import TicketRepository


class UnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self._sessions = sessions

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        self.owners = OwnerRepository(self.session)
        self.tickets = TicketRepository(self.session)
        self.chats = ChatRepository(self.session)
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            await self.session.commit()
        else:
            await self.session.rollback()
        await self.session.close()

    async def commit(self) -> None:
        """Commit what is done so far, before the slow part of an action (talking to
        Telegram), so no write lock is held while waiting on the network."""
        await self.session.commit()
