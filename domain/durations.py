"""Policy durations as the configuration writes them: "15m", "2h", "3d", "same_day"."""

import re
from dataclasses import dataclass
from datetime import timedelta

_UNITS = {"ms": "milliseconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_PATTERN = re.compile(r"^\s*(\d+)\s*(ms|[smhdw])\s*$")


@dataclass(frozen=True)
class SameDay:
    """Before the end of the local calendar day (see deadlines.same_day_end)."""


@dataclass(frozen=True)
class WorkingDays:
    """So many working days: weekends and public holidays do not count ("3wd")."""

    days: int


@dataclass(frozen=True)
class WorkingHours:
    """So many hours of office time on working days ("4wh")."""

    hours: int


DeadlineRule = timedelta | SameDay | WorkingDays | WorkingHours
SAME_DAY = SameDay()
_WORKING = re.compile(r"^\s*(\d+)\s*(wd|wh)\s*$")


def parse_duration(text: str) -> timedelta:
    match = _PATTERN.match(text)
    if not match:
        raise ValueError(f'"{text}" is not a duration like "15m", "2h" or "3d"')
    amount, unit = match.groups()
    try:
        return timedelta(**{_UNITS[unit]: int(amount)})
    except OverflowError:
        raise ValueError(f'"{text}" is longer than any deadline') from None


def parse_deadline_rule(text: str) -> DeadlineRule:
    """A duration in calendar time ("2d"), working days ("3wd"), working hours ("4wh"), or
    "same_day"."""
    if text.strip() == "same_day":
        return SAME_DAY
    working = _WORKING.match(text)
    if working:
        amount, unit = working.groups()
        return WorkingDays(int(amount)) if unit == "wd" else WorkingHours(int(amount))
    return parse_duration(text)
