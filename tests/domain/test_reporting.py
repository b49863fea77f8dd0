"""The report rules with plain values: periods, the schedule, on time, first-time fixes and
recurring problems."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.policy import Policy
from domain.reporting import (
    ReportKind,
    Share,
    answered_in_time,
    due_reports,
    first_time_fix,
    month_of,
    months_before,
    on_time,
    parse_period,
    previous_period,
    quarter_of,
    recurring,
    share,
    week_of,
)
from settings.config import PolicySection

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "text", "start", "end"),
    [
        (ReportKind.WEEK, "2026-W47", date(2026, 11, 16), date(2026, 11, 23)),
        (ReportKind.WEEK, "2026w1", date(2025, 12, 29), date(2026, 1, 5)),
        (ReportKind.MONTH, "2026-12", date(2026, 12, 1), date(2027, 1, 1)),
        (ReportKind.CONTRACTOR, "2026-02-14", date(2026, 2, 1), date(2026, 3, 1)),
        (ReportKind.QUARTER, "2026-Q4", date(2026, 10, 1), date(2027, 1, 1)),
        (ReportKind.QUARTER, "2026-05-20", date(2026, 4, 1), date(2026, 7, 1)),
    ],
)
def test_periods_are_read_as_managers_write_them(kind, text, start, end):
    period = parse_period(kind, text)
    assert period is not None and (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "2026-W60", "2026-Q5", "last month", "A"])
def test_what_is_not_a_period_is_none(text):
    assert parse_period(ReportKind.MONTH, text) is None


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (ReportKind.WEEK, "9999-W52"),
        (ReportKind.MONTH, "0001-01"),
        (ReportKind.WEEK, "0001-W01"),
        (ReportKind.MONTH, "1999-12"),
    ],
)
def test_a_period_at_the_calendars_ends_is_none(kind, text):
    """A report cannot cover year 1 or 9999 (its instants would fall off the calendar)."""
    assert parse_period(kind, text) is None


def test_labels_and_the_periods_before():
    assert week_of(date(2026, 11, 23)).label == "2026-W48"
    assert previous_period(ReportKind.WEEK, date(2026, 11, 23)).label == "2026-W47"
    assert previous_period(ReportKind.QUARTER, date(2026, 1, 1)).label == "2025-Q4"
    assert quarter_of(date(2026, 3, 31)).label == "2026-Q1"
    assert months_before(date(2026, 2, 10), 5) == date(2025, 9, 1)
    assert month_of(date(2026, 12, 31)).end == date(2027, 1, 1)


def test_the_schedule_of_the_reports():
    policy = Policy()
    assert [(k, p.label) for k, p in due_reports(date(2026, 11, 23), policy)] == [("week", "2026-W47")]
    assert [(k, p.label) for k, p in due_reports(date(2026, 11, 24), policy)] == [("month", "2026-11")]
    assert [(k, p.label) for k, p in due_reports(date(2027, 1, 1), policy)] == [
        ("quarter", "2026-Q4"),
        ("contractor", "2026-12"),
    ]
    assert due_reports(date(2026, 11, 25), policy) == []


def test_the_schedule_comes_from_the_config():
    policy = PolicySection(report_weekday="fri", report_time="18:30", monthly_report_day=20).to_policy()
    assert (policy.report_weekday, policy.report_time.hour, policy.monthly_report_day) == (4, 18, 20)
    with pytest.raises(ValueError, match="not a time"):
        PolicySection(report_time="half past six")
    with pytest.raises(ValueError):
        PolicySection(monthly_report_day=31)


def test_on_time_first_time_and_answered_within_two_hours():
    assert on_time(NOON, NOON) is True and on_time(NOON + timedelta(seconds=1), NOON) is False
    assert on_time(None, NOON) is None and on_time(NOON, None) is None
    assert answered_in_time(NOON, NOON + timedelta(hours=2)) and not answered_in_time(NOON, NOON + timedelta(hours=3))
    assert not answered_in_time(NOON, None)
    assert first_time_fix(0, False) and not first_time_fix(1, False) and not first_time_fix(0, True)


def test_shares_and_recurring_problems():
    assert share([True, False, None, True]) == Share(2, 3) and Share(2, 3).percent == 66.7
    assert Share(0, 0).percent is None
    assert recurring(["a", "b", "a", "c", "a", "b"], 2) == {"a": 3, "b": 2}
    assert recurring([("A", "1203", "leak")] * 2, 3) == {}


@pytest.mark.parametrize(
    ("kind", "text", "label"),
    [
        (ReportKind.CONTRACTOR, "2026-W47", "2026-11"),
        (ReportKind.MONTH, "2026-Q4", None),
        (ReportKind.WEEK, "2026-11", None),
    ],
)
def test_a_period_of_another_length_is_the_reports_own_or_none(kind, text, label):
    """A monthly report of "2026-W47" was titled with a week; it is that week's month now."""
    period = parse_period(kind, text)
    assert (period.label if period else None) == label
