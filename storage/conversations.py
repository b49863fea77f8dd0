"""aiogram's FSM storage on our database: a half-written report survives a restart."""

import json
from collections.abc import Mapping
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

    async def _read(self, key: StorageKey) -> ConversationRow | None:
        name = self._keys.build(key)
        uow = UnitOfWork.current()
        if uow is not None:
            return await self._in_hand(uow, name)
        async with self._sessions() as session:
            return await session.get(ConversationRow, name)

    async def _write(self, key: StorageKey, **values: str | None) -> None:
        name = self._keys.build(key)
        uow = UnitOfWork.current()
        if uow is not None:
            row = await self._in_hand(uow, name) or ConversationRow(key=name)
            self._change(row, values)
            uow.session.add(row)
            uow.held[(HELD, name)] = row
            return
        async with self._sessions() as session:
            row = await session.get(ConversationRow, name) or ConversationRow(key=name)
            self._change(row, values)
            session.add(row)
            await session.commit()

    @staticmethod
    async def _in_hand(uow: UnitOfWork, name: str) -> ConversationRow | None:
        """Read once per update: the row stays in hand (and in the session) across commits,
        and nothing else changes it meanwhile (aiogram's per-chat lock)."""
        if (HELD, name) not in uow.held:
            uow.held[(HELD, name)] = await uow.session.get(ConversationRow, name)
        return uow.held[(HELD, name)]

    @staticmethod
    def _change(row: ConversationRow, values: dict[str, str | None]) -> None:
        for field, value in values.items():
            setattr(row, field, value)


HELD = "conversation"
