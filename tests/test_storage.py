"""Migrations, the conversation storage and the atomic take, on real databases: SQLite,
and PostgreSQL (the database for scaling out) where one is running — .ci/run starts one."""

import asyncio
import os
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.fsm.storage.base import StorageKey
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from domain.job import DEADLINES_RUN, OPEN
from domain.roster import RosterRow
from domain.tickets import EventKind, Place, TicketStatus
from storage.conversations import DatabaseStorage
from storage.database import create_engine, downgrade, migrate, session_factory
from storage.tables import UserPreferenceRow
from storage.tickets import Evidence, NewTicket
from storage.unit_of_work import DuplicateUpdate, UnitOfWork

NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)


POSTGRES = os.environ.get("BAOXIU_TEST_POSTGRES_URL", "postgresql+asyncpg://baoxiu:baoxiu@127.0.0.1:5432/baoxiu_test")


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path}/t.db"
        return
    engine = create_engine(POSTGRES)
    try:
        async with engine.begin() as connection:  # a clean schema for every test
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    except Exception as error:  # refused, unknown role, no such database: all "not here"
        await engine.dispose()
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES}: {error}")
        pytest.skip(f"no PostgreSQL here ({error.__class__.__name__})")
    await engine.dispose()
    yield POSTGRES


async def engine_at(url):
    engine = create_engine(url)
    await migrate(engine)
    return engine


async def test_migrations_go_up_down_and_up_again(database_url):
    engine = await engine_at(database_url)
    await downgrade(engine, "base")
    await migrate(engine)
    await migrate(engine)  # already at head: nothing to do
    await engine.dispose()


async def test_the_migrations_build_exactly_the_tables_the_code_declares(database_url):
    engine = await engine_at(database_url)
    async with engine.connect() as connection:
        differences = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), SQLModel.metadata)
        )
    await engine.dispose()
    assert differences == []


async def test_a_conversation_survives_a_new_storage_on_the_same_database(database_url):
    engine = await engine_at(database_url)
    key = StorageKey(bot_id=1, chat_id=10, user_id=10)
    first = DatabaseStorage(session_factory(engine))
    await first.set_state(key, "Report:photos")
    await first.set_data(key, {"draft": {"description": "漏水", "photos": ["a", "b"]}})
    second = DatabaseStorage(session_factory(engine))
    assert await second.get_state(key) == "Report:photos"
    assert await second.get_data(key) == {"draft": {"description": "漏水", "photos": ["a", "b"]}}
    await second.set_state(key, None)
    assert await first.get_state(key) is None
    assert await first.get_data(StorageKey(bot_id=1, chat_id=11, user_id=11)) == {}
    await engine.dispose()


async def new_ticket(uow: UnitOfWork) -> int:
    ticket = await uow.tickets.add(
        NewTicket(
            owner_user_id=1,
            place=Place("A", None, None, "lobby"),
            category="leak",
            trade="waterproofing",
            urgency="urgent",
            description="drip",
            visit_time="asap",
            coverage="paid",
            status=TicketStatus.ASSIGNED,
            contractor_code="aqua",
            language="en",
            filed_at=NOW,
            accept_by=None,
            on_site_by=None,
            resolve_by=None,
        ),
        NOW,
    )
    return ticket.id


async def test_of_many_simultaneous_takes_exactly_one_wins(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        ticket_id = await new_ticket(uow)

    async def take(engineer: int) -> bool:
        async with UnitOfWork(sessions) as uow:
            won = await uow.tickets.take(ticket_id, "aqua", engineer, f"e{engineer}", NOW)
            await uow.commit()
            return won

    results = await asyncio.gather(*(take(engineer) for engineer in range(8)))
    assert results.count(True) == 1
    async with UnitOfWork(sessions) as uow:
        ticket = await uow.tickets.get(ticket_id)
    assert ticket.status is TicketStatus.TAKEN
    assert ticket.engineer_user_id == results.index(True)
    await engine.dispose()


async def test_a_job_taken_cannot_be_passed_on_or_taken_by_another_contractor(database_url):
    engine = await engine_at(database_url)
    async with UnitOfWork(session_factory(engine)) as uow:
        ticket_id = await new_ticket(uow)
        assert not await uow.tickets.take(ticket_id, "volt", 5, "e5", NOW)
        assert await uow.tickets.take(ticket_id, "aqua", 6, "e6", NOW)
        assert not await uow.tickets.pass_on(ticket_id, "aqua", "inhouse")
    await engine.dispose()


async def test_two_senders_never_claim_the_same_message(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        await uow.outbox.add(42, "sendMessage", {"params": {"text": "hi"}}, NOW)
    async with UnitOfWork(sessions) as uow:
        row_id = (await uow.outbox.next_for_chat(42)).id

    async def claim() -> bool:
        async with UnitOfWork(sessions) as uow:
            return await uow.outbox.claim(row_id, NOW, NOW.replace(hour=3))

    assert sorted(await asyncio.gather(*(claim() for _ in range(6)))) == [False] * 5 + [True]
    await engine.dispose()


async def test_an_update_handled_by_two_workers_at_once_is_kept_once(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)

    async def handle(chat: int) -> str:
        async with UnitOfWork(sessions) as uow:
            uow.handles(77, NOW)
            await uow.outbox.add(chat, "sendMessage", {"params": {"text": "once"}}, NOW)
            try:
                await uow.commit()
            except DuplicateUpdate:
                return "skipped"
            return "kept"

    assert sorted(await asyncio.gather(handle(1), handle(2))) == ["kept", "skipped"]
    async with UnitOfWork(sessions) as uow:
        assert await uow.updates.seen(77)
        assert len(await uow.outbox.chats_with_due_messages(NOW)) == 1
    await engine.dispose()


async def test_thirty_units_reading_then_writing_at_once_all_commit(database_url):
    """On SQLite they queue for the one write lock (storage/database.py, SQLiteWriter):
    none fails, none waits for ever, every write is kept."""
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        ticket_id = await new_ticket(uow)

    async def note(index: int) -> None:
        async with UnitOfWork(sessions) as uow:
            await uow.tickets.get(ticket_id)
            await asyncio.sleep(0)
            await uow.tickets.record(ticket_id, EventKind.FILED, NOW, index)

    await asyncio.gather(*(note(index) for index in range(30)))
    async with engine.connect() as connection:
        events = await connection.execute(text("select count(*) from ticket_event where actor_user_id < 30"))
        assert events.scalar() == 30
    await engine.dispose()


async def test_a_conversation_moved_on_twice_in_an_update_is_written_once_with_both(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    storage = DatabaseStorage(sessions)
    key = StorageKey(bot_id=1, chat_id=11, user_id=11)
    writes: list[str] = []

    def count(_connection, _cursor, statement: str, *_rest) -> None:
        if statement.startswith("INSERT INTO conversation"):
            writes.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    async with UnitOfWork(sessions) as uow:
        uow.make_current()
        await storage.set_state(key, "Report:photos")
        await storage.set_data(key, {"photos": ["a"]})
        await storage.set_state(key, "Report:visit")
    assert len(writes) == 1
    assert await storage.get_state(key) == "Report:visit"
    assert await storage.get_data(key) == {"photos": ["a"]}
    await engine.dispose()


async def test_clearing_a_clear_conversation_writes_nothing(database_url):
    """Filing clears the conversation in its own commit; the handler's closing clear then
    has nothing left to write."""
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    storage = DatabaseStorage(sessions)
    key = StorageKey(bot_id=1, chat_id=12, user_id=12)
    writes = statements_seen(engine, "INSERT INTO conversation")
    async with UnitOfWork(sessions) as uow:
        uow.make_current()
        await storage.set_state(key, "Report:summary")
        await uow.commit()
        await storage.set_state(key, None)
        await storage.set_data(key, {})
        await uow.commit()
        await storage.set_state(key, None)
        await storage.set_data(key, {})
    assert len(writes) == 2
    assert await storage.get_state(key) is None
    await engine.dispose()


def statements_seen(engine, beginning: str) -> list[str]:
    seen: list[str] = []

    def count(_connection, _cursor, statement: str, *_rest) -> None:
        if statement.lstrip().startswith(beginning):
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    return seen


async def test_a_unit_of_work_reads_a_persons_language_once_and_sees_its_own_change(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    reads = statements_seen(engine, "SELECT user_preference.language")
    async with UnitOfWork(sessions) as uow:
        assert await uow.chats.language_of(40) is None
        await uow.chats.set_language(40, "ru")
        assert await uow.chats.language_of(40) == "ru"
        await uow.commit()
        await uow.chats.set_language(40, "zh", only_if_unset=True)
        assert await uow.chats.language_of(40) == "ru"
        await uow.chats.set_language(40, "en")
        await uow.rollback()  # the change is given up: the language is read again
        assert await uow.chats.language_of(40) == "ru"
    assert len(reads) == 2
    await engine.dispose()


async def test_messages_queued_to_a_group_ask_once_per_transaction_where_it_lives(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    lookups = statements_seen(engine, "SELECT chat_trouble")
    async with UnitOfWork(sessions) as uow:
        await uow.outbox.add(-100, "sendMessage", {"text": "photos"}, NOW)
        await uow.outbox.add(-100, "sendMessage", {"text": "card"}, NOW)
        assert len(lookups) == 1
        await uow.chats.move_group(-100, -200, None, NOW)
        await uow.outbox.retarget(-100, -200)
        await uow.outbox.add(-100, "sendMessage", {"text": "after the move"}, NOW)
    async with engine.connect() as connection:
        chats = await connection.execute(text("select distinct chat_id from outbox"))
        assert chats.scalars().all() == [-200]
    await engine.dispose()


async def test_a_ticket_filed_in_a_transaction_shares_its_photos_without_reading_them_back(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    reads = statements_seen(engine, "SELECT ticket_photo")
    first, second = Evidence("f1", "a.jpg", "00", 1, None, "a-shared.jpg"), Evidence("f2", None, None, None, None)
    async with UnitOfWork(sessions) as uow:
        ticket_id = await new_ticket(uow)
        await uow.tickets.add_photo(ticket_id, "before", first, NOW)
        await uow.tickets.add_photo(ticket_id, "before", second, NOW)
        assert await uow.tickets.photos_to_share(ticket_id) == [("f1", "a-shared.jpg"), ("f2", None)]
        assert await uow.tickets.photos_to_share(ticket_id, "after") == []
        assert reads == []
        await uow.commit()
        assert await uow.tickets.photos_to_share(ticket_id) == [("f1", "a-shared.jpg"), ("f2", None)]
    assert len(reads) == 1
    await engine.dispose()


async def test_ending_reads_leaves_the_updates_record_to_the_next_commit(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)

    async def recorded(update_id: int) -> bool:
        async with engine.connect() as connection:
            found = await connection.execute(text(f"select count(*) from handled_update where update_id = {update_id}"))
            return found.scalar() == 1

    async with UnitOfWork(sessions) as uow:
        uow.handles(70, NOW)
        await uow.chats.language_of(70)
        await uow.end_reads()
        assert not await recorded(70)
    assert await recorded(70)
    async with UnitOfWork(sessions) as uow:  # something to write after all: committed with its record
        uow.handles(71, NOW)
        await uow.chats.set_language(71, "ru")
        await uow.end_reads()
        assert await recorded(71)
        assert await uow.chats.language_of(71) == "ru"
    async with UnitOfWork(sessions) as uow:  # written already, by a flush or a plain statement
        uow.handles(72, NOW)
        uow.session.add(UserPreferenceRow(telegram_user_id=72, language="zh"))
        await uow.session.flush()
        await uow.end_reads()
        assert await recorded(72)
        uow.handles(73, NOW)
        await uow.outbox.retarget(-1, -2)
        await uow.end_reads()
        assert await recorded(73)
    await engine.dispose()


async def test_the_units_an_owners_screen_read_are_not_read_again_in_the_transaction(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        await uow.owners.import_row(RosterRow(2, "A", "0502", "John", "+8613800000001", date(2024, 6, 1), None))
    async with UnitOfWork(sessions) as uow:
        ((unit, _name, _language),) = await uow.owners.units_for_phone("+8613800000001")
        await uow.owners.bind(50, "John", "+8613800000001", [unit], "contact", NOW)
    reads = statements_seen(engine, "SELECT unit")
    async with UnitOfWork(sessions) as uow:
        (bound,) = await uow.owners.bound_units(50)
        assert await uow.owners.unit_by_id(bound.id) == bound
        assert len(reads) == 1
        await uow.commit()
        assert await uow.owners.unit_by_id(bound.id) == bound
        assert len(reads) == 2
    await engine.dispose()


async def test_the_morning_figures_count_open_and_overdue_tickets_and_name_the_first_overdue(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        ids = [await new_ticket(uow) for _ in range(6)]
        await uow.tickets.change(ids[0], resolve_by=NOW + timedelta(hours=1))  # open, not yet due
        await uow.tickets.change(ids[1], resolve_by=NOW - timedelta(hours=1))  # overdue
        await uow.tickets.change(ids[2], resolve_by=NOW - timedelta(days=1))  # overdue
        await uow.tickets.change(ids[3], resolve_by=NOW - timedelta(days=1), status=TicketStatus.CLOSED)
        await uow.tickets.change(ids[4], resolve_by=NOW - timedelta(days=1), status=TicketStatus.WAITING_OWNER)
        await uow.tickets.change(ids[5], resolve_by=NOW - timedelta(days=1), status=TicketStatus.DONE)
    async with UnitOfWork(sessions) as uow:
        total, overdue, first = await uow.tickets.morning_figures(OPEN, DEADLINES_RUN, NOW, 1)
    assert (total, overdue, [ticket.id for ticket in first]) == (5, 2, [ids[1]])
    await engine.dispose()


async def test_a_read_at_length_leaves_the_event_loop_on_sqlite(tmp_path):
    """A report's statements run in SQLite's thread; an update's run on the loop."""
    engine = await engine_at(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        raw = await (await uow.session.connection()).get_raw_connection()
        raw.driver_connection._connection.create_function("thread_of_statement", 0, threading.get_ident)

        async def thread_of_statement() -> int:
            return (await uow.session.exec(text("select thread_of_statement()"))).scalar_one()

        assert await thread_of_statement() == threading.get_ident()
        with uow.reading_at_length():
            assert await thread_of_statement() != threading.get_ident()
        assert await thread_of_statement() == threading.get_ident()
    await engine.dispose()


async def test_many_units_are_read_in_parts_of_a_few_hundred(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        for number in range(1, 1202):
            await uow.owners.import_row(
                RosterRow(number, "A", f"{number:04d}", "O", f"+86138{number:08d}", date(2024, 6, 1), None)
            )
    queries = statements_seen(engine, "SELECT unit")
    async with UnitOfWork(sessions) as uow:
        units = await uow.owners.units_by_id([*range(1, 1202), 1, 99_999])
    assert len(queries) == 3 and len(units) == 1201
    assert units[1201].number == "1201" and 99_999 not in units
    await engine.dispose()


async def test_the_conversation_moves_on_in_the_transaction_of_its_update(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    storage = DatabaseStorage(sessions)
    key = StorageKey(bot_id=1, chat_id=10, user_id=10)
    async with UnitOfWork(sessions) as uow:
        uow.make_current()
        await storage.set_state(key, "Report:photos")
        assert await storage.get_state(key) == "Report:photos"
        await uow.rollback()  # the update failed: its conversation step goes too
    assert await storage.get_state(key) is None
    async with UnitOfWork(sessions) as uow:
        uow.make_current()
        await storage.set_state(key, "Report:photos")
    assert await storage.get_state(key) == "Report:photos"
    await engine.dispose()


async def test_each_contractor_has_at_most_one_bound_group_and_a_group_left_is_not_one(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    async with UnitOfWork(sessions) as uow:
        await uow.chats.bind_group(-1001, "Aqua", "AQUA", now)
        await uow.chats.bind_group(-1002, "Volt", "VOLT", now)
        await uow.chats.bind_group(-1003, "Aqua's new group", "AQUA", now)
        await uow.chats.bind_group(-1004, "Lift", "LIFT", now)
    async with UnitOfWork(sessions) as uow:
        await uow.chats.leave_group(-1004)
    async with UnitOfWork(sessions) as uow:
        assert await uow.chats.bound_groups() == {"AQUA": -1003, "VOLT": -1002}
    await engine.dispose()


async def test_an_update_whose_first_commit_failed_is_recorded_by_its_next(database_url):
    engine = await engine_at(database_url)
    sessions = session_factory(engine)
    async with UnitOfWork(sessions) as uow:
        await uow.chats.set_language(31, "en")
    async with UnitOfWork(sessions) as uow:
        uow.handles(88, NOW)
        uow.session.add(UserPreferenceRow(telegram_user_id=31, language="zh"))  # there already
        with pytest.raises(IntegrityError):
            await uow.commit()
        await uow.rollback()
        await uow.chats.set_language(32, "en")
    async with UnitOfWork(sessions) as uow:
        assert await uow.updates.seen(88)
        assert await uow.chats.language_of(32) == "en"
    await engine.dispose()
