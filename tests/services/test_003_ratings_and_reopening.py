"""A callback's answers on a real SQLite database: an unhappy rating counts at once and a
comment afterwards never replaces it; a ticket that came back waits for the manager's
look with deadlines counted from its reopening."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.calendar import WorkingCalendar
from domain.escalation import due_notices
from domain.policy import Policy
from domain.tickets import Place, TicketStatus
from services import callbacks
from services.context import Services
from storage.database import create_engine, migrate, session_factory
from storage.tickets import NewTicket
from tests.fakes import SettableClock

FILED = datetime(2026, 11, 2, 2, tzinfo=UTC)  # a Monday, 10:00 in Shanghai
OWNER = 1001
DIMENSIONS = ("timeliness", "skill", "attitude", "overall")


async def services_on(tmp_path) -> Services:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    await migrate(engine)
    tz = ZoneInfo("Asia/Shanghai")
    return Services(
        sessions=session_factory(engine),
        clock=SettableClock(FILED),
        policy=Policy(),
        tz=tz,
        contractors=[],
        phone_region="CN",
        photos=None,  # type: ignore[arg-type]  # no photos here
        configured_chats={},
        calendar=WorkingCalendar(lambda day: day.weekday() < 5, tz),
    )


async def closed_leak_asked_back(services: Services) -> int:
    """A leak repaired and closed three weeks ago; its callback asked now. Answers its id."""
    async with services.unit_of_work() as uow:
        ticket = await uow.tickets.add(
            NewTicket(
                owner_user_id=OWNER, place=Place("A", None, None, "lobby"), category="leak", trade="waterproofing",
                urgency="urgent", description="drip", visit_time="asap", coverage="in_warranty",
                status=TicketStatus.CLOSED, contractor_code="aqua", language="en", filed_at=FILED,
                accept_by=FILED + timedelta(minutes=15), on_site_by=FILED + timedelta(minutes=30),
                resolve_by=FILED + timedelta(days=2),
            ),
            FILED,
        )  # fmt: skip
        await uow.callbacks.add(ticket.id, "repair", FILED)
        await uow.commit()
    services.clock.set(FILED + timedelta(days=21))  # type: ignore[attr-defined]
    async with services.unit_of_work() as uow:
        callback = (await uow.callbacks.due(services.clock.now(), 1))[0]
        assert await uow.callbacks.mark_asked(callback.id, services.clock.now())
        await uow.commit()
    return callback.id


async def rate_all(services: Services, callback_id: int, score: int) -> tuple:
    async with services.unit_of_work() as uow:
        assert await callbacks.still_fixed(services, uow, callback_id, OWNER) is not None
        for dimension in DIMENSIONS:
            assert await callbacks.rate(services, uow, callback_id, OWNER, dimension, score)
        result = await callbacks.finish_rating(services, uow, callback_id, services.policy.rating_scale)
        await uow.commit()
    assert result is not None
    return result


async def test_003_not_satisfied_is_on_record_with_the_last_tap_without_a_comment(tmp_path):
    services = await services_on(tmp_path)
    callback_id = await closed_leak_asked_back(services)
    ticket, unhappy, worst = await rate_all(services, callback_id, 3)  # "not very satisfied" of 4
    assert (unhappy, worst) == (True, False)
    assert ticket.unhappy_since == services.clock.now()
    async with services.unit_of_work() as uow:
        assert (await uow.callbacks.get(callback_id)).status == "answered"
        assert await callbacks.finish_rating(services, uow, callback_id, 4) is None  # answered once only


async def test_003_a_comment_after_the_ratings_keeps_them_and_is_kept_once(tmp_path):
    services = await services_on(tmp_path)
    callback_id = await closed_leak_asked_back(services)
    await rate_all(services, callback_id, 4)
    async with services.unit_of_work() as uow:
        assert await callbacks.add_comment(uow, callback_id, "Nobody called before coming") is not None
        assert await callbacks.add_comment(uow, callback_id, "a retry of the same") is None
        await uow.commit()
    async with services.unit_of_work() as uow:
        assert await uow.callbacks.scores(callback_id) == dict.fromkeys(DIMENSIONS, 4)
        assert await uow.callbacks.last_comment((await uow.callbacks.get(callback_id)).ticket_id) == (
            "Nobody called before coming"
        )


async def test_000_a_ticket_that_came_back_is_not_overdue_and_waits_a_day_for_the_manager(tmp_path):
    services = await services_on(tmp_path)
    callback_id = await closed_leak_asked_back(services)
    reopened = services.clock.now()
    async with services.unit_of_work() as uow:
        ticket = await callbacks.came_back(services, uow, callback_id, OWNER)
        await uow.commit()
    assert ticket is not None and ticket.status is TicketStatus.AWAITING_VISIT
    assert ticket.on_site_by == reopened + timedelta(minutes=30)  # from the reopening, not the filing
    assert ticket.resolve_by == reopened + timedelta(days=2)
    assert due_notices(ticket, reopened, services.policy) == []
    assert due_notices(ticket, reopened + timedelta(hours=23), services.policy) == []
    missed = due_notices(ticket, reopened + timedelta(days=1), services.policy)
    assert [(n.kind, n.ladder_step.role) for n in missed] == [("missed_repeat_visit", "supervisor")]
    services.clock.set(reopened + timedelta(hours=30))  # type: ignore[attr-defined]
    async with services.unit_of_work() as uow:
        visited = await callbacks.manager_visited(services, uow, ticket.id, 900001)
        await uow.commit()
    assert visited is not None and visited.status is TicketStatus.ASSIGNED
    assert visited.resolve_by == services.clock.now() + timedelta(days=2)  # the contractor's time starts now
    assert [n.kind for n in due_notices(visited, services.clock.now(), services.policy)] == []


async def test_000_a_reopened_ticket_keeps_the_urgency_a_manager_gave_it(tmp_path):
    """A leak a manager made ordinary is counted as ordinary when it reopens, not as the
    urgent leak it was filed as."""
    services = await services_on(tmp_path)
    callback_id = await closed_leak_asked_back(services)
    async with services.unit_of_work() as uow:
        ticket_id = (await uow.callbacks.get(callback_id)).ticket_id
        await uow.tickets.change(ticket_id, urgency="normal")
        await uow.commit()
    reopened = services.clock.now()  # a Monday, 10:00 in Shanghai
    async with services.unit_of_work() as uow:
        ticket = await callbacks.came_back(services, uow, callback_id, OWNER)
        await uow.commit()
    assert ticket is not None
    assert ticket.on_site_by == reopened + timedelta(days=1)  # one working day, not the leak's 30 minutes
    assert ticket.resolve_by == reopened + timedelta(days=3)  # three working days, not the leak's two
