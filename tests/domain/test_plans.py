"""The written repair plan after the survey (docs/rules.md, "Response and resolve times"), with plain values."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.deadlines import plan_due
from domain.escalation import NoticeKind, due_notices
from domain.policy import Policy
from domain.tickets import Place, Ticket
from domain.tickets import TicketStatus as S

SURVEY = datetime(2026, 11, 23, 2, tzinfo=UTC)  # Monday 10:00 in Shanghai: the engineer is on site
POLICY = Policy()
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def on_site(**changes: object) -> Ticket:
    base = Ticket(
        id=7,
        number="261123-0007",
        owner_user_id=1,
        place=Place("A", 1, "1203"),
        category="wall_crack",
        trade="decoration",
        urgency="normal",
        description="crack",
        visit_time="asap",
        coverage="warranty",
        status=S.ON_SITE,
        contractor_code="build",
        engineer_user_id=5,
        engineer_name="Li",
        filed_at=SURVEY - DAY,
        taken_at=SURVEY - DAY,
        accept_by=None,
        on_site_by=None,
        resolve_by=SURVEY + 6 * DAY,
        language="en",
        surveyed_at=SURVEY,
        plan_by=SURVEY + 30 * MIN,
    )
    return replace(base, **changes)


def test_000_a_repair_longer_than_3_days_needs_its_plan_within_30_minutes_of_the_survey():
    assert plan_due(SURVEY, SURVEY + 4 * DAY, POLICY) == SURVEY + 30 * MIN


def test_000_a_repair_of_3_days_or_less_needs_no_plan():
    assert plan_due(SURVEY, SURVEY + 3 * DAY, POLICY) is None
    assert plan_due(SURVEY, SURVEY + 2 * HOUR, POLICY) is None
    assert plan_due(SURVEY, None, POLICY) is None


def test_000_a_complex_repair_needs_its_plan_within_24_hours():
    assert plan_due(SURVEY, SURVEY + 2 * HOUR, POLICY, complex_repair=True) == SURVEY + DAY
    assert plan_due(SURVEY, SURVEY + 10 * DAY, POLICY, complex_repair=True) == SURVEY + DAY


def test_000_the_plan_deadlines_come_from_the_policy():
    policy = Policy(plan_within_routine=HOUR, plan_within=2 * DAY, plan_needed_after=DAY)
    assert plan_due(SURVEY, SURVEY + 2 * DAY, policy) == SURVEY + HOUR
    assert plan_due(SURVEY, SURVEY + 2 * DAY, policy, complex_repair=True) == SURVEY + 2 * DAY


def test_000_the_engineer_is_reminded_before_the_plan_is_due():
    assert [n.kind for n in due_notices(on_site(), SURVEY + 19 * MIN, POLICY)] == []
    reminder = due_notices(on_site(), SURVEY + 20 * MIN, POLICY)
    assert [(n.kind, n.key) for n in reminder] == [
        (NoticeKind.REMIND_PLAN, f"remind:plan:{(SURVEY + 30 * MIN).isoformat()}")
    ]


def test_000_a_missed_plan_climbs_the_escalation_ladder():
    missed = due_notices(on_site(), SURVEY + 30 * MIN, POLICY)
    assert [(n.kind, n.rung, n.ladder_step.role) for n in missed] == [(NoticeKind.MISSED_PLAN, 0, "supervisor")]
    a_day_late = due_notices(on_site(), SURVEY + 30 * MIN + DAY, POLICY)
    assert [(n.kind, n.rung) for n in a_day_late] == [(NoticeKind.MISSED_PLAN, 1)]
    assert a_day_late[0].silent == (f"missed:plan:{(SURVEY + 30 * MIN).isoformat()}:0",)


def test_000_a_submitted_plan_stops_its_notices():
    submitted = on_site(plan_at=SURVEY + 20 * MIN, plan_text="replaster", plan_finish_by=SURVEY + 5 * DAY)
    assert due_notices(submitted, SURVEY + 2 * DAY, POLICY) == []


def test_000_no_plan_notices_while_the_job_waits_on_the_owner_or_is_done():
    assert due_notices(on_site(status=S.WAITING_OWNER), SURVEY + 2 * DAY, POLICY) == []
    assert [n.kind for n in due_notices(on_site(status=S.DONE), SURVEY + HOUR, POLICY)] == []


def test_000_a_moved_plan_deadline_gets_fresh_keys():
    first = due_notices(on_site(), SURVEY + 31 * MIN, POLICY)[0].key
    complex_later = on_site(plan_by=SURVEY + DAY, plan_complex=True)
    assert due_notices(complex_later, SURVEY + 31 * MIN, POLICY) == []
    assert due_notices(complex_later, SURVEY + DAY, POLICY)[0].key != first
