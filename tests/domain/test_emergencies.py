"""Emergencies to life or property are recognised from the owner's own words (seed 000:
紧急情况下…15分钟内赶到), and ordinary reports stay ordinary."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.categories import EMERGENCY, Urgency, category_by_code
from domain.deadlines import deadlines_for
from domain.emergencies import EMERGENCIES, EmergencyKind, recognise_emergency
from domain.escalation import NoticeKind, due_notices
from domain.policy import Policy
from domain.tickets import Place, Ticket, TicketStatus
from domain.trades import Trade

K = EmergencyKind


@pytest.mark.parametrize(
    "text, kind",
    [
        ("厨房有煤气味", K.GAS),
        ("好像煤气泄漏了", K.GAS),
        ("楼道里燃气味很重", K.GAS),
        ("I smell gas in the kitchen", K.GAS),
        ("there is a smell of gas on the stairs", K.GAS),
        ("Gas leak in 1203!", K.GAS),
        ("На кухне запах газа", K.GAS),
        ("кажется, утечка газа", K.GAS),
        ("Пахнет газом в подъезде", K.GAS),
        ("gas is leaking from the stove, help", K.GAS),
        ("Газом пахнет на кухне", K.GAS),
    ],
)
def test_000_a_smell_of_gas_is_an_emergency(text, kind):
    assert recognise_emergency(text).kind is kind


@pytest.mark.parametrize(
    "text, kind",
    [
        ("配电箱着火了", K.FIRE),
        ("楼道冒烟", K.FIRE),
        ("屋里有烧焦味", K.FIRE),
        ("Fire in the bin room!", K.FIRE),
        ("smoke coming from the meter box", K.FIRE),
        ("a burning smell from the wall", K.FIRE),
        ("Пожар на балконе", K.FIRE),
        ("из щитка идёт дым", K.FIRE),
        ("пахнет гарью", K.FIRE),
    ],
)
def test_000_fire_smoke_or_a_burning_smell_is_an_emergency(text, kind):
    assert recognise_emergency(text).kind is kind


@pytest.mark.parametrize(
    "text, kind",
    [
        ("有人困在电梯里", K.TRAPPED),
        ("3号楼电梯关人了", K.TRAPPED),
        ("my son is stuck in the lift", K.TRAPPED),
        ("two people trapped in the elevator", K.TRAPPED),
        ("Мы застряли в лифте", K.TRAPPED),
        ("插座冒火花", K.SPARKS),
        ("热水器漏电", K.SPARKS),
        ("the socket sparks when I plug in", K.SPARKS),
        ("розетка искрит", K.SPARKS),
        ("卫生间水管爆裂了", K.FLOOD),
        ("客厅水漫了一地", K.FLOOD),
        ("a burst pipe is flooding the flat", K.FLOOD),
        ("Прорвало трубу, затопило кухню", K.FLOOD),
        ("pipes burst in the bathroom", K.FLOOD),
        ("Трубу прорвало", K.FLOOD),
        ("Труба лопнула", K.FLOOD),
        ("the lift stopped between floors with my mother inside", K.TRAPPED),
        ("elevator stuck, people inside", K.TRAPPED),
        ("电梯里有人出不来", K.TRAPPED),
        ("Лифт застрял, внутри люди", K.TRAPPED),
    ],
)
def test_000_trapped_sparks_and_a_burst_pipe_are_emergencies(text, kind):
    assert recognise_emergency(text).kind is kind


@pytest.mark.parametrize(
    "text",
    [
        "the gas bill seems too high",
        "the fire door hinge squeaks",
        "smoke detector beeps, battery low",
        "the lift is slow in the morning",
        "卫生间天花板漏水",
        "马桶堵了",
        "燃气灶打不着火",
        "лифт не работает",
        "в ванной капает кран",
        "the bulb in the hall is dead",
        "The fire alarm in the hall is beeping, low battery I think",
        "flood light in the garden is broken",
        "the no smoking sign fell off the wall",
        "the lift is stuck on the 3rd floor, nobody inside",
    ],
)
def test_000_ordinary_reports_stay_ordinary(text):
    assert recognise_emergency(text) is None


def test_000_gas_fire_and_people_trapped_call_the_public_number_first():
    life_safety = {e.kind for e in EMERGENCIES if e.life_safety}
    assert life_safety == {K.GAS, K.FIRE, K.TRAPPED}


def test_000_each_emergency_goes_to_the_trade_that_makes_it_safe():
    trades = {e.kind: e.trade for e in EMERGENCIES}
    assert trades == {
        K.GAS: Trade.GENERAL,
        K.FIRE: Trade.GENERAL,
        K.TRAPPED: Trade.ELEVATOR,
        K.SPARKS: Trade.ELECTRICAL,
        K.FLOOD: Trade.PLUMBING,
    }


FILED = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_000_a_safety_hazard_never_waits_for_a_photo():
    assert category_by_code("safety_hazard").urgency is Urgency.EMERGENCY
    assert not category_by_code("safety_hazard").photo_required


def test_000_an_emergency_is_taken_and_on_site_within_15_minutes():
    category = category_by_code(EMERGENCY)
    assert category.urgency is Urgency.EMERGENCY and not category.photo_required
    deadlines = deadlines_for(category, FILED, Policy(), UTC)
    assert deadlines.accept_by == FILED + timedelta(minutes=15)
    assert deadlines.on_site_by == FILED + timedelta(minutes=15)


def ticket(category: str, on_site_by: datetime) -> Ticket:
    return Ticket(
        id=1,
        number="A-1",
        owner_user_id=7,
        place=Place("A", 1, "1203", None),
        category=category,
        trade=Trade.GENERAL,
        urgency=category_by_code(category).urgency,  # as filed
        description="gas",
        visit_time="asap",
        coverage="paid",
        status=TicketStatus.TAKEN,
        contractor_code="inhouse",
        engineer_user_id=5,
        engineer_name="Li",
        filed_at=FILED,
        taken_at=FILED,
        accept_by=FILED + timedelta(minutes=15),
        on_site_by=on_site_by,
        resolve_by=None,
        language="en",
    )


@pytest.mark.parametrize("minutes, role", [(0, "supervisor"), (15, "project_manager"), (30, "general_manager")])
def test_000_the_emergency_ladder_climbs_in_minutes(minutes, role):
    late = FILED + timedelta(minutes=15)
    notices = due_notices(ticket(EMERGENCY, late), late + timedelta(minutes=minutes), Policy())
    missed = [n for n in notices if n.kind is NoticeKind.MISSED_ON_SITE]
    assert [n.ladder_step.role for n in missed] == [role]


def test_000_an_ordinary_repair_keeps_the_ladder_of_days():
    late = FILED + timedelta(minutes=15)
    notices = due_notices(ticket("leak", late), late + timedelta(minutes=30), Policy())
    assert [n.ladder_step.role for n in notices if n.kind is NoticeKind.MISSED_ON_SITE] == ["supervisor"]
