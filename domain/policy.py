"""Every number of domain-rules.md as a default a property company can change in its config."""
from dataclasses import dataclass, field
from datetime import time, timedelta

from domain.categories import WarrantyPart
from domain.durations import SAME_DAY, DeadlineRule

H, M, D = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)

# domain-rules §3: "on site" and "resolved within" per category; engineer timings from 000/001.
DEFAULT_ON_SITE: dict[str, DeadlineRule] = {
    "safety_hazard": 15 * M,
    "outage_water": 30 * M,
    "outage_power": 30 * M,
    "leak": 30 * M,
    "blocked_drain": SAME_DAY,
    "lighting": SAME_DAY,
    "water_pressure": SAME_DAY,
    "tv_cable": 1 * D,
    "wall_crack": 1 * D,  # site survey within 1 working day (002 篇2 §3.4.5)
    "lock_faucet_install": SAME_DAY,
    "door_window": 1 * D,
    "heating_cooling": 1 * D,
    "elevator": 30 * M,
    "appliance": SAME_DAY,
    "other": 1 * D,
}
DEFAULT_RESOLVE: dict[str, DeadlineRule] = {
    "safety_hazard": SAME_DAY,
    "outage_water": SAME_DAY,
    "outage_power": SAME_DAY,
    "leak": 2 * D,
    "blocked_drain": SAME_DAY,
    "lighting": SAME_DAY,
    "water_pressure": SAME_DAY,
    "tv_cable": 2 * D,
    "wall_crack": 3 * D,
    "lock_faucet_install": SAME_DAY,
    "door_window": 3 * D,
    "heating_cooling": 3 * D,
    "elevator": 1 * D,
    "appliance": 3 * D,
    "other": 3 * D,  # "ordinary: resolved within 3 days" (003 篇一)
}
# domain-rules §4, from the unit's handover date; "2 heating/cooling seasons" taken as 2 years.
DEFAULT_WARRANTY_MONTHS: dict[WarrantyPart, int] = {
    WarrantyPart.WATERPROOFING: 60,
    WarrantyPart.HEATING_COOLING: 24,
    WarrantyPart.ELECTRICAL: 24,
    WarrantyPart.WATER_PIPES: 24,
    WarrantyPart.EQUIPMENT: 24,
    WarrantyPart.DECORATION: 24,
}


@dataclass(frozen=True)
class Policy:
    accept_within: timedelta = 15 * M  # an engineer takes the job and prepares (000)
    on_site_within: dict[str, DeadlineRule] = field(default_factory=lambda: dict(DEFAULT_ON_SITE))
    resolve_within: dict[str, DeadlineRule] = field(default_factory=lambda: dict(DEFAULT_RESOLVE))
    warranty_months: dict[WarrantyPart, int] = field(
        default_factory=lambda: dict(DEFAULT_WARRANTY_MONTHS)
    )
    office_opens: time = time(8, 0)
    office_closes: time = time(20, 0)
    promise_contact_within: timedelta = 10 * M  # what the owner is promised at intake (§2)
    max_photos: int = 10
    max_description: int = 1000
    scheduler_tick: timedelta = timedelta(seconds=30)
