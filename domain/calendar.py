"""Working time: working days (public holidays off, make-up working days on) and office hours.

Which days are working days is the calendar's business (settings/config.py builds it from the
`holidays` package and the config's own days off); the arithmetic is here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

# A report in the office's last hour cannot be looked at that day: taking the job (15 minutes)
# and getting there (30 minutes) fill the hour, so its working days count from the next opening
# (docs/rules.md, "Response and resolve times").
LAST_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class WorkingCalendar:
    is_working_day: Callable[[date], bool]
    tz: tzinfo
    opens: time = time(8, 0)
    closes: time = time(20, 0)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The same local time `days` working days later (a Friday's 3 working days end on
        Wednesday; a holiday week moves it further), kept within office hours: a report at
        02:00 counts from the opening, one at 23:00 from the closing."""
        local = start.astimezone(self.tz)
        day, left = local.date(), days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        time_of_day = min(max(local.time(), self.opens), self.closes)
        return datetime.combine(day, time_of_day, tzinfo=self.tz).astimezone(start.tzinfo)

    def working_days_due(self, start: datetime, days: int) -> datetime:
        """A deadline of `days` working days: as many office days of office time. A report in
        office hours counts from its moment (10:00 on Friday is due at 10:00 on Monday); one
        in the office's last hour, after closing, before opening or on a day off counts from
        the next working day's opening, so its deadline is that many whole office days later:
        Friday 19:00 and Saturday are both due at Monday's closing, never at night."""
        local = start.astimezone(self.tz)
        closing = datetime.combine(local.date(), self.closes, tzinfo=self.tz)
        opening = datetime.combine(local.date(), self.opens, tzinfo=self.tz)
        in_office = self.is_working_day(local.date()) and opening <= local < closing - LAST_HOUR
        begin = local if in_office else self.next_opening(start).astimezone(self.tz)
        office_day = datetime.combine(local.date(), self.closes) - datetime.combine(local.date(), self.opens)
        return self.add_working_hours(begin, days * office_day.total_seconds() / 3600).astimezone(start.tzinfo)

    def next_opening(self, after: datetime) -> datetime:
        """The first office opening on a working day strictly after `after`."""
        local = after.astimezone(self.tz)
        day = local.date() if local.time() < self.opens else local.date() + timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.opens, tzinfo=self.tz).astimezone(after.tzinfo)

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """`hours` of office time on working days after `start` (outside office hours the
        count starts at the next opening)."""
        local = start.astimezone(self.tz)
        left = timedelta(hours=hours)
        cursor = local
        while True:
            opening = datetime.combine(cursor.date(), self.opens, tzinfo=self.tz)
            closing = datetime.combine(cursor.date(), self.closes, tzinfo=self.tz)
            if self.is_working_day(cursor.date()) and cursor < closing:
                cursor = max(cursor, opening)
                if cursor + left <= closing:
                    return (cursor + left).astimezone(start.tzinfo)
                left -= closing - cursor
            cursor = datetime.combine(cursor.date() + timedelta(days=1), self.opens, tzinfo=self.tz)


def every_day_works(_: date) -> bool:
    return True
