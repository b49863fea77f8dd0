from datetime import date

import pytest

from domain.phones import normalize_phone
from domain.roster import parse_roster

HEADER = "block,unit,owner_name,phone,handover_date,language"


@pytest.mark.parametrize("raw", ["138 0000 0001", "+86 138-0000-0001", "13800000001", "+8613800000001"])
def test_one_number_in_every_way_it_is_written(raw):
    assert normalize_phone(raw, "CN") == "+8613800000001"


def test_telegram_numbers_are_read_as_international():
    assert normalize_phone("8613800000001", "CN", international=True) == "+8613800000001"
    assert normalize_phone("79161234567", "CN", international=True) == "+79161234567"


@pytest.mark.parametrize("raw", ["12345", "not a phone", ""])
def test_nonsense_is_no_number(raw):
    assert normalize_phone(raw, "CN") is None


def parse(*lines):
    return parse_roster([HEADER, *lines], {"A", "B"}, {"zh", "en", "ru"}, "CN")


def test_good_rows_are_read_with_their_line_numbers():
    rows, problems = parse("A,1203,Wang Fang,138 0000 0001,2024-06-30,zh", "", "B,0502,John,13700000003,2018-03-31,")
    assert problems == []
    assert [(r.line, r.block, r.unit, r.phone, r.handover_date, r.language) for r in rows] == [
        (2, "A", "1203", "+8613800000001", date(2024, 6, 30), "zh"),
        (4, "B", "0502", "+8613700000003", date(2018, 3, 31), None),
    ]


@pytest.mark.parametrize(
    "line, reason",
    [
        ("C,1,Wang,13800000001,2024-06-30,zh", 'block "C" is not in the config'),
        ("A,,Wang,13800000001,2024-06-30,zh", "unit is empty"),
        ("A,1,,13800000001,2024-06-30,zh", "owner_name is empty"),
        ("A,1,Wang,12345,2024-06-30,zh", '"12345" is not a valid phone number'),
        ("A,1,Wang,13800000001,30.06.2024,zh", 'handover_date "30.06.2024" is not an ISO date (YYYY-MM-DD)'),
        ("A,1,Wang,13800000001,2024-06-30,fr", 'language "fr" is not one of en, ru, zh'),
        ("A,1,Wang", "expected 5 or 6 fields, found 3"),
    ],
)
def test_a_bad_row_is_reported_and_the_good_ones_still_load(line, reason):
    rows, problems = parse("A,1203,Wang Fang,138 0000 0001,2024-06-30,zh", line)
    assert len(rows) == 1
    assert [(p.line, p.reason) for p in problems] == [(3, reason)]


def test_a_wrong_header_is_one_problem():
    rows, problems = parse_roster(["unit,block", "1,A"], {"A"}, {"zh"}, "CN")
    assert rows == [] and problems[0].line == 1
