from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.categories import category_by_code
from domain.deadlines import deadlines_for, same_day_end
from domain.durations import SAME_DAY
from domain.policy import Policy

SHANGHAI = ZoneInfo("Asia/Shanghai")


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


def test_same_day_after_office_hours_means_the_end_of_the_next_day():
    assert same_day_end(local(23, 21), Policy(), SHANGHAI) == datetime(2026, 11, 25, tzinfo=SHANGHAI)
    assert same_day_end(local(23, 19, 59), Policy(), SHANGHAI) == datetime(2026, 11, 24, tzinfo=SHANGHAI)


def test_a_referral_has_no_deadlines():
    deadlines = deadlines_for(category_by_code("appliance_specialist"), local(23, 10), Policy(), SHANGHAI)
    assert (deadlines.accept_by, deadlines.on_site_by, deadlines.resolve_by) == (None, None, None)


def test_policy_overrides_change_the_deadlines():
    policy = Policy(accept_within=timedelta(minutes=5), resolve_within=Policy().resolve_within | {"leak": SAME_DAY})
    deadlines = deadlines_for(category_by_code("leak"), local(23, 10), policy, SHANGHAI)
    assert deadlines.accept_by == local(23, 10, 5)
    assert deadlines.resolve_by == datetime(2026, 11, 24, tzinfo=SHANGHAI)
