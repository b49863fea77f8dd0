"""The deadlines a ticket carries from the moment it is filed (docs/rules.md)."""

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from domain.calendar import WorkingCalendar, every_day_works
from domain.categories import EMERGENCY, Category, Urgency, category_by_code
from domain.durations import DeadlineRule, SameDay, WorkingDays, WorkingHours
from domain.policy import Policy


@dataclass(frozen=True)
class TicketDeadlines:
    accept_by: datetime | None  # an engineer takes the job
    on_site_by: datetime | None
    resolve_by: datetime | None
    plan_by: datetime | None = None  # never at filing: the plan is counted from the survey (plan_due)


def deadlines_for(
    category: Category, filed_at: datetime, policy: Policy, tz: tzinfo, calendar: WorkingCalendar | None = None
) -> TicketDeadlines:
    """Each deadline in calendar or working time as its rule says; a referral has none,
    since no contractor is sent."""
    if category.code not in policy.resolve_within:
        return TicketDeadlines(None, None, None)
    calendar = calendar or WorkingCalendar(every_day_works, tz, policy.office_opens, policy.office_closes)
    resolve_by = due(policy.resolve_within[category.code], filed_at, policy, calendar)
    return TicketDeadlines(
        accept_by=filed_at + (policy.accept_within_emergency if category.code == EMERGENCY else policy.accept_within),
        on_site_by=due(policy.on_site_within.get(category.code), filed_at, policy, calendar),
        resolve_by=resolve_by,
    )


# Whose deadlines a ticket gets when a manager gives it an urgency its category does not have:
# the category the policy table keeps for that urgency in general (domain/policy.py).
RULES_OF_URGENCY = {Urgency.EMERGENCY: EMERGENCY, Urgency.URGENT: "blocked_drain", Urgency.NORMAL: "other"}
# A manager's extension moves a deadline on by more than nothing and at most a year: longer
# is a slip of the keys (and 3000000d would run past the calendar's end).
LONGEST_EXTENSION = timedelta(days=365)


def is_extension(by: timedelta) -> bool:
    return timedelta(0) < by <= LONGEST_EXTENSION


def rules_category(category: Category, urgency: Urgency) -> Category:
    """The category whose rules a ticket follows: its own, unless a manager gave it an
    urgency its category does not have (then that urgency's general rules)."""
    if urgency is Urgency.REFERRAL or category.urgency is urgency:
        return category
    return category_by_code(RULES_OF_URGENCY[urgency])


def deadlines_under_urgency(
    category: Category,
    urgency: Urgency,
    filed_at: datetime,
    policy: Policy,
    tz: tzinfo,
    calendar: WorkingCalendar | None = None,
) -> TicketDeadlines:
    """The deadlines counted from the filing as if the ticket had come in with `urgency`: its
    own category's when the urgency is the category's own, else the urgency's general rules."""
    return deadlines_for(rules_category(category, urgency), filed_at, policy, tz, calendar)


def plan_due(
    surveyed_at: datetime, resolve_by: datetime | None, policy: Policy, complex_repair: bool = False
) -> datetime | None:
    """When the written plan is due after the survey (docs/rules.md): a complex repair, one the
    engineer cannot settle on the spot, within 24 hours; any other repair that needs a plan —
    one due more than 3 days after the survey — within 30 minutes. None: no plan is needed."""
    if complex_repair:
        return surveyed_at + policy.plan_within
    if resolve_by is None or resolve_by - surveyed_at <= policy.plan_needed_after:
        return None
    return surveyed_at + policy.plan_within_routine


def due(rule: DeadlineRule | None, start: datetime, policy: Policy, calendar: WorkingCalendar) -> datetime | None:
    if rule is None:
        return None
    if isinstance(rule, SameDay):
        return same_day_end(start, policy, calendar.tz, calendar)
    if isinstance(rule, WorkingDays):
        return calendar.working_days_due(start, rule.days)
    if isinstance(rule, WorkingHours):
        return calendar.add_working_hours(start, rule.hours)
    return start + rule


def same_day_end(start: datetime, policy: Policy, tz: tzinfo, calendar: WorkingCalendar | None = None) -> datetime:
    """The end of the local day for a report made on a working day before closing (night duty
    carries it to midnight). A report after closing or on a day off has no office time left
    that day: it is due when the office next opens, at the start of the next working day's
    office hours (docs/rules.md), never on the evening of a later day."""
    calendar = calendar or WorkingCalendar(every_day_works, tz, policy.office_opens, policy.office_closes)
    local = start.astimezone(tz)
    if calendar.is_working_day(local.date()) and local.time() < calendar.closes:
        midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        return midnight.astimezone(start.tzinfo)
    return calendar.next_opening(start)
