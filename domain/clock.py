"""Where the current time comes from.

Rules take `now` as an argument; the application asks a `Clock` once per action, so tests
can set the time and cover deadlines of days in milliseconds.
"""

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)
