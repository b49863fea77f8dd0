"""Every number of docs/rules.md as a default a property company can change in its config."""

from dataclasses import dataclass, field
from datetime import time, timedelta

from domain.categories import WarrantyPart
from domain.durations import SAME_DAY, DeadlineRule, WorkingDays

H, M, D = timedelta(hours=1), timedelta(minutes=1), timedelta(days=1)

# docs/rules.md, "Response and resolve times": "on site" and "resolved within" per category.
DEFAULT_ON_SITE: dict[str, DeadlineRule] = {
    "safety_hazard": 15 * M,
    "outage_water": 30 * M,
    "outage_power": 30 * M,
    "leak": 30 * M,
    "blocked_drain": SAME_DAY,
    "lighting": SAME_DAY,
    "water_pressure": SAME_DAY,
    "tv_cable": WorkingDays(1),
    "wall_crack": WorkingDays(1),  # site survey within 1 working day
    "structural": SAME_DAY,  # urgent: the cause is looked at the day it is reported
    "lock_faucet_install": SAME_DAY,
    "door_window": WorkingDays(1),
    "heating_cooling": WorkingDays(1),
    "elevator": 30 * M,
    "appliance": SAME_DAY,
    "other": WorkingDays(1),
    "emergency": 15 * M,  # property staff go at once, the engineer within 15 minutes
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
    "structural": WorkingDays(7),  # multi-trade repairs within 7 working days
    "lock_faucet_install": SAME_DAY,
    "door_window": WorkingDays(3),  # single-trade repairs within 3 working days
    "heating_cooling": WorkingDays(3),
    "elevator": 1 * D,
    "appliance": WorkingDays(3),
    "other": WorkingDays(3),
    "emergency": SAME_DAY,  # made safe at once, repaired the same day
}
# docs/rules.md, "Warranty periods": from the unit's handover date; "2 heating/cooling seasons" taken as 2 years.
DEFAULT_WARRANTY_MONTHS: dict[WarrantyPart, int] = {
    WarrantyPart.WATERPROOFING: 60,
    WarrantyPart.HEATING_COOLING: 24,
    WarrantyPart.ELECTRICAL: 24,
    WarrantyPart.WATER_PIPES: 24,
    WarrantyPart.EQUIPMENT: 24,
    WarrantyPart.DECORATION: 24,
    WarrantyPart.STRUCTURE: 50 * 12,  # the design life: 50 years for ordinary housing
}


@dataclass(frozen=True)
class EscalationStep:
    """A rung of the ladder: who is alerted, how long after the deadline was missed."""

    role: str  # supervisor, project_manager, general_manager
    after: timedelta


# docs/rules.md, "Escalation ladder": the supervisor at once, the project manager after a day, the general
# manager after three ("unfinished after 3 days")
DEFAULT_LADDER = (
    EscalationStep("supervisor", timedelta(0)),
    EscalationStep("project_manager", 1 * D),
    EscalationStep("general_manager", 3 * D),
)

# An emergency's ladder moves in minutes: the supervisor at once, the project manager after 15
# minutes, the general manager after 30 (docs/rules.md, "Categories and trades": leaders told at once)
EMERGENCY_LADDER = (
    EscalationStep("supervisor", timedelta(0)),
    EscalationStep("project_manager", 15 * M),
    EscalationStep("general_manager", 30 * M),
)


# docs/rules.md, "Ratings and satisfaction": not satisfied → the station head at once; still unresolved after 5 days →
# the property manager; very unsatisfied → the customer-service manager
UNHAPPY_LADDER = (EscalationStep("supervisor", timedelta(0)), EscalationStep("property_manager", 5 * D))


@dataclass(frozen=True)
class Policy:
    accept_within: timedelta = 15 * M  # an engineer takes the job and prepares
    accept_within_emergency: timedelta = 15 * M  # an emergency's engineer is on the way by then
    on_site_within: dict[str, DeadlineRule] = field(default_factory=lambda: dict(DEFAULT_ON_SITE))
    resolve_within: dict[str, DeadlineRule] = field(default_factory=lambda: dict(DEFAULT_RESOLVE))
    warranty_months: dict[WarrantyPart, int] = field(default_factory=lambda: dict(DEFAULT_WARRANTY_MONTHS))
    office_opens: time = time(8, 0)
    office_closes: time = time(20, 0)
    promise_contact_within: timedelta = 10 * M  # what the owner is promised at intake
    max_photos: int = 10
    max_description: int = 1000
    scheduler_tick: timedelta = timedelta(seconds=30)
    # a written plan after the survey (docs/rules.md): needed for a repair longer than
    # plan_needed_after or one the engineer marks complex; within 30 minutes, a complex one 24 hours
    plan_needed_after: timedelta = 3 * D
    plan_within: timedelta = 1 * D
    plan_within_routine: timedelta = 30 * M
    remind_before_plan: timedelta = 10 * M
    # the clock: reminders before deadlines, and the owner's confirmation
    remind_before_accept: timedelta = 5 * M
    remind_before_on_site: timedelta = 15 * M
    remind_before_resolve: timedelta = 2 * H
    remind_before_visit: timedelta = 1 * H
    confirm_again_after: timedelta = 1 * D
    confirm_silence_after: timedelta = 3 * D
    escalation: tuple[EscalationStep, ...] = field(default_factory=lambda: DEFAULT_LADDER)
    emergency_escalation: tuple[EscalationStep, ...] = field(default_factory=lambda: EMERGENCY_LADDER)
    # a repeat repair waits for the repair manager's personal look (docs/rules.md) on a clock of
    # its own: missed, it climbs the escalation ladder like any deadline
    repeat_visit_within: timedelta = 1 * D
    # callbacks: the rating scale, how long an owner has to answer (asked once
    # more, then counted unanswered), and the ladder for an owner who is not satisfied
    rating_scale: int = 4
    callback_answer_within: timedelta = 2 * D
    unhappy_escalation: tuple[EscalationStep, ...] = field(default_factory=lambda: UNHAPPY_LADDER)
    # the managers' reports (docs/rules.md), sent to the managers' chat at report_time:
    # weekly complaints on report_weekday (0 = Monday) for the week before, the monthly
    # summary on monthly_report_day for the month so far, the quarterly analysis on the first
    # day after a quarter ends, each contractor's month on contractor_report_day for the month before
    report_time: time = time(9, 0)
    report_weekday: int = 0
    monthly_report_day: int = 24
    contractor_report_day: int = 1
    # satisfaction surveys (docs/rules.md): owners who have not answered are reminded `survey_reminders`
    # times, `survey_remind_after` apart; surveys the clock starts itself stay open
    # `survey_open_for`: a yearly one on `survey_yearly_on` (MM-DD), and one for the units
    # handed over `survey_move_in_months` ago when `survey_move_in` is on
    survey_remind_after: timedelta = 3 * D
    survey_reminders: int = 2
    survey_open_for: timedelta = 14 * D
    survey_yearly_on: str | None = None
    survey_move_in: bool = False
    survey_move_in_months: int = 6
    retention_years: int = 2  # records are kept at least 2 years (docs/rules.md), then purged
