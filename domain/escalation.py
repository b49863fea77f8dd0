"""What the clock owes each ticket now: reminders before deadlines, and alerts that climb
the escalation ladder after them (docs/rules.md).

Every notice has a key naming the deadline it is about (with the deadline's time, so a
moved deadline gets fresh notices); the sweep sends a key once. After an outage only the
highest rung reached is sent, the lower ones are marked as passed (`silent`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.categories import EMERGENCY, Urgency, category_by_code
from domain.deadlines import rules_category
from domain.job import ENGINEER_HOLDS, PAUSED
from domain.policy import EscalationStep, Policy
from domain.public_areas import awaits_verification, verify_by
from domain.tickets import Ticket
from domain.tickets import TicketStatus as S


class NoticeKind(StrEnum):
    REMIND_ACCEPT = "remind_accept"  # the group: nobody has taken the job yet
    MISSED_ACCEPT = "missed_accept"  # the job goes to the fallback contractor
    REMIND_ON_SITE = "remind_on_site"
    MISSED_ON_SITE = "missed_on_site"
    REMIND_RESOLVE = "remind_resolve"
    MISSED_RESOLVE = "missed_resolve"
    REMIND_VISIT = "remind_visit"  # the engineer and the owner, before the agreed visit
    CONFIRM_AGAIN = "confirm_again"  # the owner has not said whether it is fixed
    CLOSE_BY_SILENCE = "close_by_silence"
    UNHAPPY = "unhappy"  # a callback answered "not satisfied": the same ladder climbs
    MISSED_REPEAT_VISIT = "missed_repeat_visit"  # the repair manager has not looked at a repeat repair
    REMIND_PLAN = "remind_plan"  # the engineer: the written plan is due soon
    MISSED_PLAN = "missed_plan"  # no plan by its deadline: the ladder climbs
    VERIFY_PUBLIC = "verify_public"  # a public-area repair is done: customer service checks it on site
    MISSED_VERIFICATION = "missed_verification"  # ... and has not within 3 days: the managers


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    key: str
    step: EscalationStep | None = None
    rung: int = 0
    silent: tuple[str, ...] = ()  # lower rungs passed while nobody was watching

    @property
    def ladder_step(self) -> EscalationStep:
        """The rung a missed deadline or an unhappy owner has climbed to: who is alerted."""
        if self.step is None:
            raise ValueError(f"a {self.kind} notice is not on the escalation ladder")
        return self.step


NOT_ON_SITE_YET = frozenset({S.TAKEN, S.VISIT_PROPOSED, S.VISIT_AGREED, S.ON_THE_WAY})
NOT_RESOLVED = frozenset({S.UNASSIGNED, S.ASSIGNED}) | (ENGINEER_HOLDS - PAUSED)


def ladder_of(ticket: Ticket, policy: Policy) -> tuple[EscalationStep, ...]:
    """An emergency's ladder moves in minutes, also for a ticket a manager made an emergency."""
    rules = rules_category(category_by_code(ticket.category), Urgency(ticket.urgency))
    return policy.emergency_escalation if rules.code == EMERGENCY else policy.escalation


def due_notices(ticket: Ticket, now: datetime, policy: Policy) -> list[Notice]:
    ladder = ladder_of(ticket, policy)
    notices: list[Notice] = []
    if ticket.status is S.ASSIGNED and ticket.accept_by:
        notices += _reminder_or_miss(
            ticket.accept_by,
            now,
            policy.remind_before_accept,
            f"accept:{ticket.contractor_code}:{ticket.accept_by.isoformat()}",
            NoticeKind.REMIND_ACCEPT,
            NoticeKind.MISSED_ACCEPT,
        )
    on_site = effective_on_site_by(ticket)
    if ticket.status in NOT_ON_SITE_YET and on_site:
        notices += _deadline(
            on_site,
            now,
            ladder,
            policy.remind_before_on_site,
            "on_site",
            NoticeKind.REMIND_ON_SITE,
            NoticeKind.MISSED_ON_SITE,
        )
    if ticket.status in NOT_RESOLVED and ticket.resolve_by:
        notices += _deadline(
            ticket.resolve_by,
            now,
            ladder,
            policy.remind_before_resolve,
            "resolve",
            NoticeKind.REMIND_RESOLVE,
            NoticeKind.MISSED_RESOLVE,
        )
    if ticket.status in NOT_RESOLVED and ticket.plan_by and ticket.plan_at is None:
        notices += _deadline(
            ticket.plan_by,
            now,
            ladder,
            policy.remind_before_plan,
            "plan",
            NoticeKind.REMIND_PLAN,
            NoticeKind.MISSED_PLAN,
        )
    if (
        ticket.status is S.VISIT_AGREED
        and ticket.visit_at
        and ticket.visit_at - policy.remind_before_visit <= now < ticket.visit_at
    ):
        notices.append(Notice(NoticeKind.REMIND_VISIT, f"visit:{ticket.visit_at.isoformat()}"))
    if ticket.status is S.DONE and ticket.done_at:
        notices += _confirmation(ticket.done_at, now, policy)
    if ticket.status is S.AWAITING_VISIT:
        notices += _deadline(
            repeat_visit_by(ticket, policy),
            now,
            ladder,
            timedelta(0),  # no reminder first: the alert that opened the wait asked already
            "repeat_visit",
            NoticeKind.MISSED_REPEAT_VISIT,
            NoticeKind.MISSED_REPEAT_VISIT,
        )
    if ticket.unhappy_since:
        notices += _unhappy(ticket.unhappy_since, ticket.unhappy_worst, now, policy)
    return notices + _verification(ticket, now)


def _verification(ticket: Ticket, now: datetime) -> list[Notice]:
    """A finished public-area repair: the Verify task at once, the managers after 3 days
    (domain/public_areas.py); keyed by the completion, so a redo is checked afresh."""
    if not awaits_verification(ticket) or ticket.done_at is None:
        return []
    key = ticket.done_at.isoformat()
    notices = [Notice(NoticeKind.VERIFY_PUBLIC, f"verify:{key}")]  # after an outage, the task still goes
    if now >= verify_by(ticket.done_at):
        notices.append(Notice(NoticeKind.MISSED_VERIFICATION, f"unverified:{key}"))
    return notices


def _unhappy(since: datetime, worst: bool, now: datetime, policy: Policy) -> list[Notice]:
    """Each rung of the dissatisfaction ladder once; a very unsatisfied owner also gets the
    customer-service manager at once."""
    key = since.isoformat()
    steps = list(policy.unhappy_escalation)
    if worst:
        steps.insert(1, EscalationStep("customer_service_manager", steps[0].after))
    return [
        Notice(NoticeKind.UNHAPPY, f"unhappy:{key}:{step.role}", step, rung)
        for rung, step in enumerate(steps)
        if now >= since + step.after
    ]


def repeat_visit_by(ticket: Ticket, policy: Policy) -> datetime:
    """When the repair manager must have looked at a repeat repair: counted from when it
    began to wait (paused_since, set when a closed ticket came back; else its filing)."""
    return (ticket.paused_since or ticket.filed_at) + policy.repeat_visit_within


def effective_on_site_by(ticket: Ticket) -> datetime | None:
    """On site within the deadline, or at the agreed time if the owner agreed a later one."""
    if ticket.on_site_by and ticket.visit_at and ticket.status in NOT_ON_SITE_YET:
        return max(ticket.on_site_by, ticket.visit_at)
    return ticket.on_site_by


def _reminder_or_miss(
    deadline: datetime, now: datetime, before: timedelta, key: str, remind: NoticeKind, missed: NoticeKind
) -> list[Notice]:
    if now >= deadline:
        return [Notice(missed, f"missed:{key}")]
    if now >= deadline - before:
        return [Notice(remind, f"remind:{key}")]
    return []


def _deadline(
    deadline: datetime,
    now: datetime,
    ladder: tuple[EscalationStep, ...],
    before: timedelta,
    name: str,
    remind: NoticeKind,
    missed: NoticeKind,
) -> list[Notice]:
    key = f"{name}:{deadline.isoformat()}"
    if now < deadline:
        return [Notice(remind, f"remind:{key}")] if now >= deadline - before else []
    reached = [i for i, step in enumerate(ladder) if now >= deadline + step.after]
    if not reached:
        return []
    top = reached[-1]
    return [
        Notice(
            missed,
            f"missed:{key}:{top}",
            ladder[top],
            top,
            silent=tuple(f"missed:{key}:{i}" for i in reached[:-1]),
        )
    ]


def _confirmation(done_at: datetime, now: datetime, policy: Policy) -> list[Notice]:
    key = done_at.isoformat()
    if now >= done_at + policy.confirm_silence_after:
        return [Notice(NoticeKind.CLOSE_BY_SILENCE, f"silence:{key}", silent=(f"confirm:{key}",))]
    if now >= done_at + policy.confirm_again_after:
        return [Notice(NoticeKind.CONFIRM_AGAIN, f"confirm:{key}")]
    return []


def next_due_at(ticket: Ticket, noted: frozenset[str], now: datetime, policy: Policy) -> datetime | None:
    """The earliest moment from `now` on at which `due_notices` owes the ticket a notice not
    yet `noted` (now itself when one is owed already); None when it will never owe one as it
    stands. The clock reads only tickets whose moment has come, so this must never be later
    than the truth: what `due_notices` answers changes only at the moments listed by
    `_turning_points`, and each of them from now on is tried in turn."""
    later = sorted({moment for moment in _turning_points(ticket, policy) if moment > now})
    for moment in (now, *later):
        if any(notice.key not in noted for notice in due_notices(ticket, moment, policy)):
            return moment
    return None


def _turning_points(ticket: Ticket, policy: Policy) -> list[datetime]:
    """Every moment at which one of `due_notices`'s comparisons with the time can flip."""
    ladder = ladder_of(ticket, policy)
    moments: list[datetime] = []
    if ticket.accept_by:
        moments += [ticket.accept_by - policy.remind_before_accept, ticket.accept_by]
    on_site = effective_on_site_by(ticket)
    if on_site:
        moments += _ladder_points(on_site, policy.remind_before_on_site, ladder)
    if ticket.resolve_by:
        moments += _ladder_points(ticket.resolve_by, policy.remind_before_resolve, ladder)
    if ticket.plan_by:
        moments += _ladder_points(ticket.plan_by, policy.remind_before_plan, ladder)
    if ticket.visit_at:
        moments += [ticket.visit_at - policy.remind_before_visit, ticket.visit_at]
    if ticket.done_at:
        moments += [ticket.done_at + policy.confirm_again_after, ticket.done_at + policy.confirm_silence_after]
        moments += [verify_by(ticket.done_at)]  # a public-area repair not verified in time
    if ticket.status is S.AWAITING_VISIT:
        moments += _ladder_points(repeat_visit_by(ticket, policy), timedelta(0), ladder)
    if ticket.unhappy_since:
        moments += [ticket.unhappy_since + step.after for step in policy.unhappy_escalation]
    return moments


def _ladder_points(deadline: datetime, before: timedelta, ladder: tuple[EscalationStep, ...]) -> list[datetime]:
    return [deadline - before, deadline, *(deadline + step.after for step in ladder)]
