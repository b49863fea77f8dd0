from datetime import date

import pytest

from domain.categories import category_by_code
from domain.policy import Policy
from domain.warranty import Coverage, add_months, warranty_for

TODAY = date(2026, 11, 23)


def verdict(code: str, handover: date | None, public_area: bool = False):
    return warranty_for(category_by_code(code), handover, TODAY, Policy(), public_area)


def test_waterproofing_is_under_warranty_for_five_years():
    result = verdict("leak", date(2022, 1, 10))
    assert result.coverage is Coverage.IN_WARRANTY
    assert result.ends_on == date(2027, 1, 10)


def test_pipes_out_of_their_two_years_are_paid_service_in_a_unit():
    result = verdict("blocked_drain", date(2024, 6, 30))
    assert result.coverage is Coverage.PAID
    assert result.ends_on == date(2026, 6, 30)


def test_public_areas_out_of_warranty_go_to_the_maintenance_fund():
    assert verdict("blocked_drain", date(2018, 3, 31), public_area=True).coverage is Coverage.MAINTENANCE_FUND


def test_the_warranty_ends_on_its_last_day():
    assert verdict("leak", date(2021, 11, 23)).coverage is Coverage.PAID
    assert verdict("leak", date(2021, 11, 24)).coverage is Coverage.IN_WARRANTY


def test_the_owners_own_appliances_are_never_under_the_builders_warranty():
    assert verdict("appliance", date(2026, 1, 1)).coverage is Coverage.PAID


def test_an_unknown_handover_date_is_not_guessed_to_be_in_warranty():
    assert verdict("leak", None).coverage is Coverage.PAID


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 6, 30), 24, date(2026, 6, 30)),
    ],
)
def test_add_months_keeps_to_the_calendar(start, months, expected):
    assert add_months(start, months) == expected
