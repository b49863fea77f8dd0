"""The written repair plan (docs/rules.md, "Response and resolve times"): the engineer's first
arrival on site is the survey, from which a plan falls due when the repair needs one
(domain/deadlines.py plan_due); he may mark the repair complex, which gives the plan 24 hours;
he submits it once, with the expected finish. A finish later than the resolve-by is asked of
the owner through the extension flow (services/management.py), never moved here.

Nothing here commits: the caller queues the messages the step causes and commits once."""

from datetime import datetime

from domain.deadlines import plan_due
from domain.tickets import EventKind, Ticket
from domain.tickets import TicketStatus as S
from services import job_flow
from services.context import Services
from services.job_flow import Refusal, Step
from storage.tickets import Evidence
from storage.unit_of_work import UnitOfWork

# after the survey and before the job is done: where a plan can be written
PLANNING = frozenset({S.ON_SITE, S.WAITING_PARTS})


def can_plan(ticket: Ticket) -> bool:
    return ticket.status in PLANNING and ticket.surveyed_at is not None and ticket.plan_at is None


def past_resolve_by(ticket: Ticket) -> bool:
    """The plan's finish is later than the ticket may run: the owner must agree beforehand."""
    return bool(ticket.plan_finish_by and ticket.resolve_by and ticket.plan_finish_by > ticket.resolve_by)


async def arrived(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int) -> Step:
    """The engineer is on site; the first time, it is the survey."""
    step = await job_flow.arrived(services, uow, ticket_id, engineer_id)
    if not step.ok or step.ticket is None or step.ticket.surveyed_at is not None:
        return step
    return Step(await _surveyed(services, uow, step.ticket))


async def _surveyed(services: Services, uow: UnitOfWork, ticket: Ticket) -> Ticket | None:
    now = services.clock.now()
    plan_by = plan_due(now, ticket.resolve_by, services.policy, ticket.plan_complex)
    await uow.tickets.change(ticket.id, surveyed_at=now, plan_by=plan_by)
    await uow.tickets.record(ticket.id, EventKind.SURVEYED, now, ticket.engineer_user_id, plan_by=_iso(plan_by))
    return await uow.tickets.get(ticket.id)


async def mark_complex(services: Services, uow: UnitOfWork, ticket_id: int, engineer_id: int) -> Step:
    """Not to be settled on the spot: the plan is due 24 hours after the survey instead."""
    ticket, refused = await _held(uow, ticket_id, engineer_id)
    if refused is not None or ticket is None:
        return Step(ticket, refused)
    if not can_plan(ticket) or ticket.plan_complex or ticket.surveyed_at is None:
        return Step(ticket, Refusal.NOT_NOW)
    plan_by = plan_due(ticket.surveyed_at, ticket.resolve_by, services.policy, complex_repair=True)
    await uow.tickets.change(ticket.id, plan_complex=True, plan_by=plan_by)
    now = services.clock.now()
    await uow.tickets.record(ticket.id, EventKind.MARKED_COMPLEX, now, engineer_id, plan_by=_iso(plan_by))
    return Step(await uow.tickets.get(ticket.id))


async def submit(
    services: Services,
    uow: UnitOfWork,
    ticket_id: int,
    engineer_id: int,
    text: str,
    finish_by: datetime,
    photo: Evidence | None = None,
) -> Step:
    """The plan is kept on the ticket and in its history; a second one is refused."""
    ticket, refused = await _held(uow, ticket_id, engineer_id)
    if refused is not None or ticket is None:
        return Step(ticket, refused)
    if not can_plan(ticket):
        return Step(ticket, Refusal.NOT_NOW)
    now = services.clock.now()
    await uow.tickets.change(ticket.id, plan_text=text, plan_finish_by=finish_by, plan_at=now)
    await uow.tickets.record(
        ticket.id, EventKind.PLAN_SUBMITTED, now, engineer_id, plan=text, finish=finish_by.isoformat()
    )
    if photo is not None:
        await uow.tickets.add_photo(ticket.id, "plan", photo, now)
    return Step(await uow.tickets.get(ticket.id))


async def _held(uow: UnitOfWork, ticket_id: int, engineer_id: int) -> tuple[Ticket | None, Refusal | None]:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        return None, Refusal.NOT_FOUND
    if ticket.engineer_user_id != engineer_id:
        return ticket, Refusal.NOT_YOURS
    return ticket, None


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""
