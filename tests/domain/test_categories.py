import pytest

from domain.categories import CATEGORIES, Urgency, WarrantyPart, category_by_code, recognise_category
from domain.policy import Policy
from domain.trades import TRADE_CODES, Trade


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
        ("the power went out in the whole flat", "outage_power"),
        ("power outage", "outage_power"),
        ("the electricity is off", "outage_power"),
        ("全屋断电", "outage_power"),
        ("Пропало электричество", "outage_power"),
    ],
)
def test_003_recognises_the_category_in_each_language(text, expected):
    assert recognise_category(text).code == expected


@pytest.mark.parametrize(
    "text",
    [
        "tap is dripping",
        "the kitchen tap drips all night",
        "the pipe under the sink is leaking",
        "the toilet keeps running",
        "水管漏水",
        "水龙头一直滴水",
        "马桶水箱漏水",
        "厨房水槽下面的管子漏了",
        "Течёт кран на кухне",
        "Под раковиной подтекает труба",
        "Унитаз постоянно течёт",
        "I live on the 5th floor and my tap is leaking",
    ],
)
def test_003_water_from_pipes_and_fittings_is_plumbing_with_a_two_year_warranty(text):
    category = recognise_category(text)
    assert category is not None and category.code == "blocked_drain", text
    assert category.trade is Trade.PLUMBING and category.warranty_part is WarrantyPart.WATER_PIPES
    assert Policy().warranty_months[category.warranty_part] == 24


@pytest.mark.parametrize(
    "text",
    [
        "Протечка с потолка в ванной",
        "卫生间天花板漏水",
        "water is coming through the bedroom wall when it rains",
        "the roof leaks",
        "the bathroom floor leaks into the flat below",
        "外墙渗水",
        "楼顶漏水，墙上都是水渍",
        "卫生间地面漏水到楼下",
        "Протекает крыша",
        "Сырость и плесень на стене",
        "Соседи сверху заливают, мокрый потолок",
        "there is damp and mould on the wall",
        "Leak under the window",
        "窗户渗水",
    ],
)
def test_003_water_through_walls_ceilings_roofs_and_floors_is_waterproofing_for_five_years(text):
    category = recognise_category(text)
    assert category is not None and category.code == "leak", text
    assert category.trade is Trade.WATERPROOFING and category.warranty_part is WarrantyPart.WATERPROOFING
    assert Policy().warranty_months[category.warranty_part] == 60


@pytest.mark.parametrize("text", ["gas leak in the kitchen", "I smell gas", "煤气泄漏", "燃气漏气了", "утечка газа"])
def test_003_a_gas_leak_is_never_filed_as_a_water_leak(text):
    assert recognise_category(text) is None


def test_003_a_gas_stove_that_does_not_light_is_still_an_appliance():
    assert recognise_category("燃气灶打不着火").code == "appliance"


@pytest.mark.parametrize("text", ["it is leaking", "漏水了", "Течёт вода", "the light in the lift is broken"])
def test_003_an_unsure_match_lets_the_owner_choose(text):
    assert recognise_category(text) is None


def test_003_says_nothing_when_no_keyword_matches():
    assert recognise_category("hello, good morning") is None


def test_003_a_keyword_must_start_a_word_outside_chinese():
    # "lock" is inside "blocked": that is a drain, not a lock installation
    assert recognise_category("drain blocked").code == "blocked_drain"


def test_003_a_danger_wins_a_tie():
    assert recognise_category("the ceiling leaks and the plaster is falling").code == "safety_hazard"


def test_003_the_foundations_and_main_structure_are_their_own_category():
    for text in ("地基沉降，承重墙开裂", "the foundation is sinking", "Просел фундамент"):
        category = recognise_category(text)
        assert category is not None and category.code == "structural", text
        assert category.warranty_part is WarrantyPart.STRUCTURE


def test_every_category_belongs_to_a_known_trade_and_is_findable():
    for category in CATEGORIES:
        assert category.trade in TRADE_CODES
        assert category_by_code(category.code) is category


def test_every_category_with_a_contractor_has_deadlines_and_referrals_none():
    policy = Policy()
    for category in CATEGORIES:
        has_deadline = category.code in policy.resolve_within and category.code in policy.on_site_within
        assert has_deadline == (category.urgency is not Urgency.REFERRAL), category.code


def test_every_part_of_a_building_has_a_warranty_period():
    assert set(Policy().warranty_months) == set(WarrantyPart)


def test_003_leaks_and_cracks_require_a_photo():
    assert category_by_code("leak").photo_required
    assert category_by_code("wall_crack").photo_required
    assert not category_by_code("lighting").photo_required
