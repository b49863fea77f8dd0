from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.complaints import RULES, Severity, Topic, alerted_for, classify, complaint_deadlines, silences_passed
from domain.deadlines import same_day_end
from domain.durations import SameDay
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
def test_002_severity_by_the_rules(text, topic, severity):
    assert classify(text, topic) is severity


def deadlines(severity, filed):
    return complaint_deadlines(severity, filed, lambda start: same_day_end(start, Policy(), SHANGHAI))


MONDAY = datetime(2026, 11, 23, 10, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.mark.parametrize("severity", list(Severity))
def test_000_every_complaint_is_answered_within_2_hours(severity):
    assert deadlines(severity, MONDAY).answer_by == MONDAY + timedelta(hours=2)


def test_002_each_severity_keeps_its_first_handling_and_resolve_times():
    major = deadlines(Severity.MAJOR, MONDAY)
    assert major.first_handling_by == datetime(2026, 11, 24, tzinfo=SHANGHAI)  # to the director the same day
    assert major.solution_by == MONDAY + timedelta(days=2)  # a clear answer in 2 days
    assert major.resolve_by == MONDAY + timedelta(days=10)
    important = deadlines(Severity.IMPORTANT, MONDAY)
    assert important.first_handling_by == MONDAY + timedelta(hours=1)  # to the supervisor within an hour
    assert important.resolve_by == MONDAY + timedelta(days=3)
    minor = deadlines(Severity.MINOR, MONDAY)
    assert minor.first_handling_by is None and minor.resolve_by == MONDAY + timedelta(days=2)
    assert important.solution_by is None and minor.solution_by is None


@pytest.mark.parametrize("severity", list(Severity))
@pytest.mark.parametrize("hour", [0, 9, 17, 19, 20, 23])
def test_002_the_answer_never_falls_after_the_resolution(severity, hour):
    friday_before_a_holiday = datetime(2026, 9, 30, hour, 30, tzinfo=SHANGHAI).astimezone(UTC)
    due = deadlines(severity, friday_before_a_holiday)
    assert due.answer_by <= due.resolve_by
    assert due.solution_by is None or due.answer_by <= due.solution_by <= due.resolve_by
    assert due.first_handling_by is None or due.first_handling_by <= due.resolve_by


def test_002_working_and_calendar_days_are_not_mixed():
    # the October holiday week does not move any complaint deadline: all are calendar time
    before_the_holiday = datetime(2026, 9, 30, 10, tzinfo=SHANGHAI).astimezone(UTC)
    important = deadlines(Severity.IMPORTANT, before_the_holiday)
    assert important.resolve_by == before_the_holiday + timedelta(days=3)
    for rule in RULES.values():
        for deadline in (rule.first_handling, rule.solution, rule.resolve):
            assert deadline is None or isinstance(deadline, timedelta | SameDay)


def test_002_a_major_complaint_reaches_the_general_manager():
    assert "general_manager" in RULES[Severity.MAJOR].first_handlers
    assert alerted_for(Severity.MAJOR, "first_handling") == "project_manager"
    assert alerted_for(Severity.MAJOR, "resolve") == "general_manager"


@pytest.mark.parametrize(
    "severity, first, higher",
    [
        (Severity.MAJOR, "project_manager", "general_manager"),
        (Severity.IMPORTANT, "supervisor", "project_manager"),
        (Severity.MINOR, "supervisor", "project_manager"),
    ],
)
def test_004_without_the_owners_agreement_a_complaint_goes_a_rung_up(severity, first, higher):
    assert alerted_for(severity, "answer") == first
    assert alerted_for(severity, "no_agreement") == higher
    assert alerted_for(severity, "resolve") == higher


def test_every_severity_has_a_rule():
    assert set(RULES) == set(Severity)


def test_000_a_complaint_the_owner_stays_silent_on_climbs_a_rung_at_each_wait():
    proposed, wait = datetime(2026, 11, 2, 10, tzinfo=SHANGHAI), timedelta(days=3)
    assert silences_passed(proposed, wait, proposed + wait - timedelta(minutes=1)) == []
    assert len(silences_passed(proposed, wait, proposed + 2 * wait)) == 2
    assert len(silences_passed(proposed, wait, proposed + 30 * wait)) == 3  # the ladder has three rungs
    assert alerted_for(Severity.IMPORTANT, "no_agreement", 1) == "project_manager"
    assert alerted_for(Severity.IMPORTANT, "no_agreement", 2) == "general_manager"
    assert alerted_for(Severity.IMPORTANT, "no_agreement", 5) == "general_manager"  # never past the top
