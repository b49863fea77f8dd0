"""The sandbox's time: the computer's clock, moved forward by the page's clock control so
deadlines, reminders and callbacks of days can be seen in minutes (domain/clock.py)."""

from datetime import UTC, datetime, timedelta


class SettableClock:
    def __init__(self, shift: timedelta = timedelta(0)):
        self.shift = shift

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift

    def advance(self, delta: timedelta) -> None:
        self.shift += delta
