"""aiogram's FSM storage on our database: a half-written report survives a restart."""

import json
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import ConversationRow


class DatabaseStorage(BaseStorage):
    """Each call is its own short transaction, so the conversation is saved the moment the
    handler moves it on, independently of the update's unit of work.

    On SQLite that is a second connection: a handler changes the conversation before its
    unit of work writes, or after it commits, never in between (it would wait on itself)."""

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

    async def _read(self, key: StorageKey) -> ConversationRow | None:
        async with self._sessions() as session:
            return await session.get(ConversationRow, self._keys.build(key))

    async def _write(self, key: StorageKey, **values: str | None) -> None:
        async with self._sessions() as session:
            name = self._keys.build(key)
            row = await session.get(ConversationRow, name) or ConversationRow(key=name)
            for field, value in values.items():
                setattr(row, field, value)
            session.add(row)
            await session.commit()
