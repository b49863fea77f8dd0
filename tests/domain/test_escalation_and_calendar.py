from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import WorkingCalendar
from domain.categories import category_by_code
from domain.deadlines import deadlines_for
from domain.escalation import NoticeKind, due_notices
from domain.policy import Policy
from domain.tickets import Place, Ticket
from domain.tickets import TicketStatus as S

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 2, tzinfo=UTC)  # Monday 10:00 in Shanghai
POLICY = Policy()
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def ticket(**changes) -> Ticket:
    base = Ticket(
        id=1,
        number="261123-0001",
        owner_user_id=1,
        place=Place("A", 1, "1203"),
        category="leak",
        trade="waterproofing",
        urgency="urgent",
        description="drip",
        visit_time="asap",
        coverage="paid",
        status=S.ASSIGNED,
        contractor_code="aqua",
        engineer_user_id=None,
        engineer_name=None,
        filed_at=T0,
        taken_at=None,
        accept_by=T0 + 15 * MIN,
        on_site_by=T0 + 30 * MIN,
        resolve_by=T0 + 2 * DAY,
        language="en",
    )
    return replace(base, **changes)


def kinds(notices):
    return [(n.kind, n.rung) for n in notices]


def test_nothing_is_owed_before_the_reminders():
    assert due_notices(ticket(), T0 + 5 * MIN, POLICY) == []


def test_the_group_is_reminded_before_the_take_by_then_the_job_moves_on():
    assert kinds(due_notices(ticket(), T0 + 11 * MIN, POLICY)) == [(NoticeKind.REMIND_ACCEPT, 0)]
    assert NoticeKind.MISSED_ACCEPT in [n.kind for n in due_notices(ticket(), T0 + 15 * MIN, POLICY)]


def test_a_new_contractor_or_a_new_deadline_gets_fresh_keys():
    first = due_notices(ticket(), T0 + 16 * MIN, POLICY)[0].key
    later = due_notices(ticket(contractor_code="inhouse", accept_by=T0 + 31 * MIN), T0 + 32 * MIN, POLICY)[0].key
    assert first != later


def test_the_ladder_climbs_with_time_and_catch_up_sends_only_the_top_rung():
    taken = ticket(status=S.ON_SITE, engineer_user_id=7)
    due = T0 + 2 * DAY
    assert kinds(due_notices(taken, due - HOUR, POLICY)) == [(NoticeKind.REMIND_RESOLVE, 0)]
    assert kinds(due_notices(taken, due, POLICY)) == [(NoticeKind.MISSED_RESOLVE, 0)]
    assert kinds(due_notices(taken, due + DAY, POLICY)) == [(NoticeKind.MISSED_RESOLVE, 1)]
    top = due_notices(taken, due + 4 * DAY, POLICY)[0]
    assert (top.kind, top.rung, top.step.role) == (NoticeKind.MISSED_RESOLVE, 2, "general_manager")
    assert len(top.silent) == 2


def test_a_missed_deadline_names_who_is_alerted_and_a_reminder_names_nobody():
    taken = ticket(status=S.ON_SITE, engineer_user_id=7)
    due = T0 + 2 * DAY
    assert due_notices(taken, due + DAY, POLICY)[0].ladder_step.role == "project_manager"
    reminder = due_notices(taken, due - HOUR, POLICY)[0]
    with pytest.raises(ValueError, match="not on the escalation ladder"):
        _ = reminder.ladder_step


def test_a_paused_job_owes_nothing_and_an_agreed_later_visit_is_the_on_site_deadline():
    assert due_notices(ticket(status=S.WAITING_OWNER), T0 + 5 * DAY, POLICY) == []
    visit = T0 + DAY
    agreed = ticket(status=S.VISIT_AGREED, visit_at=visit)
    assert [n.kind for n in due_notices(agreed, T0 + 2 * HOUR, POLICY)] == []
    assert [n.kind for n in due_notices(agreed, visit - 30 * MIN, POLICY)] == [NoticeKind.REMIND_VISIT]
    assert NoticeKind.MISSED_ON_SITE in [n.kind for n in due_notices(agreed, visit + MIN, POLICY)]


def test_the_owner_is_asked_again_then_the_job_closes_by_silence():
    done = ticket(status=S.DONE, done_at=T0)
    assert due_notices(done, T0 + 12 * HOUR, POLICY) == []
    assert kinds(due_notices(done, T0 + DAY, POLICY)) == [(NoticeKind.CONFIRM_AGAIN, 0)]
    silence = due_notices(done, T0 + 3 * DAY, POLICY)[0]
    assert silence.kind is NoticeKind.CLOSE_BY_SILENCE and silence.silent == (f"confirm:{T0.isoformat()}",)


def chinese_calendar(days_off=()):
    import holidays

    china = holidays.country_holidays("CN", years=[2026, 2027])
    return WorkingCalendar(lambda day: day not in days_off and china.is_working_day(day), SHANGHAI)


def test_working_days_skip_weekends_holidays_and_count_make_up_days():
    calendar = chinese_calendar()
    friday = datetime(2026, 11, 20, 10, tzinfo=SHANGHAI)
    assert calendar.add_working_days(friday, 3) == datetime(2026, 11, 25, 10, tzinfo=SHANGHAI)
    before_new_year = datetime(2025, 12, 31, 10, tzinfo=SHANGHAI).astimezone(UTC)
    # 1-2 Jan 2026 are holidays, Sunday 4 Jan is a make-up working day
    assert calendar.add_working_days(before_new_year, 1) == datetime(2026, 1, 4, 10, tzinfo=SHANGHAI)
    assert chinese_calendar({date(2026, 11, 23)}).add_working_days(friday, 1) == datetime(
        2026, 11, 24, 10, tzinfo=SHANGHAI
    )
    saturday_night = datetime(2026, 11, 21, 2, tzinfo=SHANGHAI)
    assert calendar.add_working_days(saturday_night, 1) == datetime(2026, 11, 23, 8, tzinfo=SHANGHAI)  # opening


def test_working_hours_count_office_time_only():
    calendar = chinese_calendar()
    friday_evening = datetime(2026, 11, 20, 19, tzinfo=SHANGHAI)
    assert calendar.add_working_hours(friday_evening, 4) == datetime(2026, 11, 23, 11, tzinfo=SHANGHAI)
    saturday = datetime(2026, 11, 21, 12, tzinfo=SHANGHAI)
    assert calendar.add_working_hours(saturday, 2) == datetime(2026, 11, 23, 10, tzinfo=SHANGHAI)


def test_ordinary_repairs_are_due_in_working_days():
    friday = datetime(2026, 11, 20, 10, tzinfo=SHANGHAI).astimezone(UTC)
    deadlines = deadlines_for(category_by_code("other"), friday, POLICY, SHANGHAI, chinese_calendar())
    assert deadlines.on_site_by == datetime(2026, 11, 23, 10, tzinfo=SHANGHAI)
    assert deadlines.resolve_by == datetime(2026, 11, 25, 10, tzinfo=SHANGHAI)
    assert deadlines.plan_by is None  # the written plan is counted from the survey (tests/domain/test_plans.py)
