"""aiogram's FSM storage on our database: a half-written report survives a restart."""

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import ConversationRow
from storage.unit_of_work import UnitOfWork


class DatabaseStorage(BaseStorage):
    """While an update is handled, the conversation lives in that update's unit of work:
    one connection per update, and the state moves on in the same commit as the work it
    stands for (the unit of work commits before any talk with Telegram, so no write is held
    open across it). Outside an update (a timer, a test) each call is its own transaction."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self._sessions = sessions
        self._keys = DefaultKeyBuilder(with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._read(key)
        return None if row is None else row.state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._read(key)
        return {} if row is None else json.loads(row.data)

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[tuple[AsyncSession, bool]]:
        uow = UnitOfWork.current()
        if uow is not None:
            yield uow.session, False
            return
        async with self._sessions() as session:
            yield session, True

    async def _read(self, key: StorageKey) -> ConversationRow | None:
        async with self._session() as (session, _own):
            return await session.get(ConversationRow, self._keys.build(key))

    async def _write(self, key: StorageKey, **values: str | None) -> None:
        async with self._session() as (session, own):
            name = self._keys.build(key)
            row = await session.get(ConversationRow, name) or ConversationRow(key=name)
            for field, value in values.items():
                setattr(row, field, value)
            session.add(row)
            if own:
                await session.commit()
