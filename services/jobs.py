"""An engineer takes a job from the group card, or the contractor says it can't.

These do not commit: the caller queues what people must be told in the same transaction."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from domain.job import ENGINEER_HOLDS
from domain.routing import fallback_for
from domain.tickets import EventKind, Ticket, TicketStatus
from services import job_flow
from services.context import Services
from services.log_context import about_ticket
from storage.unit_of_work import UnitOfWork


class CardOutcome(StrEnum):
    DONE = "done"
    NOT_FOUND = "not_found"  # a forged or stale button
    WRONG_CHAT = "wrong_chat"  # a forwarded copy, or a card the job has moved away from
    NOT_MEMBER = "not_member"  # not (or no longer) in the contractor's group
    ALREADY_TAKEN = "already_taken"


@dataclass(frozen=True)
class CardResult:
    outcome: CardOutcome
    ticket: Ticket | None = None
    previous_contractor: str | None = None


@dataclass(frozen=True)
class Engineer:
    user_id: int
    name: str
    username: str | None
    language: str | None = None  # his app's, kept for what the bot later tells him unasked


IsMember = Callable[[], Awaitable[bool]]


async def _check(services: Services, uow: UnitOfWork, ticket_id: int, chat_id: int, is_member: IsMember) -> CardResult:
    ticket = await uow.tickets.get(ticket_id)
    if ticket is None:
        return CardResult(CardOutcome.NOT_FOUND)
    about_ticket(ticket.number)
    if ticket.contractor_code is None or await services.contractor_chat(uow, ticket.contractor_code) != chat_id:
        return CardResult(CardOutcome.WRONG_CHAT, ticket)
    if not await is_member():
        return CardResult(CardOutcome.NOT_MEMBER, ticket)
    if ticket.status is not TicketStatus.ASSIGNED:
        return _not_waiting(ticket)
    return CardResult(CardOutcome.DONE, ticket)


def _not_waiting(ticket: Ticket | None) -> CardResult:
    """A job no longer waiting in the group: taken by someone, or moved away (reassigned,
    passed on, cancelled), which is also what a tap overtaken between check and move hears."""
    outcome = CardOutcome.ALREADY_TAKEN if ticket and ticket.engineer_name else CardOutcome.WRONG_CHAT
    return CardResult(outcome, ticket)


def _contractor(checked: CardResult) -> str:
    """The contractor of a job `_check` found in its contractor's group (so it has one)."""
    if checked.ticket is None or checked.ticket.contractor_code is None:
        raise ValueError("a checked job has a ticket and a contractor")
    return checked.ticket.contractor_code


async def take_job(
    services: Services, uow: UnitOfWork, ticket_id: int, chat_id: int, engineer: Engineer, is_member: IsMember
) -> CardResult:
    checked = await _check(services, uow, ticket_id, chat_id, is_member)
    if checked.outcome is not CardOutcome.DONE:
        return checked
    now = services.clock.now()
    code = _contractor(checked)
    if not await uow.tickets.take(ticket_id, code, engineer.user_id, engineer.name, now):
        return _not_waiting(await uow.tickets.get(ticket_id))
    await uow.chats.meet_engineer(engineer.user_id, engineer.name, engineer.username)
    if engineer.language:  # unless he chose one with /language
        await uow.chats.set_language(engineer.user_id, engineer.language, only_if_unset=True)
    await uow.tickets.record(ticket_id, EventKind.TAKEN, now, engineer.user_id, contractor=code, engineer=engineer.name)
    return CardResult(CardOutcome.DONE, await uow.tickets.get(ticket_id))


async def decline_job(
    services: Services, uow: UnitOfWork, ticket_id: int, chat_id: int, engineer: Engineer, is_member: IsMember
) -> CardResult:
    """Pass the job to the contractor's fallback (or to the managers when there is none):
    a report is never left with nobody responsible (docs/rules.md)."""
    checked = await _check(services, uow, ticket_id, chat_id, is_member)
    if checked.outcome is not CardOutcome.DONE:
        return checked
    code = _contractor(checked)
    successor = fallback_for(code, services.contractors)
    if not await uow.tickets.pass_on(ticket_id, code, successor):
        return _not_waiting(await uow.tickets.get(ticket_id))
    now = services.clock.now()
    await uow.tickets.change(ticket_id, accept_by=now + services.policy.accept_within)
    await uow.tickets.record(
        ticket_id, EventKind.DECLINED, now, engineer.user_id, contractor=code, engineer=engineer.name
    )
    kind = EventKind.ASSIGNED if successor else EventKind.UNASSIGNED
    await uow.tickets.record(ticket_id, kind, now, contractor=successor)
    return CardResult(CardOutcome.DONE, await uow.tickets.get(ticket_id), previous_contractor=code)


async def release_held_jobs(
    services: Services, uow: UnitOfWork, engineer_id: int, contractor: str
) -> list[tuple[Ticket, Ticket]]:
    """An engineer left (or was removed from) his contractor's group: each job he held
    goes back to that group, waiting for another engineer with a fresh take-by, as if he
    had handed it over. (before, after) for each job released."""
    released = []
    for ticket in await uow.tickets.open_tickets(ENGINEER_HOLDS, held_by=(engineer_id, contractor)):
        step = await job_flow.hand_over(services, uow, ticket.id, engineer_id, ticket.engineer_name or "")
        if step.ok and step.ticket is not None:
            released.append((ticket, step.ticket))
    return released
