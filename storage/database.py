"""The engine, and the schema brought to the latest migration at start."""

import asyncio
import sqlite3
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import aiosqlite
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.util import await_only
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.long_reads import AT_LENGTH

MIGRATIONS = Path(__file__).parent / "migrations"
# Each update holds one connection only while its transaction is open (it commits before
# talking to Telegram: storage/unit_of_work.py), so a small pool serves many owners; those
# beyond it wait their turn rather than fail.
POOL = {"pool_size": 10, "max_overflow": 10, "pool_timeout": 60}
# PostgreSQL advisory lock keys of the application (any fixed numbers unlikely elsewhere):
# one for the schema's upgrade, one for the clock's leader (bot/leader.py).
# the key, in a connection's info, of "its transaction has written"
WROTE = "wrote"
MIGRATION_LOCK = 0x6261_6F78_0001
CLOCK_LOCK = 0x6261_6F78_0002


def create_engine(database_url: str) -> AsyncEngine:
    url = make_url(database_url)
    in_memory = url.database in (None, "", ":memory:")
    options: dict[str, Any] = {} if in_memory else dict(POOL)
    if url.get_backend_name() == "sqlite":
        options["async_creator"] = _sqlite_connector(url)
    engine = create_async_engine(database_url, **options)
    event.listen(engine.sync_engine, "before_cursor_execute", _note_write)
    event.listen(engine.sync_engine, "commit", _forget_writes)
    event.listen(engine.sync_engine, "rollback", _forget_writes)
    event.listen(engine.sync_engine.pool, "reset", _forget_writes_at_reset)
    if engine.dialect.name == "sqlite":
        writer = SQLiteWriter()
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "before_cursor_execute", writer.before_statement)
        event.listen(engine.sync_engine, "commit", writer.commit)
        event.listen(engine.sync_engine, "rollback", writer.rollback)
        event.listen(engine.sync_engine.pool, "reset", writer.reset)
    return engine


def _note_write(connection: Connection, _cursor: Any, statement: str, *_rest: Any) -> None:
    """A transaction that wrote, by any path (a flush, a plain UPDATE), is known as one
    (UnitOfWork.end_reads asks it); anything but a read counts."""
    if statement.lstrip()[:6].upper() not in ("SELECT", "PRAGMA"):
        connection.info[WROTE] = True


def _forget_writes(connection: Connection) -> None:
    connection.info.pop(WROTE, None)


def _forget_writes_at_reset(_driver: Any, record: Any, _state: Any) -> None:
    record.info.pop(WROTE, None)  # a connection given back with its transaction open


def _sqlite_pragmas(connection, _record) -> None:
    # WAL lets readers go on while one writer commits. A statement meeting another
    # process's lock fails at once on the event loop, and waits for it in the connection's
    # thread instead (StatementsOnTheLoop).
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.execute("PRAGMA foreign_keys=ON")
    # In WAL a commit need not wait for the disk (one fsync per checkpoint instead of one
    # per commit): the file stays consistent, and only a power cut, not a crash of the bot,
    # can lose the last moments. Commits are serial, so each fsync would hold up all.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    connection.isolation_level = None  # the driver begins nothing: SQLiteWriter does


def _sqlite_connector(url: URL) -> Callable[[], Any]:
    args, kwargs = url.get_dialect()().create_connect_args(url)

    async def connect() -> aiosqlite.Connection:
        connection = StatementsOnTheLoop(partial(sqlite3.connect, *args, **kwargs), iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy's own aiosqlite connect does
        return await connection

    return connect


class StatementsOnTheLoop(aiosqlite.Connection):
    """aiosqlite runs every call (cursor, execute, fetch, close: four or five per statement)
    in the connection's thread and wakes the event loop for each answer; those hops cost
    far more than our statements (point reads, and writes into the WAL under the lock
    SQLiteWriter holds for this process). So a cursor's calls run on the loop, with no
    busy timeout: one that finds the database locked by another process (a command-line
    import, a second bot starting) fails at once, having done nothing, and is run again in
    the thread, where it waits up to BUSY_WAIT_MS. PRAGMAs and the connection's own calls
    (open, close) go to the thread as before, and so do the statements of a task reading at
    length (storage/long_reads.py: a report over months of tickets held the loop a third of
    a second and more, which every owner waited for)."""

    BUSY_WAIT_MS = 30_000

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        connection = self._connection
        if connection is not None and AT_LENGTH.get():
            return await super()._execute(partial(self._patiently, connection, fn), *args, **kwargs)
        if connection is None or not self._quick(connection, fn, args):
            return await super()._execute(fn, *args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY:
                raise
        return await super()._execute(partial(self._patiently, connection, fn), *args, **kwargs)

    @staticmethod
    def _quick(connection: sqlite3.Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> bool:
        if isinstance(getattr(fn, "__self__", None), sqlite3.Cursor):
            return not (args and isinstance(args[0], str) and args[0].lstrip()[:6].upper() in ("PRAGMA", "VACUUM"))
        if fn == connection.cursor:
            return True
        # the driver's own commit or rollback after SQLiteWriter ended the transaction: nothing to do
        return fn in (connection.commit, connection.rollback) and not connection.in_transaction

    @classmethod
    def _patiently(cls, connection: sqlite3.Connection, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """In the thread: wait for the other process's lock as long as SQLite's timeout allows."""
        connection.execute(f"PRAGMA busy_timeout={cls.BUSY_WAIT_MS}")
        try:
            return fn(*args, **kwargs)
        finally:
            connection.execute("PRAGMA busy_timeout=0")


class SQLiteWriter:
    """SQLite has one writer at a time. A transaction here reads without one (in WAL every
    read sees the last commit, as on PostgreSQL) and takes the write lock at its first
    write, with BEGIN IMMEDIATE, holding it until it ends.

    Why not the driver's BEGIN: it is deferred, so a transaction that read, then writes,
    fails at once ("database is locked") if another commit came in between, whatever
    the busy timeout. Why not BEGIN IMMEDIATE at the first read: an update's transaction
    then holds the lock through all of aiogram's routing. Why an asyncio queue for the
    lock: SQLite's own waiters poll with growing sleeps, so the lock often stands free
    while they sleep; here the next writer begins the moment the last one ends.

    A task with a write open must not wait for another write of its own: it would wait for
    itself. After LOCK_WAIT the wait fails as SQLite's would."""

    LOCK_WAIT = 30.0
    READS = ("SELECT", "PRAGMA")

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._holder: Any = None  # the driver connection writing now

    def before_statement(self, connection: Connection, cursor: Any, statement: str, *_args: Any) -> None:
        driver = connection.connection.dbapi_connection
        if driver is self._holder or statement.lstrip()[:6].upper() in self.READS:
            return
        try:
            await_only(asyncio.wait_for(self._lock.acquire(), self.LOCK_WAIT))
        except TimeoutError as error:
            raise OperationalError(statement, None, sqlite3.OperationalError("database is locked")) from error
        self._holder = driver
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release(driver)
            raise

    def commit(self, connection: Connection) -> None:
        self._end(connection.connection.dbapi_connection, "COMMIT")

    def rollback(self, connection: Connection) -> None:
        self._end(connection.connection.dbapi_connection, "ROLLBACK")

    def reset(self, driver: Any, _record: Any, _state: Any = None) -> None:
        self._end(driver, "ROLLBACK")  # a connection given back with a write still open

    def _end(self, driver: Any, how: str) -> None:
        """End the write here, then let the next writer in (the driver's own commit that
        follows finds nothing to do)."""
        if driver is None or driver is not self._holder:
            return
        try:
            cursor = driver.cursor()
            cursor.execute(how)
            cursor.close()
        finally:
            self._release(driver)

    def _release(self, driver: object) -> None:
        if self._holder is driver:
            self._holder = None
            self._lock.release()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the schema to `revision`; a database already there is left as it is.

    Workers starting together on one PostgreSQL take turns: the first upgrades, the others
    wait for its commit, then find the schema at `revision` and do nothing. (SQLite has one
    writer anyway, and the upgrade's first write waits for it.)"""
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # released with the transaction, so a worker killed mid-upgrade holds nothing
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))
