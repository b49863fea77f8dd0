"""One unit of work per action: the repositories share a session, and only this commits.

Where the commit happens is decided here and in the middlewares, never in a screen:
- while an update is handled, its unit of work commits right before every call to Telegram
  (bot/middlewares.py CommitBeforeTelegram), so what the bot says is already saved and no
  transaction is held open across the network, and once more when the handler returns;
- a scheduled job or a command opens its own unit of work, which commits when it closes;
- a use case commits itself only when it must act on the outcome of the commit (filing a
  report: services/intake.py turns a unique-key conflict into "already filed").
"""

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from contextlib import AbstractContextManager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.callbacks import CallbackRepository
from storage.chats import ChatRepository
from storage.complaints import ComplaintRepository
from storage.database import WROTE
from storage.long_reads import reading_at_length
from storage.memo import Memo, remembered
from storage.outbox import OutboxRepository
from storage.owners import OwnerRepository
from storage.tickets import TicketRepository
from storage.updates import HandledUpdateRepository


class DuplicateUpdate(Exception):
    """The update this unit of work handles was handled already: nothing of it is kept."""


_current: ContextVar["UnitOfWork | None"] = ContextVar("unit_of_work", default=None)


class UnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]):
        self._sessions = sessions
        self._after_commit: list[Callable[[], Any]] = []
        self._before_commit: dict[Hashable, Callable[[], Awaitable[Any]]] = {}
        self._task: asyncio.Task | None = None
        self._update: tuple[int, datetime] | None = None  # recorded with the first commit
        # what this action looked up and may look up again (a filter on each router on the
        # way to the handler); forgotten at every commit, so a change is seen after it (not
        # when a transaction that only read ends: end_reads)
        self.memo: Memo = {}
        # set while the action has only read, and means to (bot/answers.py: a button's
        # filters have run, its handler has not)
        self.only_read = False
        # rows the action keeps in hand across its commits (the conversation it moves on,
        # the languages it speaks in); nothing else changes them meanwhile that matters here
        self.held: Memo = {}

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        self.owners = OwnerRepository(self.session, self.memo)
        self.tickets = TicketRepository(self.session, self.memo)
        self.chats = ChatRepository(self.session, self.held)
        self.outbox = OutboxRepository(self.session, self.memo)
        self.callbacks = CallbackRepository(self.session)
        self.complaints = ComplaintRepository(self.session)
        self.updates = HandledUpdateRepository(self.session)
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                await self.commit()
            else:
                await self.rollback()
        finally:
            self._task = None
            await self.session.close()

    async def commit(self) -> None:
        """Commit what is done so far; an action commits before its slow part (talking to
        Telegram), so no write lock is held while waiting on the network."""
        update, self._update = self._update, None
        writes, self._before_commit = self._before_commit, {}
        try:
            if update is not None and not await self.updates.record(*update):
                await self.rollback()
                raise DuplicateUpdate(update[0])
            for write in writes.values():
                await write()
            await self.session.commit()
        except DuplicateUpdate:
            raise
        except BaseException:
            self._update = self._update or update  # its record went with the failed commit
            self._before_commit = {**writes, **self._before_commit}  # and so did these writes
            raise
        self.memo.clear()
        callbacks, self._after_commit = self._after_commit, []
        for callback in callbacks:
            callback()

    async def end_reads(self) -> None:
        """Before a call to Telegram while the action has only read: end the transaction
        without writing the update's record, which the next commit writes; the call then
        need not wait for the write lock. Should anything have been written or wait to be
        after all, it is committed with the record, as at any call."""
        if self._before_commit or self.session.new or self.session.dirty or self.session.deleted:
            await self.commit()
            return
        if self.session.in_transaction():
            if (await self.session.connection()).info.get(WROTE):
                await self.commit()
                return
            await self.session.commit()
        # what was looked up stays known: this action changed none of it

    async def rollback(self) -> None:
        """Give up what is not committed yet; rows kept in hand are read again when next
        asked for, as they were last committed."""
        await self.session.rollback()
        self._before_commit.clear()
        self.memo.clear()
        self.held.clear()

    def handles(self, update_id: int, now: datetime) -> None:
        """This unit of work handles a Telegram update: its first commit records it, or
        raises DuplicateUpdate if a twin did (the write lock is taken only then, not while
        aiogram routes the update)."""
        self._update = (update_id, now)

    async def commit_if_open(self) -> None:
        """Commit if a transaction is open, the update is still to be recorded (its record
        comes before anything the bot says about it) or a write waits for the commit; a
        session with none of these holds no connection."""
        if self.session.in_transaction() or self._update is not None or self._before_commit:
            await self.commit()

    async def remember(self, key: Hashable, look_up: Callable[[], Awaitable[Any]]) -> Any:
        """`look_up()` once until the next commit."""
        return await remembered(self.memo, key, look_up)

    def before_commit(self, key: Hashable, write: Callable[[], Awaitable[Any]]) -> None:
        """`write()` in the next commit's transaction, once however often it is asked
        for meanwhile (a row kept in hand and changed since: the conversation)."""
        self._before_commit[key] = write

    def after_commit(self, callback: Callable[[], Any]) -> None:
        """Run `callback` once what is pending now is committed (e.g. wake the sender)."""
        if callback not in self._after_commit:
            self._after_commit.append(callback)

    @staticmethod
    def reading_at_length() -> AbstractContextManager[None]:
        """For a read over much of the history (a report over months of tickets): on SQLite
        its statements leave the event loop, so owners are answered meanwhile."""
        return reading_at_length()

    def make_current(self) -> None:
        """The update's own unit of work, for what runs inside its handling without being
        handed it (the conversation store: storage/conversations.py). Only the task that
        handles the update sees it: a task the handler starts (a timer) outlives it."""
        self._task = asyncio.current_task()
        _current.set(self)

    @staticmethod
    def current() -> "UnitOfWork | None":
        uow = _current.get()
        if uow is None or uow._task is None or uow._task is not asyncio.current_task():
            return None
        return uow
