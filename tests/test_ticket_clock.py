"""The clock's query reads only the tickets that are due (storage/ticket_clock.py), on
SQLite and on PostgreSQL: closed history is never read, a changed ticket is looked at
again, and a moment computed before a change is never written over it."""

from datetime import timedelta

from storage.database import session_factory
from storage.ticket_clock import NEEDS_A_LOOK
from storage.unit_of_work import UnitOfWork
from tests.test_storage import NOW, database_url, engine_at, new_ticket

__all__ = ["database_url"]  # the fixture, on both databases
HOUR = timedelta(hours=1)


async def test_the_sweep_reads_only_tickets_due_oldest_first_a_batch_at_a_time(database_url):
    engine = await engine_at(database_url)
    async with UnitOfWork(session_factory(engine)) as uow:
        ids = [await new_ticket(uow) for _ in range(5)]
        assert [ticket_id for _, ticket_id in await uow.tickets.due(NOW, None, 10)] == ids  # all new: a look each
        for ticket_id, moment in zip(ids, (NOW + HOUR, NOW - HOUR, None, NOW, NOW - 2 * HOUR), strict=True):
            [(_, version, _)] = await uow.tickets.due_state([ticket_id])
            await uow.tickets.set_next_due_all([(ticket_id, version, moment)])
        due = await uow.tickets.due(NOW, None, 10)
        assert [ticket_id for _, ticket_id in due] == [ids[4], ids[1], ids[3]]
        first = await uow.tickets.due(NOW, None, 2)
        assert await uow.tickets.due(NOW, first[-1], 2) == due[2:]
        await uow.commit()
    await engine.dispose()


async def test_a_change_brings_the_ticket_back_and_a_stale_moment_is_not_written(database_url):
    engine = await engine_at(database_url)
    async with UnitOfWork(session_factory(engine)) as uow:
        ticket_id = await new_ticket(uow)
        [(_, read, _)] = await uow.tickets.due_state([ticket_id])
        await uow.tickets.set_next_due_all([(ticket_id, read, NOW + HOUR)])
        assert await uow.tickets.due(NOW, None, 10) == []
        assert await uow.tickets.note(ticket_id, "remind:x", NOW)
        await uow.tickets.change(ticket_id, urgency="routine")  # between the sweep's read and its write
        await uow.tickets.set_next_due_all([(ticket_id, read, NOW + HOUR)])  # refused: it changed
        assert await uow.tickets.due(NOW, None, 10) == [(NEEDS_A_LOOK, ticket_id)]
        [(_, _, noted)] = await uow.tickets.due_state([ticket_id])
        assert noted == {"remind:x"}
        await uow.commit()
    await engine.dispose()


async def test_a_batch_of_moments_is_written_at_once_and_skips_the_changed(database_url):
    engine = await engine_at(database_url)
    async with UnitOfWork(session_factory(engine)) as uow:
        first, second = await new_ticket(uow), await new_ticket(uow)
        read = {ticket.id: version for ticket, version, _ in await uow.tickets.due_state([first, second])}
        await uow.tickets.change(second, urgency="routine")
        await uow.tickets.set_next_due_all([(first, read[first], NOW + HOUR), (second, read[second], None)])
        assert await uow.tickets.due(NOW + HOUR, None, 10) == [(NEEDS_A_LOOK, second), (NOW + HOUR, first)]
        await uow.commit()
    await engine.dispose()
