"""The work record (docs/rules.md, "The work record"), with plain values. Each test names the
seed document its rule comes from."""

from decimal import Decimal

import pytest

from domain.trades import Trade
from domain.work_record import (
    ANY_TRADE_FAULTS,
    MAX_AMOUNT,
    MAX_MATERIAL_NAME,
    MAX_QUANTITY,
    AmountProblem,
    Gap,
    LineProblem,
    Material,
    RefusedLine,
    WorkRecord,
    bare_name,
    collected_matches,
    faults_for,
    gaps,
    money,
    names_a_price,
    parse_amount,
    parse_material,
    parse_materials,
    price_in_range,
    quantity_text,
    quoted_amount,
    read_material,
    total,
)

PIPE = Material("PPR pipe", Decimal(2), "m", Decimal(30))
SEAL = Material("seal", Decimal(2), "pcs", Decimal(15))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PPR pipe 2 m 30", PIPE),
        ("PPR pipe  2m  30 yuan", PIPE),
        ("阀门 1 个 45", Material("阀门", Decimal(1), "个", Decimal(45))),
        ("PPR管2米30元", Material("PPR管", Decimal(2), "米", Decimal(30))),
        ("seal 2 15", Material("seal", Decimal(2), "", Decimal(15))),
        ("DN20 elbow 3 pcs ¥12.5", Material("DN20 elbow", Decimal(3), "pcs", Decimal("12.5"))),
        ("tape 1,5 m 0", Material("tape", Decimal("1.5"), "m", Decimal(0))),
        ("сифон 1 шт 120 юаней", Material("сифон", Decimal(1), "шт", Decimal(120))),
        ("瓷砖 2 块 30元", Material("瓷砖", Decimal(2), "块", Decimal(30))),
    ],
)
def test_000_materials_are_read_as_name_quantity_unit_and_cost(line, expected):
    assert parse_material(line) == expected


@pytest.mark.parametrize(
    "line", ["hello", "30", "pipe 2 m", "pipe 0 m 30", "2 m 30", "x" * (MAX_MATERIAL_NAME + 1) + " 1 30"]
)
def test_000_a_line_without_name_quantity_and_cost_is_not_guessed(line):
    assert parse_material(line) is None


def test_000_a_message_of_several_lines_keeps_what_it_understood_and_names_the_rest():
    understood, refused = parse_materials("PPR pipe 2 m 30\n\nsome glue\nseal 2 pcs 15")
    assert understood == [PIPE, SEAL]
    assert refused == [RefusedLine("some glue", LineProblem.UNREADABLE)]


def test_000_every_line_not_recorded_is_kept_with_why_not_only_the_first():
    text = "PPR pipe 2 m 30\nvalve 1 pcs 1000001\nglue 99999999999999999999999 tube 5\n-3 x 5\nseal 0 2"
    understood, refused = parse_materials(text)
    assert understood == [PIPE]
    assert refused == [
        RefusedLine("valve 1 pcs 1000001", LineProblem.COST),
        RefusedLine("glue 99999999999999999999999 tube 5", LineProblem.QUANTITY),
        RefusedLine("-3 x 5", LineProblem.UNREADABLE),  # no name
        RefusedLine("seal 0 2", LineProblem.QUANTITY),
    ]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("seal 0 2", LineProblem.QUANTITY),
        ("seal 0.0 pcs 2", LineProblem.QUANTITY),
        ("seal -3 pcs 5", LineProblem.QUANTITY),  # the minus is not dropped into the name
        ("seal −3 pcs 5", LineProblem.QUANTITY),
        (f"glue {MAX_QUANTITY + 1} tube 5", LineProblem.QUANTITY),
        ("glue 99999999999999999999999 tube 5", LineProblem.QUANTITY),
        ("tape 0.0001 m 3", LineProblem.QUANTITY),  # finer than a gram or a millimetre
        (f"valve 1 pcs {MAX_AMOUNT + 1}", LineProblem.COST),
        ("seal 1 " + "a" * 21 + " 5", LineProblem.UNREADABLE),  # words, not a unit
    ],
)
def test_000_a_quantity_or_cost_no_repair_has_is_refused_with_why(line, problem):
    assert read_material(line) == problem
    assert parse_material(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"pipe {MAX_QUANTITY} m 30", Material("pipe", MAX_QUANTITY, "m", Decimal(30))),
        ("tape 0.001 m 0", Material("tape", Decimal("0.001"), "m", Decimal(0))),
        (f"boiler 1 pcs {MAX_AMOUNT}", Material("boiler", Decimal(1), "pcs", MAX_AMOUNT)),
        ("PPR pipe – 2 m 30", PIPE),  # a dash between name and quantity is no minus
        ("PPR pipe 2-3 m 30", Material("PPR pipe 2", Decimal(3), "m", Decimal(30))),  # nor one inside a name
    ],
)
def test_000_quantities_and_costs_up_to_the_limits_are_recorded(line, expected):
    assert read_material(line) == expected


def test_000_a_material_named_alone_is_asked_about_not_refused():
    assert bare_name("sealant") and bare_name("密封胶")
    assert not bare_name("sealant 1 tube") and not bare_name("  ") and not bare_name("a\nb")


def test_004_the_materials_cost_list_adds_up_each_lines_cost():
    assert total([PIPE, SEAL]) == Decimal(45)
    assert total([]) == Decimal(0)
    assert WorkRecord("worn seal", (PIPE, SEAL)).total == Decimal(45)


def test_004_amounts_read_as_people_write_them():
    assert money(Decimal(30)) == "¥30"
    assert money(Decimal("12.5")) == "¥12.50"
    assert quantity_text(Material("tape", Decimal("1.50"), "m", Decimal(0))) == "1.5 m"
    assert quantity_text(Material("seal", Decimal(2), "", Decimal(0))) == "2"


def test_002_the_accepted_quote_names_its_price():
    assert quoted_amount("350 yuan: new seal and fitting") == Decimal(350)
    assert quoted_amount("新密封圈 ¥280") == Decimal(280)
    assert quoted_amount("new seal, price by the meter") is None
    assert quoted_amount("2 hours of work and a DN20 valve: 380 yuan") == Decimal(380)
    assert quoted_amount("2 hours of work, 150") is None  # which number is the price is not guessed
    assert quoted_amount("300元 + 50元 travel") is None
    assert quoted_amount("the whole repair 420") == Decimal(420)
    assert quoted_amount(None) is None


def test_002_a_quote_states_its_price_in_figures():
    assert names_a_price("350 yuan: new seal and fitting") and names_a_price("2 hours of work, 150")
    assert not names_a_price("about two hundred")
    assert not names_a_price("二百元左右") and not names_a_price("около двухсот")


def test_002_the_amount_collected_carries_its_reason():
    assert parse_amount("350") == (Decimal(350), "")
    assert parse_amount("300 the owner kept the old tap") == (Decimal(300), "the owner kept the old tap")
    assert parse_amount("300 - the owner kept the old tap") == (Decimal(300), "the owner kept the old tap")
    assert parse_amount(f"{MAX_AMOUNT}") == (MAX_AMOUNT, "")
    assert parse_amount("no idea") == AmountProblem.MISSING


@pytest.mark.parametrize("text", ["-200", "- 200", "-¥200", "¥-200", "−200 元", "the owner got back -50"])
def test_002_a_negative_amount_collected_is_refused_not_read_without_its_sign(text):
    assert parse_amount(text) == AmountProblem.NEGATIVE


def test_002_an_amount_collected_beyond_any_repair_is_refused():
    assert parse_amount(f"{MAX_AMOUNT + 1}") == AmountProblem.TOO_LARGE
    assert parse_amount("99999999999999999999999") == AmountProblem.TOO_LARGE


def test_002_what_is_collected_matches_the_accepted_price():
    assert collected_matches(Decimal(350), Decimal("350.00"))
    assert not collected_matches(Decimal(350), Decimal(300))
    assert collected_matches(None, Decimal(300))  # a quote without a price cannot be compared


def test_001_the_fault_found_is_recorded():
    assert gaps(WorkRecord("  ", after_photos=1)) == [Gap.FAULT]


def test_004_an_after_photo_is_required():
    assert gaps(WorkRecord("worn seal")) == [Gap.AFTER_PHOTO]
    assert gaps(WorkRecord("worn seal"), after_photo_required=False) == []
    assert gaps(WorkRecord("worn seal", after_photos=1)) == []


def test_002_paid_work_keeps_its_receipt():
    paid = WorkRecord("worn seal", after_photos=1, paid=True, quoted=Decimal(350), collected=Decimal(350))
    assert gaps(paid) == [Gap.RECEIPT]
    assert gaps(WorkRecord("worn seal", after_photos=1, paid=True, receipt_photos=1)) == [Gap.COLLECTED]
    assert gaps(WorkRecord("worn seal", after_photos=1, collected=Decimal(1))) == []  # free work: no receipt


def test_002_paid_work_collected_off_the_price_needs_a_reason():
    record = WorkRecord("worn seal", after_photos=1, paid=True, quoted=Decimal(350), receipt_photos=1)
    assert gaps(WorkRecord(**{**record.__dict__, "collected": Decimal(300)})) == [Gap.REASON]
    assert gaps(WorkRecord(**{**record.__dict__, "collected": Decimal(300), "reason": "old tap kept"})) == []
    assert gaps(WorkRecord(**{**record.__dict__, "collected": Decimal(350)})) == []


def test_001_each_trade_offers_its_common_faults_and_the_general_ones():
    assert faults_for(Trade.PLUMBING)[:2] == ("worn_seal", "loose_joint")
    assert faults_for(Trade.GENERAL) == ANY_TRADE_FAULTS
    assert faults_for("unknown") == ANY_TRADE_FAULTS
    for trade in Trade:
        assert faults_for(trade)[-len(ANY_TRADE_FAULTS) :] == ANY_TRADE_FAULTS


def test_002_a_quotes_price_is_neither_below_zero_nor_beyond_any_repair():
    assert price_in_range("350 yuan: new seal") and price_in_range("2-3 hours, part 12345678901, ¥350")
    assert not price_in_range("-350 yuan") and not price_in_range("¥99999999 new tap")
