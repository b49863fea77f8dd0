from domain.routing import ContractorRule, fallback_for, overlapping, route


def rule(code, trades, blocks, fallback=None, in_house=False):
    return ContractorRule(code, frozenset(trades), frozenset(blocks), fallback, in_house)


AQUA = rule("aqua", ["plumbing", "waterproofing"], ["A", "B"], fallback="inhouse")
AQUA_ANYWHERE = rule("aqua-any", ["plumbing"], ["*"])
BLOCK_C_ALL = rule("c-team", ["*"], ["C"])
EVERYONE = rule("general", ["*"], ["*"])
INHOUSE = rule("inhouse", ["civil"], ["A"], in_house=True)


def test_the_contractor_naming_the_trade_and_the_block_wins():
    assert route("plumbing", "A", [AQUA_ANYWHERE, BLOCK_C_ALL, EVERYONE, AQUA]) == "aqua"


def test_a_trade_match_in_every_block_comes_next():
    assert route("plumbing", "C", [EVERYONE, BLOCK_C_ALL, AQUA_ANYWHERE, AQUA]) == "aqua-any"


def test_a_block_match_for_every_trade_comes_next():
    assert route("electrical", "C", [EVERYONE, BLOCK_C_ALL, AQUA]) == "c-team"


def test_the_contractor_for_everything_comes_next():
    assert route("electrical", "A", [AQUA, EVERYONE, INHOUSE]) == "general"


def test_with_no_match_the_in_house_team_takes_it():
    assert route("electrical", "B", [AQUA, INHOUSE]) == "inhouse"


def test_with_nobody_at_all_a_manager_must_assign():
    assert route("electrical", "B", [AQUA]) is None
    assert route("plumbing", "A", []) is None


def test_equal_matches_go_to_the_first_in_the_config():
    twin = rule("twin", ["plumbing", "waterproofing"], ["A", "B"])
    assert route("plumbing", "A", [AQUA, twin]) == "aqua"
    assert ("aqua", "twin", "plumbing", "A") in overlapping([AQUA, twin])


def test_fallback_is_the_configured_one_else_the_in_house_team_never_itself():
    assert fallback_for("aqua", [AQUA, INHOUSE]) == "inhouse"
    assert fallback_for("aqua-any", [AQUA_ANYWHERE, INHOUSE]) == "inhouse"
    assert fallback_for("inhouse", [AQUA, INHOUSE]) is None
    assert fallback_for("aqua-any", [AQUA_ANYWHERE]) is None


def test_contractors_covering_different_things_do_not_overlap():
    assert overlapping([AQUA, AQUA_ANYWHERE, BLOCK_C_ALL, INHOUSE]) == []
