"""A repeat repair waits for the repair manager's personal look on a clock of its own."""

from dataclasses import replace
from datetime import timedelta

from domain.escalation import NoticeKind, due_notices, repeat_visit_by
from domain.policy import Policy
from domain.tickets import TicketStatus as S
from tests.domain.test_escalation_and_calendar import DAY, HOUR, POLICY, T0, ticket


def awaiting(**changes):
    # filed long ago deadlines would be missed: the wait is not the contractor's, so none counts
    return ticket(status=S.AWAITING_VISIT, on_site_by=T0 - DAY, resolve_by=T0 - DAY, **changes)


def test_000_a_repeat_filed_as_such_waits_a_day_from_its_filing():
    assert repeat_visit_by(awaiting(), POLICY) == T0 + DAY
    assert due_notices(awaiting(), T0 + 23 * HOUR, POLICY) == []


def test_000_a_repeat_that_came_back_waits_from_its_reopening():
    reopened = T0 + 20 * DAY
    assert repeat_visit_by(awaiting(paused_since=reopened), POLICY) == reopened + DAY
    assert due_notices(awaiting(paused_since=reopened), reopened + DAY - HOUR, POLICY) == []


def test_000_the_missed_look_climbs_the_ladder_one_rung_at_a_time():
    climbed = [
        [(n.kind, n.ladder_step.role, n.silent) for n in due_notices(awaiting(), T0 + DAY + after, POLICY)]
        for after in (timedelta(0), DAY, 3 * DAY)
    ]
    key = f"missed:repeat_visit:{(T0 + DAY).isoformat()}"
    assert climbed == [
        [(NoticeKind.MISSED_REPEAT_VISIT, "supervisor", ())],
        [(NoticeKind.MISSED_REPEAT_VISIT, "project_manager", (f"{key}:0",))],
        [(NoticeKind.MISSED_REPEAT_VISIT, "general_manager", (f"{key}:0", f"{key}:1"))],
    ]


def test_000_the_wait_is_a_policy_key():
    policy = replace(Policy(), repeat_visit_within=4 * HOUR)
    assert [n.kind for n in due_notices(awaiting(), T0 + 4 * HOUR, policy)] == [NoticeKind.MISSED_REPEAT_VISIT]


def test_000_once_handed_back_the_repeat_has_no_visit_clock():
    assigned = ticket(status=S.ASSIGNED, accept_by=T0 + 2 * DAY, on_site_by=T0 + 2 * DAY, resolve_by=T0 + 4 * DAY)
    assert due_notices(assigned, T0 + DAY + HOUR, POLICY) == []
