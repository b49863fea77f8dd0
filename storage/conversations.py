"""aiogram's FSM storage on our database: a half-written report survives a restart.

Every update reads its conversation and most move it on, so both are prebuilt plain
statements on the table (a read of two columns, an upsert) rather than the ORM's load and
flush of a row, which cost more than the statements themselves.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import ConversationRow
from storage.unit_of_work import UnitOfWork

_TABLE = SQLModel.metadata.tables[ConversationRow.__tablename__]
_READ = select(_TABLE.c.state, _TABLE.c.data).where(_TABLE.c.key == bindparam("key"))


def _upsert(insert: Any) -> Any:
    statement = insert(_TABLE)
    changed = {"state": statement.excluded.state, "data": statement.excluded.data}
    return statement.on_conflict_do_update(index_elements=[_TABLE.c.key], set_=changed)


_WRITE = {"sqlite": _upsert(sqlite.insert), "postgresql": _upsert(postgresql.insert)}


@dataclass
class Conversation:
    state: str | None = None
    data: str = "{}"  # JSON


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
        return (await self._read(key)).state

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=json.dumps(dict(data), ensure_ascii=False))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return json.loads((await self._read(key)).data)

    async def close(self) -> None:
        """The engine belongs to the application, which disposes of it."""

    async def _read(self, key: StorageKey) -> Conversation:
        name = self._keys.build(key)
        uow = UnitOfWork.current()
        if uow is not None:
            return await self._in_hand(uow, name)
        async with self._sessions() as session:
            return await _load(session, name)

    async def _write(self, key: StorageKey, **values: str | None) -> None:
        name = self._keys.build(key)
        uow = UnitOfWork.current()
        if uow is not None:
            conversation = await self._in_hand(uow, name)
            if _change(conversation, values):  # else a write already asked for stays, or none is due
                uow.before_commit((HELD, name), lambda: _save(uow.session, name, conversation))
            return
        async with self._sessions() as session:
            conversation = await _load(session, name)
            _change(conversation, values)
            await _save(session, name, conversation)
            await session.commit()

    @staticmethod
    async def _in_hand(uow: UnitOfWork, name: str) -> Conversation:
        """Read once per update: the conversation stays in hand across commits, and nothing
        else changes it meanwhile (aiogram's per-chat lock)."""
        if (HELD, name) not in uow.held:
            uow.held[(HELD, name)] = await _load(uow.session, name)
        return uow.held[(HELD, name)]


async def _load(session: AsyncSession, name: str) -> Conversation:
    row = (await session.exec(_READ, params={"key": name})).first()
    return Conversation() if row is None else Conversation(*row)


async def _save(session: AsyncSession, name: str, conversation: Conversation) -> None:
    statement = _WRITE[session.get_bind().dialect.name]
    await session.exec(statement, params={"key": name, "state": conversation.state, "data": conversation.data})


def _change(conversation: Conversation, values: dict[str, str | None]) -> bool:
    """Whether the conversation changed (clearing one that is clear changes nothing)."""
    changed = False
    for field, value in values.items():
        changed = changed or getattr(conversation, field) != value
        setattr(conversation, field, value)
    return changed


HELD = "conversation"
