"""The storm's two peers, each an aiogram bot polling the same built-in Bot API as baoxiu.

The echo bot is the plain one people write: it keeps nothing and answers every text with
itself.

The floor bot does what every update of a repair desk must do, and nothing else: the floor
under baoxiu's cost on this stack. A repair desk must keep every update's effect, even
across a crash and a redelivery, so for each update this bot, as baoxiu does:
- records the update's id, once (a second delivery has no effect);
- reads and writes the chat's conversation state in the same database;
- commits that one transaction before it answers;
- answers once.

It uses baoxiu's own engine (`storage.database.create_engine`: its pool, SQLite's pragmas,
statements on the event loop) and SQLModel's async session, as baoxiu's repositories do. It
asks no question of the content and sends no buttons, cards or photos, so it is a floor:
a bot doing the whole flow costs more. Its two tables (floor_*) are created in its own
database only. They sit on SQLModel's registry beside baoxiu's: a registry of their own
made this bot a third slower in the storm, for a reason not found (a session alone costs
the same either way).
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message, TelegramObject, Update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import Field, SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.database import create_engine


class HandledUpdate(SQLModel, table=True):
    __tablename__ = "floor_handled_update"
    update_id: int = Field(primary_key=True)


class ConversationState(SQLModel, table=True):
    __tablename__ = "floor_conversation"
    chat_id: int = Field(primary_key=True)
    step: str = ""
    draft: str = ""


class OnceInOneTransaction(BaseMiddleware):
    """An update's session: handled once, its writes committed by the handler."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            if await session.get(HandledUpdate, event.update_id) is not None:
                return None  # delivered again: its effect is already kept
            session.add(HandledUpdate(update_id=event.update_id))
            data["session"] = session
            return await handler(event, data)


async def answer(message: Message, session: AsyncSession) -> None:
    state = await session.get(ConversationState, message.chat.id)
    if state is None:
        state = ConversationState(chat_id=message.chat.id)
    state.step, state.draft = "next", message.text or ""
    session.add(state)
    await session.commit()  # before Telegram, as baoxiu does
    await message.answer(message.text or "?")


async def echo(message: Message) -> None:
    await message.answer(message.text or "?")


class EchoBot:
    def __init__(self, token: str, api_url: str) -> None:
        self.dispatcher = Dispatcher()
        self.dispatcher.message()(echo)
        self.bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
        self._polling: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._polling = asyncio.create_task(self.dispatcher.start_polling(self.bot, handle_signals=False))

    async def stop(self) -> None:
        await self.dispatcher.stop_polling()
        if self._polling is not None:
            await self._polling
        await self.bot.session.close()


class FloorBot(EchoBot):
    """Started on a database of its own (a fresh SQLite file, or a fresh PostgreSQL schema)."""

    def __init__(self, database_url: str, token: str, api_url: str) -> None:
        self.engine = create_engine(database_url)
        self.dispatcher = Dispatcher()
        self.dispatcher.update.outer_middleware(OnceInOneTransaction(self.engine))
        self.dispatcher.message()(answer)
        self.bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
        self._polling = None

    async def start(self) -> None:
        async with self.engine.begin() as connection:
            tables = [HandledUpdate.__table__, ConversationState.__table__]
            await connection.run_sync(SQLModel.metadata.create_all, tables=tables)
        await super().start()

    async def stop(self) -> None:
        await super().stop()
        await self.engine.dispose()
