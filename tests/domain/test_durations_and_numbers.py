from datetime import UTC, datetime, timedelta

import pytest

from domain.durations import SAME_DAY, parse_deadline_rule, parse_duration
from domain.tickets import id_from_number, names_ticket, ticket_number


@pytest.mark.parametrize(
    "text, expected",
    [
        ("15m", timedelta(minutes=15)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("30s", timedelta(seconds=30)),
        ("150ms", timedelta(milliseconds=150)),
        (" 1w ", timedelta(weeks=1)),
    ],
)
def test_durations_as_the_config_writes_them(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["15", "m15", "1.5h", "two days", ""])
def test_anything_else_is_refused_with_the_text(text):
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


def test_same_day_is_a_rule_of_its_own():
    assert parse_deadline_rule("same_day") is SAME_DAY
    assert parse_deadline_rule("2d") == timedelta(days=2)


def test_ticket_numbers_carry_the_date_and_the_id_and_read_back():
    number = ticket_number(17, datetime(2026, 11, 22, 10, tzinfo=UTC))
    assert number == "261122-0017"
    assert id_from_number(number) == id_from_number("#17") == id_from_number("0017") == 17
    assert id_from_number("abc") is None


def test_a_typed_number_with_another_date_names_no_ticket():
    assert names_ticket("17", "261122-0017") and names_ticket("#261122-0017", "261122-0017")
    assert not names_ticket("251231-0017", "261122-0017")
