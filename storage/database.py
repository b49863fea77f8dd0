"""The engine, and the schema brought to the latest migration at start."""

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

MIGRATIONS = Path(__file__).parent / "migrations"
# Each update holds one connection only while its transaction is open (it commits before
# talking to Telegram: storage/unit_of_work.py), so a small pool serves many owners; those
# beyond it wait their turn rather than fail.
POOL = {"pool_size": 10, "max_overflow": 10, "pool_timeout": 60}


def create_engine(database_url: str) -> AsyncEngine:
    in_memory = make_url(database_url).database in (None, "", ":memory:")
    engine = create_async_engine(database_url, **({} if in_memory else POOL))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _begin_immediate)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    # WAL lets readers go on while one writer commits; the busy timeout makes a second
    # writer wait for the first instead of failing at once.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # The driver's own BEGIN is deferred: a transaction that read first and then writes
    # fails at once ("database is locked") if another writer committed in between, and no
    # busy timeout helps. So the driver begins nothing and _begin_immediate takes the
    # write lock up front; the busy timeout then queues writers instead.
    connection.isolation_level = None


def _begin_immediate(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def migrate(engine: AsyncEngine, revision: str = "head") -> None:
    """Upgrade the schema to `revision`; a database already there is left as it is."""
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: command.downgrade(alembic_config(sync), revision))
