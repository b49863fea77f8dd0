"""Callbacks (回访): coming back to the owner after a repair, at the moments docs/rules.md
(Callbacks) gives for each category. In a chat a callback costs nothing, so
every repair is called back (100%), not a sample."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from domain.calendar import WorkingCalendar

# days after the owner confirmed the repair; a leak caused by rain is also called back
# after the next rain, held until a manager's /rain or the config's rain calendar
CALLBACK_DAYS: dict[str, tuple[int, ...]] = {
    "safety_hazard": (2, 7),  # within 2 days and again within a week
    "outage_water": (1,),
    "outage_power": (1,),
    "leak": (1, 3),  # the day after; leak repairs within 3 days after the leak test
    "blocked_drain": (1,),
    "lighting": (2,),
    "water_pressure": (2,),
    "tv_cable": (1,),
    "wall_crack": (5, 30),  # within 5 days, and a second within a month
    "structural": (2, 30),  # serious: within 2 days, and kept tracked a month later
    "lock_faucet_install": (2,),
    "door_window": (1,),
    "heating_cooling": (1,),
    "elevator": (1,),
    "appliance": (1,),
    "other": (1,),
    "emergency": (1,),  # gas, fire, trapped, sparks, a burst pipe: the next day
}


@dataclass(frozen=True)
class PlannedCallback:
    due_at: datetime | None  # None: held until the next rain
    after_rain: bool = False


def plan_callbacks(
    category: str, confirmed_at: datetime, calendar: WorkingCalendar, at: time, caused_by_rain: bool = False
) -> list[PlannedCallback]:
    """The callbacks of a confirmed repair: each on its day at `at` local time, never before
    the next working day (docs/rules.md, Callbacks)."""
    earliest = calendar.add_working_days(confirmed_at, 1).astimezone(calendar.tz).date()
    local = confirmed_at.astimezone(calendar.tz).date()
    planned = []
    for days in CALLBACK_DAYS.get(category, (1,)):
        day = max(local + timedelta(days=days), earliest)
        planned.append(PlannedCallback(datetime.combine(day, at, tzinfo=calendar.tz).astimezone(confirmed_at.tzinfo)))
    if caused_by_rain:
        planned.append(PlannedCallback(None, after_rain=True))
    return planned
