"""The take / can't-take decision and binding by contact, on an in-memory unit of work:
each case is a few plain values, no database and no Telegram."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import WorkingCalendar
from domain.policy import Policy
from domain.routing import ContractorRule
from domain.tickets import EventKind, Place, Ticket, TicketStatus
from domain.units import Unit
from services.binding import BindOutcome, bind_by_contact
from services.context import Services
from services.jobs import CardOutcome, Engineer, decline_job, take_job
from tests.fakes import SettableClock
from tests.memory import MemoryUnitOfWork

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
AQUA_GROUP = -100501
IVAN = Engineer(7001, "Ivan", "ivan")
CONTRACTORS = [
    ContractorRule("aqua", frozenset({"plumbing"}), frozenset({"*"}), fallback="team"),
    ContractorRule("team", frozenset({"*"}), frozenset({"*"}), in_house=True),
]
UNIT = Unit(1, "A", "1203", None)


def services() -> Services:
    tz = ZoneInfo("Asia/Shanghai")
    return Services(
        sessions=None,  # type: ignore[arg-type]  # never opened: the unit of work is in memory
        clock=SettableClock(NOW),
        policy=Policy(),
        tz=tz,
        contractors=CONTRACTORS,
        phone_region="CN",
        photos=None,  # type: ignore[arg-type]
        configured_chats={"aqua": AQUA_GROUP},
        calendar=WorkingCalendar(lambda day: day.weekday() < 5, tz),
    )


def ticket(status: TicketStatus = TicketStatus.ASSIGNED, contractor: str | None = "aqua") -> Ticket:
    return Ticket(
        id=17, number="261124-0017", owner_user_id=1001, place=Place("A", 1, "1203"), category="tap",
        trade="plumbing", urgency="normal", description="The tap drips", visit_time="any", coverage="in_warranty",
        status=status, contractor_code=contractor, engineer_user_id=None, engineer_name=None, filed_at=NOW,
        taken_at=None, accept_by=NOW + timedelta(minutes=15), on_site_by=None, resolve_by=None, language="en",
    )  # fmt: skip


async def member() -> bool:
    return True


async def stranger() -> bool:
    return False


async def test_the_first_tap_from_a_member_of_the_contractors_group_takes_the_job():
    uow = MemoryUnitOfWork([ticket()])
    result = await take_job(services(), uow, 17, AQUA_GROUP, IVAN, member)
    assert result.outcome is CardOutcome.DONE
    assert result.ticket.status is TicketStatus.TAKEN and result.ticket.engineer_name == "Ivan"
    assert [kind for _, kind, _ in uow.tickets.events] == [EventKind.TAKEN]
    assert uow.chats.engineers == {7001: "Ivan"}


@pytest.mark.parametrize(
    ("tickets", "chat", "is_member", "outcome"),
    [
        ([], AQUA_GROUP, member, CardOutcome.NOT_FOUND),  # a forged or stale button
        ([ticket()], -100999, member, CardOutcome.WRONG_CHAT),  # a forwarded copy of the card
        ([ticket()], AQUA_GROUP, stranger, CardOutcome.NOT_MEMBER),
        ([ticket(TicketStatus.UNASSIGNED, None)], AQUA_GROUP, member, CardOutcome.WRONG_CHAT),
    ],
)
async def test_a_tap_that_must_change_nothing_changes_nothing(tickets, chat, is_member, outcome):
    uow = MemoryUnitOfWork(tickets)
    result = await take_job(services(), uow, 17, chat, IVAN, is_member)
    assert result.outcome is outcome
    assert uow.tickets.events == []
    assert all(t.status is not TicketStatus.TAKEN for t in uow.tickets.rows.values())


async def test_a_second_tap_hears_who_already_has_the_job():
    uow = MemoryUnitOfWork([ticket()])
    await take_job(services(), uow, 17, AQUA_GROUP, IVAN, member)
    second = await take_job(services(), uow, 17, AQUA_GROUP, Engineer(7002, "Petr", None), member)
    assert second.outcome is CardOutcome.ALREADY_TAKEN
    assert second.ticket.engineer_name == "Ivan"


async def test_a_tap_overtaken_by_a_reassignment_is_not_told_the_job_was_taken():
    """The manager gives the job to another group between the tap's check and its take:
    nobody took it, so the engineer hears it is no longer his group's, not "taken by —"."""
    uow = MemoryUnitOfWork([ticket()])

    async def member_while_the_manager_reassigns() -> bool:
        uow.tickets.rows[17] = ticket(contractor="team")
        return True

    result = await take_job(services(), uow, 17, AQUA_GROUP, IVAN, member_while_the_manager_reassigns)
    assert result.outcome is CardOutcome.WRONG_CHAT
    assert result.ticket.contractor_code == "team" and result.ticket.engineer_name is None


async def test_cant_take_passes_the_job_to_the_fallback_with_a_fresh_take_by():
    uow = MemoryUnitOfWork([ticket()])
    result = await decline_job(services(), uow, 17, AQUA_GROUP, IVAN, member)
    assert result.outcome is CardOutcome.DONE and result.previous_contractor == "aqua"
    assert result.ticket.contractor_code == "team" and result.ticket.status is TicketStatus.ASSIGNED
    assert result.ticket.accept_by == NOW + Policy().accept_within
    assert [kind for _, kind, _ in uow.tickets.events] == [EventKind.DECLINED, EventKind.ASSIGNED]


async def test_an_owners_own_contact_in_the_roster_binds_every_unit_it_lists():
    uow = MemoryUnitOfWork(roster=[(UNIT, "Wang Fang", "+8613800000001", "zh")])
    result = await bind_by_contact(services(), uow, 1001, "Fang", 1001, "138 0000 0001")
    assert result.outcome is BindOutcome.BOUND and result.units == [UNIT]
    assert uow.owners.bound == {1001: [UNIT]}
    assert uow.chats.languages == {1001: "zh"}


@pytest.mark.parametrize(
    ("contact_user", "phone", "outcome"),
    [(2002, "138 0000 0001", BindOutcome.NOT_OWN_CONTACT), (1001, "139 1111 2222", BindOutcome.UNKNOWN_NUMBER)],
)
async def test_someone_elses_contact_or_an_unknown_number_binds_nothing(contact_user, phone, outcome):
    uow = MemoryUnitOfWork(roster=[(UNIT, "Wang Fang", "+8613800000001", None)])
    result = await bind_by_contact(services(), uow, 1001, "Fang", contact_user, phone)
    assert result.outcome is outcome
    assert uow.owners.bound == {}
