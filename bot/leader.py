"""One worker runs the clock (sweeps, digests, reports, purges); the others stand by.

Several webhook workers share one PostgreSQL. The clock's leader is whoever holds a
session-level advisory lock on a connection of its own: PostgreSQL releases it the moment
that connection ends, so when the leader's process dies (even by SIGKILL) a waiting worker
gets the lock at once and starts the clock. The leader checks its connection every
`check` seconds and stops its clock when the connection is gone (the database may have
ended the session and let another worker lead).

On SQLite with Redis (processes sharing one database file and Redis), the lease is a Redis
key with an expiry that the leader renews; another process takes it over once it lapses.
On SQLite alone there is one process, which always leads.

Every clock job is safe to repeat anyway (each notice is written once under a unique key,
docs/architecture.md), so the lease spares work and doubled reports, not correctness.
"""

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.database import CLOCK_LOCK

log = logging.getLogger(__name__)

CHECK = 60.0  # seconds between the leader's checks of its lease; and between retries
REDIS_KEY = "baoxiu:clock-leader"
# renew the key only if it is still ours (another worker may hold it since it lapsed)
RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class ClockLeader:
    def __init__(
        self,
        engine: AsyncEngine,
        start: Callable[[], None],
        stop: Callable[[], None],
        redis_url: str | None = None,
        check: float = CHECK,
    ) -> None:
        self.engine = engine
        self.redis_url = redis_url
        self._start_clock = start
        self._stop_clock = stop
        self.check = check
        self.leading = False
        self._task: asyncio.Task[None] | None = None
        # set by stop(): the loops end on it even when a client library swallows the
        # cancellation of a command (redis-py turns it into a ConnectionError)
        self._stopping = asyncio.Event()

    def start(self) -> None:
        self._stopping.clear()
        if self.engine.dialect.name == "postgresql":
            self._task = asyncio.create_task(self._hold_advisory_lock())
        elif self.redis_url:
            self._task = asyncio.create_task(self._hold_redis_lease(self.redis_url))
        else:
            self._lead()

    async def stop(self) -> None:
        # the clock stops first: a cancelled query may end the database session, and with
        # it the lock, before the task's own cleanup runs and another worker takes over
        self._stopping.set()
        self._follow()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    # ---- PostgreSQL ---------------------------------------------------------------------
    async def _hold_advisory_lock(self) -> None:
        while not self._stopping.is_set():
            try:
                connection = await self.engine.connect()
                try:
                    await self._lead_while_connected(connection)
                finally:
                    # closed, not given back to the pool: the session, and its lock, end here
                    with contextlib.suppress(Exception):
                        await connection.invalidate()
                    await connection.close()
            except (DBAPIError, OperationalError, OSError) as error:
                if self._stopping.is_set():  # a cancelled query, reported as a failed one
                    return
                self._lost(error)
            await self._pause(self.check)

    async def _lead_while_connected(self, connection: AsyncConnection) -> None:
        try:
            if not await self._query(connection, "SELECT pg_try_advisory_lock(:key)"):
                self._standing_by()
                await self._query(connection, "SELECT pg_advisory_lock(:key)")  # waits for it
            self._lead()
            while not self._stopping.is_set():
                await self._pause(self.check)
                await self._query(connection, "SELECT 1")
        finally:
            self._follow()

    @staticmethod
    async def _query(connection: AsyncConnection, statement: str) -> object:
        parameters = {"key": CLOCK_LOCK} if ":key" in statement else {}
        result = (await connection.execute(text(statement), parameters)).scalar()
        await connection.commit()  # the lock is the session's: it outlives the transaction
        return result

    # ---- Redis --------------------------------------------------------------------------
    async def _hold_redis_lease(self, url: str) -> None:
        from redis.asyncio import Redis
        from redis.exceptions import RedisError

        redis: Any = Redis.from_url(url)
        token = secrets.token_hex(8)
        lease = int(self.check * 1.5 * 1000)  # milliseconds: outlives one missed renewal
        waited = False
        try:
            while not self._stopping.is_set():
                try:
                    if self.leading:
                        if not await redis.eval(RENEW, 1, REDIS_KEY, token, lease):
                            self._follow()
                    elif await redis.set(REDIS_KEY, token, nx=True, px=lease):
                        self._lead()
                    elif not waited:
                        waited = True
                        self._standing_by()
                except (RedisError, OSError) as error:
                    if self._stopping.is_set():  # a cancelled command, reported as a failed one
                        return
                    self._lost(error)
                await self._pause(self.check / 3 if self.leading else self.check)
        finally:  # released only if still ours (RELEASE compares the token)
            with contextlib.suppress(RedisError, OSError):
                await redis.eval(RELEASE, 1, REDIS_KEY, token)
            await redis.aclose()

    # ---- either -------------------------------------------------------------------------
    async def _pause(self, seconds: float) -> None:
        """Wait `seconds`, or less if the leader stops meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    def _standing_by(self) -> None:
        log.info("another worker runs the clock; this one takes over if that one stops")

    def _lost(self, error: Exception) -> None:
        self._follow()
        log.warning("the clock lease is lost (%s); trying again in %g s", type(error).__name__, self.check)

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
