from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.calendar import WorkingCalendar
from domain.complaints import RULES, Severity, Topic, classify, complaint_deadlines
from domain.deadlines import same_day_end
from domain.policy import Policy

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "text, topic, severity",
    [
        ("The gas smell in the corridor is dangerous and nobody came", Topic.MANAGEMENT, Severity.MAJOR),
        ("电梯困人，有人受伤", Topic.SERVICE, Severity.MAJOR),
        ("I will go to the media", Topic.NOISE, Severity.MAJOR),
        ("The engineer was rude to my mother", Topic.ENGINEER, Severity.IMPORTANT),
        ("Nobody came although it was promised", Topic.NEIGHBOUR, Severity.IMPORTANT),
        ("The neighbour's music last night", Topic.NOISE, Severity.MINOR),
        ("Сосед сверлит по выходным", Topic.NEIGHBOUR, Severity.MINOR),
    ],
)
def test_severity_by_the_rules(text, topic, severity):
    assert classify(text, topic) is severity


def deadlines(severity, filed):
    calendar = WorkingCalendar(lambda day: day.weekday() < 5, SHANGHAI)
    return complaint_deadlines(severity, filed, calendar, lambda start: same_day_end(start, Policy(), SHANGHAI))


def test_each_severity_has_its_deadlines():
    monday = datetime(2026, 11, 23, 10, tzinfo=SHANGHAI).astimezone(UTC)
    major = deadlines(Severity.MAJOR, monday)
    assert major.first_handling_by == datetime(2026, 11, 24, tzinfo=SHANGHAI)  # to the director the same day
    assert major.answer_by == monday + timedelta(days=2) and major.resolve_by == monday + timedelta(days=10)
    important = deadlines(Severity.IMPORTANT, monday)
    assert important.first_handling_by == monday + timedelta(hours=1)  # to the supervisor within an hour
    assert important.answer_by == datetime(2026, 11, 26, 10, tzinfo=SHANGHAI)  # 3 working days
    assert important.resolve_by == monday + timedelta(days=3)
    minor = deadlines(Severity.MINOR, monday)
    assert minor.first_handling_by is None and minor.resolve_by == monday + timedelta(days=2)


def test_every_severity_has_a_rule():
    assert set(RULES) == set(Severity)
