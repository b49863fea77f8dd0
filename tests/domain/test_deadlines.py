from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.calendar import WorkingCalendar
from domain.categories import Urgency, category_by_code
from domain.deadlines import deadlines_for, deadlines_under_urgency, is_extension, same_day_end
from domain.durations import SAME_DAY, WorkingDays, WorkingHours
from domain.policy import Policy

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = WorkingCalendar(lambda day: day.weekday() < 5, SHANGHAI)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def test_a_leak_gets_its_deadlines_from_the_policy_table():
    deadlines = deadlines_for(category_by_code("leak"), local(23, 10), Policy(), SHANGHAI)
    assert deadlines.accept_by == local(23, 10, 15)
    assert deadlines.on_site_by == local(23, 10, 30)
    assert deadlines.resolve_by == local(25, 10)


def test_same_day_means_before_midnight_in_the_property_time_zone():
    deadlines = deadlines_for(category_by_code("blocked_drain"), local(23, 15), Policy(), SHANGHAI)
    assert deadlines.resolve_by == datetime(2026, 11, 24, 0, 0, tzinfo=SHANGHAI)


def test_000_a_same_day_report_in_office_hours_keeps_its_day():
    assert same_day_end(local(23, 19, 59), Policy(), SHANGHAI) == datetime(2026, 11, 24, tzinfo=SHANGHAI)
    assert same_day_end(local(23, 2), Policy(), SHANGHAI) == datetime(2026, 11, 24, tzinfo=SHANGHAI)


def test_000_a_report_after_office_hours_is_due_at_the_next_opening():
    assert same_day_end(local(23, 21), Policy(), SHANGHAI) == local(24, 8)
    assert same_day_end(local(23, 20), Policy(), SHANGHAI) == local(24, 8)
    assert same_day_end(local(23, 23, 59), Policy(), SHANGHAI) == local(24, 8)


def test_000_a_friday_evening_report_is_due_at_the_start_of_the_next_working_day():
    # 27 November 2026 is a Friday; the weekend does not count
    friday_night = local(27, 22, 30)
    assert same_day_end(friday_night, Policy(), SHANGHAI, WEEKDAYS) == datetime(2026, 11, 30, 8, tzinfo=SHANGHAI)


def test_000_a_weekend_report_is_due_when_the_office_opens_on_monday():
    saturday_morning = local(28, 10)
    assert same_day_end(saturday_morning, Policy(), SHANGHAI, WEEKDAYS) == datetime(2026, 11, 30, 8, tzinfo=SHANGHAI)


def test_000_a_friday_evening_same_day_ticket_gets_monday_morning_deadlines():
    deadlines = deadlines_for(category_by_code("blocked_drain"), local(27, 23), Policy(), SHANGHAI, WEEKDAYS)
    monday_eight = datetime(2026, 11, 30, 8, tzinfo=SHANGHAI)
    assert (deadlines.on_site_by, deadlines.resolve_by) == (monday_eight, monday_eight)


def test_000_working_hours_left_over_at_closing_run_from_the_next_working_opening():
    two_hours = deadlines_for(
        category_by_code("leak"),
        local(27, 19),
        Policy(resolve_within=Policy().resolve_within | {"leak": WorkingHours(2)}),
        SHANGHAI,
        WEEKDAYS,
    )
    assert two_hours.resolve_by == datetime(2026, 11, 30, 9, tzinfo=SHANGHAI)


def test_the_next_opening_skips_days_off():
    assert WEEKDAYS.next_opening(local(27, 21)) == local(30, 8)
    assert WEEKDAYS.next_opening(local(30, 7)) == local(30, 8)
    assert WEEKDAYS.next_opening(local(30, 8)) == datetime(2026, 12, 1, 8, tzinfo=SHANGHAI)


def test_a_referral_has_no_deadlines():
    deadlines = deadlines_for(category_by_code("appliance_specialist"), local(23, 10), Policy(), SHANGHAI)
    assert (deadlines.accept_by, deadlines.on_site_by, deadlines.resolve_by) == (None, None, None)


def test_policy_overrides_change_the_deadlines():
    policy = Policy(accept_within=timedelta(minutes=5), resolve_within=Policy().resolve_within | {"leak": SAME_DAY})
    deadlines = deadlines_for(category_by_code("leak"), local(23, 10), policy, SHANGHAI)
    assert deadlines.accept_by == local(23, 10, 5)
    assert deadlines.resolve_by == datetime(2026, 11, 24, tzinfo=SHANGHAI)


def test_000_a_leak_made_an_emergency_gets_the_emergency_deadlines_from_its_filing():
    leak = category_by_code("leak")
    deadlines = deadlines_under_urgency(leak, Urgency.EMERGENCY, local(23, 10), Policy(), SHANGHAI)
    assert deadlines.on_site_by == local(23, 10, 15)
    assert deadlines.resolve_by == datetime(2026, 11, 24, tzinfo=SHANGHAI)


def test_000_a_leak_made_normal_gets_working_days_and_back_to_urgent_its_own():
    leak = category_by_code("leak")
    normal = deadlines_under_urgency(leak, Urgency.NORMAL, local(27, 10), Policy(), SHANGHAI, WEEKDAYS)
    assert (normal.on_site_by, normal.resolve_by) == (local(30, 10), datetime(2026, 12, 2, 10, tzinfo=SHANGHAI))
    urgent = deadlines_under_urgency(leak, Urgency.URGENT, local(27, 10), Policy(), SHANGHAI, WEEKDAYS)
    assert urgent == deadlines_for(leak, local(27, 10), Policy(), SHANGHAI, WEEKDAYS)


ONE_WORKING_DAY = Policy(on_site_within=Policy().on_site_within | {"other": WorkingDays(1)})


def test_000_a_working_day_from_office_hours_is_the_same_time_the_next_working_day():
    deadlines = deadlines_for(category_by_code("other"), local(27, 10), ONE_WORKING_DAY, SHANGHAI, WEEKDAYS)
    assert deadlines.on_site_by == datetime(2026, 11, 30, 10, tzinfo=SHANGHAI)
    assert deadlines.resolve_by == datetime(2026, 12, 2, 10, tzinfo=SHANGHAI)  # 3 working days: Wednesday


def test_000_a_working_day_from_the_last_office_hour_is_the_whole_next_working_day():
    # Friday 19:00 leaves no time to take the job and get there: Monday counts whole, to its closing
    deadlines = deadlines_for(category_by_code("other"), local(27, 19), ONE_WORKING_DAY, SHANGHAI, WEEKDAYS)
    assert deadlines.on_site_by == datetime(2026, 11, 30, 20, tzinfo=SHANGHAI)
    assert deadlines.resolve_by == datetime(2026, 12, 2, 20, tzinfo=SHANGHAI)
    just_before = deadlines_for(category_by_code("other"), local(27, 18, 30), ONE_WORKING_DAY, SHANGHAI, WEEKDAYS)
    assert just_before.on_site_by == datetime(2026, 11, 30, 18, 30, tzinfo=SHANGHAI)


def test_000_a_working_day_from_the_night_or_a_day_off_never_falls_at_night():
    for filed in (local(27, 23), local(28, 2), local(29, 15), local(30, 7)):
        due = deadlines_for(category_by_code("other"), filed, ONE_WORKING_DAY, SHANGHAI, WEEKDAYS).on_site_by
        assert due == datetime(2026, 11, 30, 20, tzinfo=SHANGHAI), filed


def test_000_working_days_after_closing_skip_holidays_to_the_next_working_opening():
    # 1-2 January 2026 are holidays and 3 January a Saturday: the evening of 31 December counts from 4 January
    holiday_week = WorkingCalendar(lambda day: day.weekday() < 5 and day.day not in (1, 2), SHANGHAI)
    new_year_eve = datetime(2025, 12, 31, 21, tzinfo=SHANGHAI)
    assert holiday_week.working_days_due(new_year_eve, 1) == datetime(2026, 1, 5, 20, tzinfo=SHANGHAI)


def test_an_extension_is_more_than_nothing_and_at_most_a_year():
    assert is_extension(timedelta(days=2)) and is_extension(timedelta(days=365))
    assert not is_extension(timedelta(0)) and not is_extension(timedelta(days=366))
