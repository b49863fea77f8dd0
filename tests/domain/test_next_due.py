"""The moment the clock must next look at a ticket (domain/escalation.py next_due_at): never
later than due_notices owes something, so a sweep that reads only tickets whose moment has
come sends exactly what a sweep reading every ticket every minute would."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from domain.escalation import due_notices, next_due_at
from domain.tickets import Place, Ticket
from domain.tickets import TicketStatus as S
from tests.domain.test_escalation_and_calendar import DAY, HOUR, MIN, POLICY, T0, ticket

NOTHING: frozenset[str] = frozenset()


def test_an_assigned_job_is_next_due_at_the_take_by_reminder():
    assert next_due_at(ticket(), NOTHING, T0, POLICY) == T0 + 15 * MIN - POLICY.remind_before_accept


def test_a_notice_owed_and_not_yet_sent_is_due_now():
    now = T0 + 20 * MIN
    assert next_due_at(ticket(), NOTHING, now, POLICY) == now


def test_a_sent_reminder_moves_the_moment_to_the_deadline():
    reminder = due_notices(ticket(), T0 + 11 * MIN, POLICY)[0]
    assert next_due_at(ticket(), frozenset({reminder.key}), T0 + 11 * MIN, POLICY) == T0 + 15 * MIN


def test_a_closed_ticket_is_never_due_and_an_unhappy_owner_brings_it_back():
    closed = ticket(status=S.CLOSED, accept_by=None)
    assert next_due_at(closed, NOTHING, T0, POLICY) is None
    unhappy = replace(closed, unhappy_since=T0 + HOUR)
    assert next_due_at(unhappy, NOTHING, T0, POLICY) == T0 + HOUR + POLICY.unhappy_escalation[0].after


def test_every_rung_sent_leaves_nothing_to_wait_for():
    done = ticket(status=S.DONE, accept_by=None, done_at=T0)
    keys = frozenset({f"confirm:{T0.isoformat()}", f"silence:{T0.isoformat()}"})
    assert next_due_at(done, keys, T0, POLICY) is None


JOBS = {
    "assigned": ticket(),
    "taken": ticket(status=S.TAKEN, accept_by=None),
    "visit agreed later": ticket(status=S.VISIT_AGREED, accept_by=None, visit_at=T0 + 3 * HOUR),
    "on site": ticket(status=S.ON_SITE, accept_by=None, resolve_by=T0 + 5 * HOUR),
    "done": ticket(status=S.DONE, accept_by=None, done_at=T0 + HOUR),
    "repeat awaiting the look": ticket(status=S.AWAITING_VISIT, accept_by=None, paused_since=T0),
    "unhappy and worst": ticket(status=S.CLOSED, accept_by=None, unhappy_since=T0, unhappy_worst=True),
    "emergency": ticket(category="emergency", status=S.TAKEN, accept_by=None, on_site_by=T0 + 10 * MIN),
    "plan due": ticket(status=S.ON_SITE, accept_by=None, surveyed_at=T0, plan_by=T0 + 30 * MIN),
    "public area done": ticket(place=Place("A", None, None, "lobby"), status=S.CLOSED, accept_by=None, done_at=T0),
}


@pytest.mark.parametrize("job", JOBS.values(), ids=list(JOBS))
def test_waking_at_the_next_due_moment_sends_what_a_minute_by_minute_clock_sends(job: Ticket):
    end = T0 + 4 * DAY
    assert _every_minute(job, end) == _only_when_due(job, end)


def _every_minute(job: Ticket, end: datetime) -> list[tuple[datetime, str]]:
    sent: list[tuple[datetime, str]] = []
    now = T0
    while now <= end:
        sent += _send(job, now, {key for _, key in sent})
        now += MIN
    return sent


def _only_when_due(job: Ticket, end: datetime) -> list[tuple[datetime, str]]:
    sent: list[tuple[datetime, str]] = []
    now: datetime | None = T0
    while now is not None and now <= end:
        sent += _send(job, now, {key for _, key in sent})
        now = next_due_at(job, frozenset(key for _, key in sent), now, POLICY)
        if now is not None:
            now = _next_minute(now)
    return sent


def _send(job: Ticket, now: datetime, noted: set[str]) -> list[tuple[datetime, str]]:
    return [(now, notice.key) for notice in due_notices(job, now, POLICY) if notice.key not in noted]


def _next_minute(moment: datetime) -> datetime:
    """The minute-by-minute clock's first look at or after `moment`."""
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def test_000_a_leak_a_manager_made_an_emergency_climbs_the_ladder_in_minutes():
    """The ladder follows the rules the ticket has now: a manager's emergency is an emergency."""
    late = ticket(status=S.TAKEN, accept_by=None, on_site_by=T0, resolve_by=T0 + DAY)
    second_rung = POLICY.emergency_escalation[1]
    assert second_rung.after < POLICY.escalation[1].after

    def rungs(job: Ticket) -> list[str]:
        return [n.ladder_step.role for n in due_notices(job, T0 + second_rung.after, POLICY) if n.step]

    assert rungs(late) == [POLICY.escalation[0].role]
    assert rungs(replace(late, urgency="emergency")) == [second_rung.role]
