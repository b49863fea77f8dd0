"""Callbacks after a repair and what their answers set in motion (docs/rules.md)."""

from datetime import datetime, time

from domain.callbacks import plan_callbacks
from domain.repeats import needs_corrective_action
from domain.satisfaction import is_satisfied, is_worst
from domain.tickets import EventKind, Ticket
from domain.tickets import TicketStatus as S
from services.context import Services
from services.current import current_ticket
from services.deadlines import reopened_deadlines
from storage.unit_of_work import UnitOfWork

CALLBACK_HOUR = time(10, 0)


async def schedule_after_confirmation(services: Services, uow: UnitOfWork, ticket: Ticket, now: datetime) -> None:
    """The owner confirmed the repair: plan every callback its category asks for."""
    await uow.tickets.change(ticket.id, confirmed_at=now)
    for planned in plan_callbacks(ticket.category, now, services.calendar, CALLBACK_HOUR, ticket.caused_by_rain):
        await uow.callbacks.add(ticket.id, "rain" if planned.after_rain else "repair", planned.due_at)


async def came_back(services: Services, uow: UnitOfWork, callback_id: int, owner_id: int) -> Ticket | None:
    """ "No, it came back": the ticket reopens as a repeat repair, and the repair manager must
    look personally before it goes back to a contractor (docs/rules.md)."""
    callback = await uow.callbacks.get(callback_id)
    ticket = await uow.tickets.get(callback.ticket_id) if callback else None
    if ticket is None or ticket.owner_user_id != owner_id:
        return None
    now = services.clock.now()
    if not await uow.callbacks.came_back(callback_id, now):
        return None
    await uow.tickets.record(ticket.id, EventKind.CAME_BACK, now, owner_id)
    fresh = reopened_deadlines(services, ticket, now)
    await uow.tickets.move(
        ticket.id,
        frozenset({S.CLOSED, S.CLOSED_BY_SILENCE}),
        S.AWAITING_VISIT,
        repeat_count=ticket.repeat_count + 1,
        engineer_user_id=None,
        engineer_name=None,
        paused_since=now,  # the contractor's clock waits for the manager's look (domain/escalation.py)
        on_site_by=fresh.on_site_by,
        resolve_by=fresh.resolve_by,
        plan_by=fresh.plan_by,
    )
    await uow.callbacks.cancel_pending(ticket.id)
    await record_if_recurring(uow, ticket.id, ticket.repeat_count + 2, now)
    return await uow.tickets.get(ticket.id)


async def record_if_recurring(uow: UnitOfWork, ticket_id: int, times: int, now: datetime) -> None:
    """The same repair three times or more is a problem needing a corrective action (docs/rules.md)."""
    if needs_corrective_action(times):
        await uow.tickets.record(ticket_id, EventKind.CORRECTIVE_ACTION, now, times=times)


async def _owners(uow: UnitOfWork, callback_id: int, owner_id: int) -> Ticket | None:
    callback = await uow.callbacks.get(callback_id)
    ticket = await uow.tickets.get(callback.ticket_id) if callback else None
    return ticket if ticket is not None and ticket.owner_user_id == owner_id else None


async def still_fixed(services: Services, uow: UnitOfWork, callback_id: int, owner_id: int) -> Ticket | None:
    ticket = await _owners(uow, callback_id, owner_id)
    if ticket is None or not await uow.callbacks.start_rating(callback_id, services.clock.now()):
        return None
    return ticket


async def rate(
    services: Services, uow: UnitOfWork, callback_id: int, owner_id: int, dimension: str, score: int
) -> bool:
    callback = await uow.callbacks.get(callback_id)
    if callback is None or callback.status != "rating" or await _owners(uow, callback_id, owner_id) is None:
        return False
    return await uow.callbacks.rate(callback_id, dimension, score)


async def finish_rating(
    services: Services, uow: UnitOfWork, callback_id: int, scale: int
) -> tuple[Ticket, bool, bool] | None:
    """The last rating is in: the callback is answered now, and an unhappy owner is on
    record at once; a comment may follow but never waits to be asked for (docs/rules.md).
    Answers (ticket, not satisfied, very unsatisfied), or None on a second try."""
    now = services.clock.now()
    callback = await uow.callbacks.get(callback_id)
    if callback is None or not await uow.callbacks.finish_rating(callback_id, None):
        return None
    scores = await uow.callbacks.scores(callback_id)
    unhappy = any(not is_satisfied(score) for score in scores.values())
    worst = any(is_worst(score, scale) for score in scores.values())
    ticket = await current_ticket(uow, callback.ticket_id)
    await uow.tickets.record(ticket.id, EventKind.CALLBACK_ANSWERED, now, ticket.owner_user_id)
    if unhappy:
        await uow.tickets.change(ticket.id, unhappy_since=now, unhappy_worst=worst)
        await uow.tickets.record(ticket.id, EventKind.UNHAPPY, now, ticket.owner_user_id)
    return await current_ticket(uow, ticket.id), unhappy, worst


async def add_comment(uow: UnitOfWork, callback_id: int, comment: str) -> Ticket | None:
    """The owner's words after the ratings: kept beside them, never in their place. Answers
    the ticket the first time, None on a repeat (the first comment stays)."""
    callback = await uow.callbacks.get(callback_id)
    if callback is None or not await uow.callbacks.add_comment(callback_id, comment):
        return None
    return await current_ticket(uow, callback.ticket_id)


async def manager_visited(services: Services, uow: UnitOfWork, ticket_id: int, manager_id: int) -> Ticket | None:
    """The repair manager has looked: the repeat repair goes back to its contractor, whose
    deadlines count from now, as the job could not start before."""
    now = services.clock.now()
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        return None
    fresh = reopened_deadlines(services, ticket, now)
    if not await uow.tickets.move(
        ticket_id,
        frozenset({S.AWAITING_VISIT}),
        S.ASSIGNED,
        accept_by=now + services.policy.accept_within,
        paused_since=None,
        on_site_by=fresh.on_site_by,
        resolve_by=fresh.resolve_by,
        plan_by=fresh.plan_by,
    ):
        return None
    await uow.tickets.record(ticket_id, EventKind.MANAGER_VISITED, now, manager_id)
    return await uow.tickets.get(ticket_id)


async def resolve_unhappiness(services: Services, uow: UnitOfWork, ticket_id: int, manager_id: int) -> bool:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or ticket.unhappy_since is None:
        return False
    await uow.tickets.change(ticket_id, unhappy_since=None, unhappy_worst=False)
    await uow.tickets.record(ticket_id, EventKind.UNHAPPY_RESOLVED, services.clock.now(), manager_id)
    return True
