"""SQLite statements run on the event loop (storage/database.py StatementsOnTheLoop); one
that meets another process's lock waits for it in the connection's thread, the loop free."""

import asyncio
import sqlite3

from storage.database import create_engine, migrate, session_factory
from storage.unit_of_work import UnitOfWork


async def test_a_write_waits_for_another_process_lock_without_holding_up_the_loop(tmp_path):
    path = tmp_path / "t.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await migrate(engine)
    other = sqlite3.connect(path, isolation_level=None)  # another process: the CLI, say
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def tick_then_release() -> None:
        nonlocal ticks
        for _ in range(10):
            await asyncio.sleep(0.03)
            ticks += 1
        other.execute("COMMIT")

    releasing = asyncio.create_task(tick_then_release())
    async with UnitOfWork(session_factory(engine)) as uow:
        await uow.chats.set_language(42, "ru")
    await releasing
    assert ticks == 10  # the loop went on while the write waited
    async with UnitOfWork(session_factory(engine)) as uow:
        assert await uow.chats.language_of(42) == "ru"
    other.close()
    await engine.dispose()


async def test_reads_and_writes_give_what_was_written(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    await migrate(engine)
    for user_id in range(1, 6):
        async with UnitOfWork(session_factory(engine)) as uow:
            await uow.chats.set_language(user_id, "zh" if user_id % 2 else "en")
    async with UnitOfWork(session_factory(engine)) as uow:
        assert [await uow.chats.language_of(user_id) for user_id in range(1, 7)] == ["zh", "en", "zh", "en", "zh", None]
    await engine.dispose()
