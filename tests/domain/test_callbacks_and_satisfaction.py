from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import WorkingCalendar
from domain.callbacks import CALLBACK_DAYS, plan_callbacks
from domain.categories import CATEGORIES, Urgency
from domain.repeats import EarlierRepair, find_repeat, needs_corrective_action
from domain.satisfaction import (
    Dimension,
    Rate,
    dimensions,
    is_worst,
    overall_rate,
    rates_by_dimension,
    satisfaction_rate,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEN = time(10)


def calendar():
    import holidays

    china = holidays.country_holidays("CN", years=[2026, 2027])
    return WorkingCalendar(china.is_working_day, SHANGHAI)


def local(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


# every row of the callback table of docs/rules.md, confirmed on Monday 23 Nov
@pytest.mark.parametrize(
    "category, expected",
    [
        ("safety_hazard", [local(25), local(30)]),  # within 2 days and again within a week
        ("outage_water", [local(24)]),  # next day
        ("outage_power", [local(24)]),
        ("leak", [local(24), local(26)]),  # the day after, and within 3 days after the leak test
        ("blocked_drain", [local(24)]),
        ("lighting", [local(25)]),  # within 2 days
        ("water_pressure", [local(25)]),
        ("tv_cable", [local(24)]),
        ("wall_crack", [local(28), local(23, 12)]),  # within 5 days, and a second within a month
        ("lock_faucet_install", [local(25)]),
        ("appliance", [local(24)]),
    ],
)
def test_every_row_of_the_callback_column(category, expected):
    confirmed = local(23, hour=15).astimezone(UTC)
    planned = plan_callbacks(category, confirmed, calendar(), TEN)
    assert [p.due_at for p in planned] == expected


def test_every_category_with_a_contractor_has_callbacks():
    for category in CATEGORIES:
        if category.urgency is not Urgency.REFERRAL:
            assert category.code in CALLBACK_DAYS


def test_never_before_the_next_working_day():
    friday = local(20, hour=15)
    planned = plan_callbacks("outage_power", friday, calendar(), TEN)
    assert planned[0].due_at == local(23)  # not on Saturday


def test_a_leak_caused_by_rain_also_waits_for_the_next_rain():
    planned = plan_callbacks("leak", local(23), calendar(), TEN, caused_by_rain=True)
    assert planned[-1].due_at is None and planned[-1].after_rain


def test_the_satisfaction_rate_is_the_top_two_over_the_answers():
    assert satisfaction_rate([1, 2, 2, 3, 4]) == Rate(3, 5)
    assert satisfaction_rate([1, 2, 2, 3, 4]).percent == 60.0
    assert satisfaction_rate([]).percent is None
    assert satisfaction_rate([1, 2, 3]).percent == 66.7  # the 3-level scale: the top two too


def test_rates_per_dimension_and_overall():
    rates = rates_by_dimension([(Dimension.SKILL, 1), (Dimension.SKILL, 3), (Dimension.OVERALL, 2)])
    assert rates[Dimension.SKILL].percent == 50.0 and rates[Dimension.OVERALL].percent == 100.0


def test_003_the_overall_rate_is_the_overall_ratings_top_two_over_the_ratings_returned():
    # two owners rated: the first unhappy with timeliness and skill yet satisfied overall, the
    # second happy in every part but unsatisfied overall; pooling every answer would say 62.5%
    first = [(Dimension.TIMELINESS, 3), (Dimension.SKILL, 4), (Dimension.ATTITUDE, 1), (Dimension.OVERALL, 2)]
    second = [(Dimension.TIMELINESS, 1), (Dimension.SKILL, 1), (Dimension.ATTITUDE, 2), (Dimension.OVERALL, 3)]
    assert overall_rate(first + second) == Rate(1, 2)
    assert overall_rate(first + second).percent == 50.0
    assert satisfaction_rate(score for _, score in first + second).percent == 62.5


def test_004_the_overall_rate_counts_the_top_two_of_either_scale():
    assert overall_rate([(Dimension.OVERALL, 1), (Dimension.OVERALL, 2), (Dimension.OVERALL, 3)]) == Rate(2, 3)
    assert overall_rate([(Dimension.SKILL, 1)]).percent is None  # no overall rating returned yet


def test_price_is_asked_only_for_paid_work_and_very_unsatisfied_only_on_four_levels():
    assert Dimension.PRICE in dimensions(paid=True) and Dimension.PRICE not in dimensions(paid=False)
    assert dimensions(paid=False)[-1] is Dimension.OVERALL
    assert is_worst(4, 4) and not is_worst(3, 3)


def earlier(ticket_id=1, category="leak", unit_id=10, public_area=None, fixed=date(2026, 6, 1), ends=date(2029, 1, 1)):
    return EarlierRepair(ticket_id, f"n{ticket_id}", category, unit_id, "A", public_area, fixed, ends)


def test_a_repeat_is_the_same_place_and_problem_within_the_warranty():
    today = date(2026, 11, 23)
    assert find_repeat([earlier()], "leak", 10, "A", None, today).ticket_id == 1
    assert find_repeat([earlier()], "leak", 11, "A", None, today) is None  # another unit
    assert find_repeat([earlier()], "blocked_drain", 10, "A", None, today) is None  # another problem
    assert find_repeat([earlier(ends=date(2026, 1, 1))], "leak", 10, "A", None, today) is None  # out of warranty
    spot = earlier(unit_id=None, public_area="Lobby")
    assert find_repeat([spot], "leak", None, "A", " lobby ", today) is spot
    newest = find_repeat([earlier(1), earlier(2, fixed=date(2026, 9, 1))], "leak", 10, "A", None, today)
    assert newest.ticket_id == 2


def test_the_third_repair_of_the_same_thing_needs_a_corrective_action():
    assert not needs_corrective_action(2) and needs_corrective_action(3)
