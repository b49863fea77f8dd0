"""One worker runs the clock (sweeps, digests, reports, purges); the others stand by.

Several webhook workers share one PostgreSQL. The clock's leader is whoever holds a
session-level advisory lock on a connection of its own: PostgreSQL releases it the moment
that connection ends, so when the leader's process dies (even by SIGKILL) a waiting worker
gets the lock at once and starts the clock. The leader checks its connection every
`check` seconds and stops its clock when the connection is gone (the database may have
ended the session and let another worker lead). On SQLite there is one process, which
always leads.

Every clock job is safe to repeat anyway (each notice is written once under a unique key,
docs/architecture.md), so the lease spares work and doubled reports, not correctness.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.database import CLOCK_LOCK

log = logging.getLogger(__name__)

CHECK = 60.0  # seconds between the leader's checks of its connection; and between retries


class ClockLeader:
    def __init__(
        self, engine: AsyncEngine, start: Callable[[], None], stop: Callable[[], None], check: float = CHECK
    ) -> None:
        self.engine = engine
        self._start_clock = start
        self._stop_clock = stop
        self.check = check
        self.leading = False
        self._task: asyncio.Task[None] | None = None

    @property
    def shared(self) -> bool:
        """Whether other processes may share the database (so the lease is needed)."""
        return self.engine.dialect.name == "postgresql"

    def start(self) -> None:
        if not self.shared:
            self._lead()
            return
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._follow()

    async def _run(self) -> None:
        while True:
            try:
                async with self.engine.connect() as connection:
                    await self._lead_while_connected(connection)
            except (DBAPIError, OperationalError, OSError) as error:
                self._follow()
                log.warning("the clock lease is lost (%s); trying again in %g s", type(error).__name__, self.check)
            await asyncio.sleep(self.check)

    async def _lead_while_connected(self, connection: AsyncConnection) -> None:
        try:
            if not await self._query(connection, "SELECT pg_try_advisory_lock(:key)"):
                log.info("another worker runs the clock; this one takes over if that one stops")
                await self._query(connection, "SELECT pg_advisory_lock(:key)")  # waits for it
            self._lead()
            while True:
                await asyncio.sleep(self.check)
                await self._query(connection, "SELECT 1")
        finally:
            self._follow()

    @staticmethod
    async def _query(connection: AsyncConnection, statement: str) -> object:
        parameters = {"key": CLOCK_LOCK} if ":key" in statement else {}
        result = (await connection.execute(text(statement), parameters)).scalar()
        await connection.commit()  # the lock is the session's: it outlives the transaction
        return result

    def _lead(self) -> None:
        if not self.leading:
            self.leading = True
            log.info("this worker runs the clock")
            self._start_clock()

    def _follow(self) -> None:
        if self.leading:
            self.leading = False
            self._stop_clock()
            log.info("this worker no longer runs the clock")
