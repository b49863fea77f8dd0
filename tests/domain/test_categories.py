import pytest

from domain.categories import CATEGORIES, Urgency, category_by_code, recognise_category
from domain.policy import Policy
from domain.trades import TRADE_CODES


@pytest.mark.parametrize(
    "text, expected",
    [
        ("water is dripping from the bathroom ceiling", "leak"),
        ("卫生间天花板漏水", "leak"),
        ("С потолка в ванной капает вода", "leak"),
        ("the kitchen sink is blocked", "blocked_drain"),
        ("马桶堵了", "blocked_drain"),
        ("no power in the flat since morning", "outage_power"),
        ("家里停水了", "outage_water"),
        ("нет воды", "outage_water"),
        ("ceiling plaster is falling off", "safety_hazard"),
        ("客厅墙面有裂缝", "wall_crack"),
        ("лифт не работает", "elevator"),
        ("the bulb in the hall is dead", "lighting"),
    ],
)
def test_recognises_the_category_in_each_language(text, expected):
    assert recognise_category(text).code == expected


def test_says_nothing_when_no_keyword_matches():
    assert recognise_category("hello, good morning") is None


def test_a_keyword_must_start_a_word_outside_chinese():
    # "lock" is inside "blocked": that is a drain, not a lock installation
    assert recognise_category("drain blocked").code == "blocked_drain"


def test_the_more_urgent_category_wins_a_tie():
    assert recognise_category("the ceiling leaks and the plaster is falling").code == "safety_hazard"


def test_every_category_belongs_to_a_known_trade_and_is_findable():
    for category in CATEGORIES:
        assert category.trade in TRADE_CODES
        assert category_by_code(category.code) is category


def test_every_category_with_a_contractor_has_deadlines_and_referrals_none():
    policy = Policy()
    for category in CATEGORIES:
        has_deadline = category.code in policy.resolve_within and category.code in policy.on_site_within
        assert has_deadline == (category.urgency is not Urgency.REFERRAL), category.code


def test_leaks_and_cracks_require_a_photo():
    assert category_by_code("leak").photo_required
    assert category_by_code("wall_crack").photo_required
    assert not category_by_code("lighting").photo_required
