"""The rules behind the managers' reports (docs/rules.md): reporting periods, what
counts as on time, as a first-time fix, and as a recurring problem."""

import re
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from domain.policy import Policy

K = TypeVar("K", bound=Hashable)
ANSWER_COMPLAINT_WITHIN = timedelta(hours=2)  # every complaint answered within 2 hours (docs/rules.md)
SAME_MATTER_AT = 2  # the same matter complained about twice or more (docs/rules.md)
SAME_REPAIR_AT = 3  # the same repair three times or more (docs/rules.md)
INDUSTRY_RESOLVE_DAYS = (3.4, 6.8)  # the usual average time to resolve, in days
SATISFACTION_TARGET = 90.0  # satisfied answers ÷ answers returned, in percent (docs/rules.md)
MONTHLY_REPORT_DAY = 24  # the monthly summary is due by the 24th (docs/rules.md)


class ReportKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    CONTRACTOR = "contractor"


@dataclass(frozen=True)
class Period:
    """Whole local days, the end excluded."""

    kind: ReportKind
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind is ReportKind.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind is ReportKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"


def week_of(day: date) -> Period:
    start = day - timedelta(days=day.weekday())
    return Period(ReportKind.WEEK, start, start + timedelta(days=7))


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def months_before(day: date, months: int) -> date:
    """The first day of the month `months` before the month of `day`."""
    return _month_start(day.year, day.month - months)


def month_of(day: date, kind: ReportKind = ReportKind.MONTH) -> Period:
    return Period(kind, day.replace(day=1), _month_start(day.year, day.month + 1))


def quarter_of(day: date) -> Period:
    first = (day.month - 1) // 3 * 3 + 1
    return Period(ReportKind.QUARTER, date(day.year, first, 1), _month_start(day.year, first + 3))


def current_period(kind: ReportKind, today: date) -> Period:
    if kind is ReportKind.WEEK:
        return week_of(today)
    if kind is ReportKind.QUARTER:
        return quarter_of(today)
    return month_of(today, kind)


def previous_period(kind: ReportKind, today: date) -> Period:
    """The last whole period before today's: what a scheduled report covers."""
    return current_period(kind, current_period(kind, today).start - timedelta(days=1))


_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_period(kind: ReportKind, text: str) -> Period | None:
    """2026-W47, 2026-11, 2026-Q4 (or a day inside the period, 2026-11-20); None if not one,
    or if it lies outside the years a report can cover (REPORT_YEARS)."""
    text = text.strip()
    try:
        period = _period(kind, text)
    except (ValueError, OverflowError):  # 2026-13; 9999-W52 ends past the calendar's end
        return None
    return period if period.start.year in REPORT_YEARS and period.end.year in REPORT_YEARS else None


# A report's period lies in these years: the property's history, and a margin for time
# zones at the calendar's ends (a period in year 1 or 9999 cannot be turned into instants).
REPORT_YEARS = range(2000, 2200)


def _period(kind: ReportKind, text: str) -> Period:
    """A week, month or quarter written as such is one only for a report of its own length
    (a contractors' report is monthly); a day is inside a period of any."""
    if (match := _WEEK.match(text)) and kind is ReportKind.WEEK:
        return week_of(date.fromisocalendar(int(match[1]), int(match[2]), 1))
    if (match := _QUARTER.match(text)) and kind is ReportKind.QUARTER:
        return quarter_of(date(int(match[1]), int(match[2]) * 3, 1))
    if (match := _MONTH.match(text)) and kind in (ReportKind.MONTH, ReportKind.CONTRACTOR):
        return current_period(kind, date(int(match[1]), int(match[2]), 1))
    return current_period(kind, date.fromisoformat(text))


def on_time(done: datetime | None, due: datetime | None) -> bool | None:
    """Whether a step was done by its deadline; None when it was not done or had no deadline."""
    if done is None or due is None:
        return None
    return done <= due


def answered_in_time(filed: datetime, answered: datetime | None) -> bool:
    return answered is not None and answered - filed <= ANSWER_COMPLAINT_WITHIN


def first_time_fix(reopened: int, came_back: bool) -> bool:
    """Fixed at the first attempt: the owner never said it was not fixed, and no callback
    found it back."""
    return reopened == 0 and not came_back


def recurring(keys: Iterable[K], at_least: int) -> dict[K, int]:
    """The keys seen at least `at_least` times, with their counts, most first."""
    return {key: n for key, n in Counter(keys).most_common() if n >= at_least}


@dataclass(frozen=True)
class Share:
    """A count out of a total, as managers read it: 7/8 = 87.5%."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return None if self.whole == 0 else round(100 * self.part / self.whole, 1)


def share(flags: Iterable[bool | None]) -> Share:
    """Of the flags that are known (not None), how many are true."""
    known = [flag for flag in flags if flag is not None]
    return Share(sum(known), len(known))


QUARTER_STARTS = (1, 4, 7, 10)


def due_reports(today: date, policy: Policy) -> list[tuple[ReportKind, Period]]:
    """The reports the schedule sends today, and the period each covers: the week before,
    the month so far (by the 24th), the quarter just ended, the contractors' month before."""
    due = []
    if today.weekday() == policy.report_weekday:
        due.append((ReportKind.WEEK, previous_period(ReportKind.WEEK, today)))
    if today.day == policy.monthly_report_day:
        due.append((ReportKind.MONTH, month_of(today)))
    if today.day == 1 and today.month in QUARTER_STARTS:
        due.append((ReportKind.QUARTER, previous_period(ReportKind.QUARTER, today)))
    if today.day == policy.contractor_report_day:
        due.append((ReportKind.CONTRACTOR, previous_period(ReportKind.CONTRACTOR, today)))
    return due
