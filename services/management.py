"""What managers do to a ticket: reassign, change urgency, cancel, close. Each change is
recorded in the ticket's history with who and when; nothing here commits."""

from datetime import datetime, timedelta
from typing import Any

from domain.categories import Urgency, category_by_code
from domain.deadlines import TicketDeadlines, deadlines_under_urgency, plan_due
from domain.job import Action, allowed_from
from domain.routing import route
from domain.tickets import EventKind, Ticket
from domain.tickets import TicketStatus as S
from domain.trades import TRADE_CODES
from services import deadlines
from services.context import Services
from storage.unit_of_work import UnitOfWork


async def reassign(
    services: Services, uow: UnitOfWork, ticket_id: int, contractor: str, manager_id: int
) -> Ticket | None:
    """To another contractor's group, taken or not; None when the job is already done or closed."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        return None
    now = services.clock.now()
    moved = await uow.tickets.move(
        ticket_id,
        allowed_from(Action.REASSIGN),
        S.ASSIGNED,
        contractor_code=contractor,
        **_back_to_a_group(services, ticket, now),
    )
    if not moved:
        return None
    await deadlines.note_resumed(uow, ticket, now, manager_id)
    await uow.tickets.record(
        ticket_id, EventKind.REASSIGNED, now, manager_id, contractor=contractor, engineer=ticket.engineer_name or ""
    )
    return await uow.tickets.get(ticket_id)


def _back_to_a_group(services: Services, ticket: Ticket, now: datetime) -> dict[str, Any]:
    """A job given to a group anew: nobody holds it, it is to be taken within the usual
    time, and a pause for the owner ends (its deadlines move on by the pause)."""
    unheld: dict[str, Any] = {
        "engineer_user_id": None,
        "engineer_name": None,
        "taken_at": None,
        "visit_at": None,
        "visit_slots": [],
    }
    return {
        **unheld,
        "paused_since": None,
        "accept_by": now + services.policy.accept_within,
        **deadlines.resumed(ticket, now),
    }


async def change_urgency(
    services: Services, uow: UnitOfWork, ticket_id: int, urgency: Urgency, manager_id: int
) -> Ticket | None:
    """The new urgency brings its own deadlines, counted from the filing (domain/deadlines.py)."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or ticket.status not in allowed_from(Action.CLOSE) or urgency is Urgency.REFERRAL:
        return None
    due = _by_the_rules(services, ticket, urgency)
    await uow.tickets.change(
        ticket_id,
        urgency=urgency,
        on_site_by=due.on_site_by,
        resolve_by=due.resolve_by,
        # the plan counts from the survey: the new resolve-by may make one needed or not
        plan_by=plan_due(ticket.surveyed_at, due.resolve_by, services.policy, ticket.plan_complex)
        if ticket.surveyed_at
        else None,
    )
    await uow.tickets.record(
        ticket_id,
        EventKind.URGENCY_CHANGED,
        services.clock.now(),
        manager_id,
        before=ticket.urgency,
        after=urgency,
        on_site_by=_iso(due.on_site_by),
        resolve_by=_iso(due.resolve_by),
    )
    return await uow.tickets.get(ticket_id)


def past_the_rules(services: Services, ticket: Ticket, by: timedelta) -> datetime | None:
    """The resolve-by an extension would give when it is later than the rules allow the
    ticket's urgency, counted from the filing: such a date needs the owner's agreement
    beforehand. None when the extension stays within the rules or moves the arrival."""
    field, until = deadlines.extended_deadline(ticket, services.clock.now(), by)
    if field != "resolve_by":
        return None
    allowed = _by_the_rules(services, ticket, Urgency(ticket.urgency)).resolve_by
    return until if allowed is not None and until > allowed else None


async def ask_owner_to_extend(uow: UnitOfWork, ticket: Ticket, until: datetime) -> Ticket | None:
    """The later date waits for the owner's Agree, as an engineer's parts-wait date does
    (services/job_flow.py agree_new_date moves it)."""
    await uow.tickets.change(ticket.id, proposed_resolve_by=until)
    return await uow.tickets.get(ticket.id)


async def extend_agreed_by_phone(
    services: Services, uow: UnitOfWork, ticket: Ticket, by: timedelta, reason: str, manager_id: int
) -> Ticket:
    """The manager vouches the owner agreed on the phone: the history keeps who and when."""
    extended = await deadlines.extend(services, uow, ticket, by, reason, manager_id)
    await uow.tickets.record(
        ticket.id,
        EventKind.NEW_DATE_AGREED,
        services.clock.now(),
        manager_id,
        by="phone",
        until=_iso(extended.resolve_by),
    )
    return extended


def _by_the_rules(services: Services, ticket: Ticket, urgency: Urgency) -> TicketDeadlines:
    category = category_by_code(ticket.category)
    return deadlines_under_urgency(category, urgency, ticket.filed_at, services.policy, services.tz, services.calendar)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


async def cancel(services: Services, uow: UnitOfWork, ticket_id: int, reason: str, manager_id: int) -> Ticket | None:
    if not await uow.tickets.move(ticket_id, allowed_from(Action.CANCEL), S.CANCELLED):
        return None
    await uow.tickets.record(ticket_id, EventKind.CANCELLED, services.clock.now(), manager_id, reason=reason)
    return await uow.tickets.get(ticket_id)


async def close(services: Services, uow: UnitOfWork, ticket_id: int, manager_id: int) -> Ticket | None:
    if not await uow.tickets.move(ticket_id, allowed_from(Action.CLOSE), S.CLOSED):
        return None
    await uow.tickets.record(ticket_id, EventKind.CLOSED, services.clock.now(), manager_id)
    return await uow.tickets.get(ticket_id)


async def change_trade(
    services: Services, uow: UnitOfWork, ticket_id: int, trade: str, actor_id: int, managers: list[int]
) -> Ticket | None:
    """The report belongs to another trade (contract: by the engineer holding it or a manager):
    it goes to the contractor responsible for that trade in its block."""
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None or trade not in TRADE_CODES or trade == ticket.trade:
        return None
    if actor_id not in managers and actor_id != ticket.engineer_user_id:
        return None
    contractor = route(trade, ticket.place.block, services.contractors)
    now = services.clock.now()
    moved = await uow.tickets.move(
        ticket_id,
        allowed_from(Action.REASSIGN),
        S.ASSIGNED if contractor else S.UNASSIGNED,
        trade=trade,
        contractor_code=contractor,
        **_back_to_a_group(services, ticket, now),
    )
    if not moved:
        return None
    await deadlines.note_resumed(uow, ticket, now, actor_id)
    await uow.tickets.record(
        ticket_id, EventKind.TRADE_CHANGED, now, actor_id, before=ticket.trade, after=trade, contractor=contractor or ""
    )
    return await uow.tickets.get(ticket_id)
