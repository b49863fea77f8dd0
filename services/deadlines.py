"""What the clock changes on a ticket when a deadline passes (the messages are the
caller's): a job nobody took moves to the fallback contractor; a job the owner never
confirmed closes by silence; a manager's extension moves a deadline; a reopened job's
deadlines count afresh."""

from datetime import datetime, timedelta

from domain.categories import Urgency, category_by_code
from domain.deadlines import TicketDeadlines, deadlines_under_urgency
from domain.job import PAUSED, Action, allowed_from, paused_for
from domain.routing import fallback_for
from domain.tickets import EventKind, Ticket
from domain.tickets import TicketStatus as S
from services.context import Services
from services.current import current_ticket
from storage.unit_of_work import UnitOfWork


async def pass_to_fallback(services: Services, uow: UnitOfWork, ticket: Ticket, now: datetime) -> Ticket | None:
    """Nobody took the job in time: the fallback contractor gets it, with a fresh take-by
    (docs/rules.md); None when it was taken meanwhile (or was never assigned)."""
    if ticket.contractor_code is None:
        return None
    successor = fallback_for(ticket.contractor_code, services.contractors)
    if not await uow.tickets.pass_on(ticket.id, ticket.contractor_code, successor):
        return None
    await uow.tickets.change(ticket.id, accept_by=now + services.policy.accept_within)
    await uow.tickets.record(
        ticket.id, EventKind.DEADLINE_MISSED, now, deadline="accept", contractor=ticket.contractor_code
    )
    kind = EventKind.ASSIGNED if successor else EventKind.UNASSIGNED
    await uow.tickets.record(ticket.id, kind, now, contractor=successor)
    return await uow.tickets.get(ticket.id)


async def close_by_silence(services: Services, uow: UnitOfWork, ticket: Ticket, now: datetime) -> Ticket | None:
    if not await uow.tickets.move(ticket.id, allowed_from(Action.CLOSE_BY_SILENCE), S.CLOSED_BY_SILENCE):
        return None
    await uow.tickets.record(ticket.id, EventKind.CLOSED_BY_SILENCE, now)
    return await uow.tickets.get(ticket.id)


async def record_escalation(uow: UnitOfWork, ticket: Ticket, deadline: str, role: str, now: datetime) -> None:
    await uow.tickets.record(ticket.id, EventKind.ESCALATED, now, deadline=deadline, role=role)


def extended_deadline(ticket: Ticket, now: datetime, by: timedelta) -> tuple[str, datetime]:
    """Which deadline an extension moves (a missed arrival, else the resolve-by) and to when."""
    field = (
        "on_site_by"
        if ticket.status in (S.TAKEN, S.VISIT_PROPOSED, S.VISIT_AGREED, S.ON_THE_WAY)
        and ticket.on_site_by
        and ticket.on_site_by < now
        else "resolve_by"
    )
    current = getattr(ticket, field) or now
    return field, max(current, now) + by


async def extend(
    services: Services, uow: UnitOfWork, ticket: Ticket, by: timedelta, reason: str, manager_id: int
) -> Ticket:
    """A manager moves the deadline the job is working towards, with a reason."""
    now = services.clock.now()
    field, until = extended_deadline(ticket, now, by)
    await uow.tickets.change(ticket.id, **{field: until})
    await uow.tickets.record(
        ticket.id,
        EventKind.EXTENDED,
        now,
        manager_id,
        reason=reason,
        deadline=field,
        minutes=int(by.total_seconds() // 60),
    )
    return await current_ticket(uow, ticket.id)


def reopened_deadlines(services: Services, ticket: Ticket, now: datetime) -> TicketDeadlines:
    """A reopened job's deadlines, counted from `now` and not from its first filing (else it
    would be overdue, and at the top of the ladder, the moment it reopens), under the urgency
    the ticket has now: a manager may have changed it since filing."""
    category = category_by_code(ticket.category)
    urgency = Urgency(ticket.urgency)
    return deadlines_under_urgency(category, urgency, now, services.policy, services.tz, services.calendar)


def resumed(ticket: Ticket, now: datetime) -> dict[str, datetime | None]:
    """The changes for a job leaving its pause for the owner: its deadlines move on by as
    long as it waited (none when it was not paused). Its history is told by note_resumed,
    once the move is made."""
    if ticket.status not in PAUSED:
        return {}
    pause = paused_for(ticket.paused_since, now)
    moved = {
        name: getattr(ticket, name) + pause
        for name in ("on_site_by", "resolve_by", "plan_by")
        if getattr(ticket, name) is not None
    }
    return moved | {"paused_since": None}


async def note_resumed(uow: UnitOfWork, ticket: Ticket, now: datetime, actor_id: int) -> None:
    """`ticket` (as it was) has left its pause: the history says for how long it waited."""
    if ticket.status in PAUSED:
        minutes = int(paused_for(ticket.paused_since, now).total_seconds() // 60)
        await uow.tickets.record(ticket.id, EventKind.RESUMED, now, actor_id, minutes=minutes)
