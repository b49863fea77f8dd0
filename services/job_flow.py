"""The job after it is taken: visits, progress, waiting, completion and the owner's word.

Each step checks who acts (the engineer holding the job, or its owner), asks the state
machine (domain/job.py) whether the step is possible now, and moves the ticket only if it
is still where the step starts. Nothing here commits: the caller queues the messages the
step causes and commits once.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.job import PAUSED, Action, TransitionRefused, allowed_from, next_state
from domain.tickets import EventKind, Ticket
from services.context import Services
from services.deadlines import note_resumed, reopened_deadlines, resumed
from services.quotes import needs_quote
from storage.unit_of_work import UnitOfWork


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    NOT_YOURS = "not_yours"
    NOT_NOW = "not_now"  # the job is not in a state where this step makes sense (or a double tap)
    QUOTE_NEEDED = "quote_needed"  # paid work: the owner has not accepted a price yet
    RECORD_INCOMPLETE = "record_incomplete"  # the work record lacks what docs/rules.md asks


@dataclass(frozen=True)
class Step:
    ticket: Ticket | None
    refused: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None


async def _step(
    services: Services,
    uow: UnitOfWork,
    ticket_id: int,
    actor_id: int,
    action: Action,
    event: EventKind | None,
    by_owner: bool = False,
    detail: dict[str, object] | None = None,
    **values: object,
) -> Step:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        return Step(None, Refusal.NOT_FOUND)
    holder = ticket.owner_user_id if by_owner else ticket.engineer_user_id
    if holder != actor_id:
        return Step(ticket, Refusal.NOT_YOURS)
    try:
        target = next_state(ticket.status, action)
    except TransitionRefused:
        return Step(ticket, Refusal.NOT_NOW)
    now = services.clock.now()
    leaves_pause = ticket.status in PAUSED and target not in PAUSED
    if leaves_pause:
        values |= resumed(ticket, now)
    engineer = None if by_owner else actor_id
    if not await uow.tickets.move(ticket_id, allowed_from(action), target, held_by=engineer, **values):
        return Step(ticket, Refusal.NOT_NOW)
    if leaves_pause:
        await note_resumed(uow, ticket, now, actor_id)
    if event is not None:
        await uow.tickets.record(ticket_id, event, now, actor_id, **(detail or {}))
    return Step(await uow.tickets.get(ticket_id))


async def propose_visit(
    services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int, slots: list[datetime]
) -> Step:
    return await _step(
        services,
        uow,
        ticket_id,
        engineer_id,
        Action.PROPOSE_VISIT,
        EventKind.VISIT_PROPOSED,
        detail={"slots": [s.isoformat() for s in slots]},
        visit_slots=slots,
        visit_at=None,
    )


async def agree_visit(services: Services, uow: UnitOfWork, ticket_id: int, owner_id: int, slot: datetime) -> Step:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is not None and slot not in ticket.visit_slots:
        return Step(ticket, Refusal.NOT_NOW)
    return await _step(
        services,
        uow,
        ticket_id,
        owner_id,
        Action.AGREE_VISIT,
        EventKind.VISIT_AGREED,
        by_owner=True,
        detail={"visit": slot.isoformat()},
        visit_at=slot,
    )


async def ask_other_time(services: Services, uow: UnitOfWork, ticket_id: int, owner_id: int) -> Step:
    return await _step(
        services,
        uow,
        ticket_id,
        owner_id,
        Action.ASK_OTHER_TIME,
        EventKind.OTHER_TIME_ASKED,
        by_owner=True,
        visit_slots=[],
    )


async def on_my_way(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int) -> Step:
    return await _step(services, uow, ticket_id, engineer_id, Action.ON_MY_WAY, EventKind.ON_THE_WAY)


async def arrived(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int) -> Step:
    return await _step(services, uow, ticket_id, engineer_id, Action.ARRIVED, EventKind.ARRIVED)


async def wait_for_parts(
    services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int, reason: str, new_date: datetime
) -> Step:
    """The resolve-by does not move yet: only the owner's or a manager's consent moves it."""
    return await _step(
        services,
        uow,
        ticket_id,
        engineer_id,
        Action.WAIT_PARTS,
        EventKind.WAITING_PARTS,
        detail={"reason": reason, "until": new_date.isoformat()},
        proposed_resolve_by=new_date,
    )


async def agree_new_date(services: Services, uow: UnitOfWork, ticket_id: int, actor_id: int, by: str) -> Step:
    """The owner (by="owner") or a manager (by="manager") accepts the date the engineer asked."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or ticket.proposed_resolve_by is None:
        return Step(ticket, Refusal.NOT_NOW)
    if by == "owner" and ticket.owner_user_id != actor_id:
        return Step(ticket, Refusal.NOT_YOURS)
    now = services.clock.now()
    await uow.tickets.change(ticket_id, resolve_by=ticket.proposed_resolve_by, proposed_resolve_by=None)
    await uow.tickets.record(
        ticket_id, EventKind.NEW_DATE_AGREED, now, actor_id, by=by, until=ticket.proposed_resolve_by.isoformat()
    )
    return Step(await uow.tickets.get(ticket_id))


async def refuse_new_date(services: Services, uow: UnitOfWork, ticket_id: int, owner_id: int) -> Step:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or ticket.proposed_resolve_by is None:
        return Step(ticket, Refusal.NOT_NOW)
    if ticket.owner_user_id != owner_id:
        return Step(ticket, Refusal.NOT_YOURS)
    await uow.tickets.record(ticket_id, EventKind.NEW_DATE_REFUSED, services.clock.now(), owner_id)
    return Step(ticket)


async def wait_for_owner(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int, reason: str) -> Step:
    return await _step(
        services,
        uow,
        ticket_id,
        engineer_id,
        Action.WAIT_OWNER,
        EventKind.PAUSED,
        detail={"reason": reason},
        paused_since=services.clock.now(),
    )


async def resume(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int) -> Step:
    return await _step(services, uow, ticket_id, engineer_id, Action.RESUME, None)  # the clock's restart says it


async def hand_over(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int, name: str) -> Step:
    return await _step(
        services,
        uow,
        ticket_id,
        engineer_id,
        Action.HAND_OVER,
        EventKind.HANDED_OVER,
        detail={"engineer": name},
        engineer_user_id=None,
        engineer_name=None,
        taken_at=None,
        visit_at=None,
        visit_slots=[],
        accept_by=services.clock.now() + services.policy.accept_within,
    )


async def finish(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int, note: str) -> Step:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is not None and needs_quote(ticket):
        return Step(ticket, Refusal.QUOTE_NEEDED)
    now = services.clock.now()
    return await _step(
        services,
        uow,
        ticket_id,
        engineer_id,
        Action.FINISH,
        EventKind.FINISHED,
        detail={"note": note},
        done_at=now,
        done_note=note,
    )


async def confirm_fixed(services: Services, uow: UnitOfWork, ticket_id: int, owner_id: int) -> Step:
    return await _step(services, uow, ticket_id, owner_id, Action.CONFIRM_FIXED, EventKind.CONFIRMED, by_owner=True)


async def report_not_fixed(services: Services, uow: UnitOfWork, ticket_id: int, owner_id: int, words: str) -> Step:
    """Back to the same engineer with the owner's words; counted on the ticket."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        return Step(None, Refusal.NOT_FOUND)
    fresh = reopened_deadlines(services, ticket, services.clock.now())  # the redo is a job of its own
    return await _step(
        services,
        uow,
        ticket_id,
        owner_id,
        Action.REPORT_NOT_FIXED,
        EventKind.NOT_FIXED,
        by_owner=True,
        detail={"words": words},
        reopen_count=ticket.reopen_count + 1,
        done_at=None,
        visit_at=None,
        visit_slots=[],
        on_site_by=fresh.on_site_by,
        resolve_by=fresh.resolve_by,
        plan_by=fresh.plan_by,
    )
