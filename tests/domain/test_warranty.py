from datetime import date

import pytest

from domain.categories import WarrantyPart, category_by_code
from domain.policy import Policy
from domain.warranty import Coverage, add_months, ending_soon, warranty_for

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


def test_003_the_foundations_and_main_structure_are_under_warranty_for_the_design_life():
    # handed over 30 years ago: every other part is long out of warranty, the structure is not
    result = verdict("structural", date(1996, 11, 23))
    assert result.coverage is Coverage.IN_WARRANTY
    assert result.ends_on == date(2046, 11, 23)  # 50 years, the design life of ordinary housing
    assert verdict("wall_crack", date(1996, 11, 23)).coverage is Coverage.PAID


def test_003_a_longer_design_life_is_a_policy_value():
    policy = Policy(warranty_months=Policy().warranty_months | {WarrantyPart.STRUCTURE: 100 * 12})
    result = warranty_for(category_by_code("structural"), date(1950, 1, 1), TODAY, policy, False)
    assert result.coverage is Coverage.IN_WARRANTY and result.ends_on == date(2050, 1, 1)


def test_002_out_of_warranty_in_a_public_area_is_the_maintenance_fund_not_a_warranty():
    result = verdict("structural", date(1970, 1, 1), public_area=True)
    assert result.coverage is Coverage.MAINTENANCE_FUND and result.coverage is not Coverage.IN_WARRANTY


def test_000_owners_are_not_reminded_of_the_structure_decades_early():
    parts = [part for ending in ending_soon(date(2024, 12, 1), TODAY, Policy()).values() for part in ending]
    assert WarrantyPart.WATER_PIPES in parts and WarrantyPart.STRUCTURE not in parts
    assert ending_soon(date(1976, 12, 10), TODAY, Policy()) == {date(2026, 12, 10): [WarrantyPart.STRUCTURE]}
