"""Working time: working days (public holidays off, make-up working days on) and office hours.

Which days are working days is the calendar's business (settings/config.py builds it from the
`holidays` package and the config's own days off); the arithmetic is here.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


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
