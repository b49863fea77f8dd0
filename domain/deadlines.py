"""The deadlines a ticket carries from the moment it is filed (domain-rules §3)."""
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from domain.categories import Category
from domain.durations import DeadlineRule, SameDay
from domain.policy import Policy


@dataclass(frozen=True)
class TicketDeadlines:
    accept_by: datetime | None  # an engineer takes the job
    on_site_by: datetime | None
    resolve_by: datetime | None


def deadlines_for(category: Category, filed_at: datetime, policy: Policy, tz: tzinfo) -> TicketDeadlines:
    """Deadlines in calendar time; a referral has none, since no contractor is sent."""
    if category.code not in policy.resolve_within:
        return TicketDeadlines(None, None, None)
    return TicketDeadlines(
        accept_by=filed_at + policy.accept_within,
        on_site_by=_due(policy.on_site_within.get(category.code), filed_at, policy, tz),
        resolve_by=_due(policy.resolve_within[category.code], filed_at, policy, tz),
    )


def _due(rule: DeadlineRule | None, start: datetime, policy: Policy, tz: tzinfo) -> datetime | None:
    if rule is None:
        return None
    if isinstance(rule, SameDay):
        return same_day_end(start, policy, tz)
    return start + rule


def same_day_end(start: datetime, policy: Policy, tz: tzinfo) -> datetime:
    """The end of the local day; a report after office hours gets the end of the next day,
    because night duty handles emergencies only (004 高力 §1.1)."""
    local = start.astimezone(tz)
    day = local.date()
    if local.time() >= policy.office_closes:
        day += timedelta(days=1)
    next_midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    return next_midnight.astimezone(start.tzinfo)
