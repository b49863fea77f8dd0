"""An in-memory unit of work: the repositories a use case needs, kept in dicts, so a
service's decisions can be tested with plain values and no database.

It records what was done (`events`, `committed`) the way the real one would leave it in
the tables; only the methods the service tests use are here, and each behaves like its
SQL twin (for example `take` succeeds only for an untaken job of that contractor).
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from domain.tickets import EventKind, Ticket, TicketStatus
from domain.units import Unit


class MemoryTickets:
    def __init__(self, tickets: list[Ticket]):
        self.rows = {ticket.id: ticket for ticket in tickets}
        self.events: list[tuple[int, EventKind, dict[str, Any]]] = []

    async def get(self, ticket_id: int) -> Ticket | None:
        return self.rows.get(ticket_id)

    async def take(self, ticket_id: int, contractor_code: str, user_id: int, name: str, now: datetime) -> bool:
        ticket = self.rows.get(ticket_id)
        if ticket is None or ticket.status is not TicketStatus.ASSIGNED or ticket.contractor_code != contractor_code:
            return False
        self.rows[ticket_id] = replace(
            ticket, status=TicketStatus.TAKEN, engineer_user_id=user_id, engineer_name=name, taken_at=now
        )
        return True

    async def pass_on(self, ticket_id: int, from_code: str, to_code: str | None) -> bool:
        ticket = self.rows.get(ticket_id)
        if ticket is None or ticket.status is not TicketStatus.ASSIGNED or ticket.contractor_code != from_code:
            return False
        status = TicketStatus.ASSIGNED if to_code else TicketStatus.UNASSIGNED
        self.rows[ticket_id] = replace(ticket, status=status, contractor_code=to_code)
        return True

    async def change(self, ticket_id: int, **values: Any) -> None:
        self.rows[ticket_id] = replace(self.rows[ticket_id], **values)

    async def record(
        self, ticket_id: int, kind: EventKind, at: datetime, actor_user_id: int | None = None, **detail: Any
    ) -> None:
        self.events.append((ticket_id, kind, detail))


class MemoryChats:
    def __init__(self, groups: dict[str, int] | None = None):
        self.groups = dict(groups or {})  # contractor code → bound group
        self.engineers: dict[int, str] = {}
        self.languages: dict[int, str] = {}

    async def bound_group(self, contractor_code: str) -> int | None:
        return self.groups.get(contractor_code)

    async def meet_engineer(self, user_id: int, name: str, username: str | None) -> None:
        self.engineers[user_id] = name

    async def set_language(self, user_id: int, language: str, only_if_unset: bool = False) -> None:
        if not (only_if_unset and user_id in self.languages):
            self.languages[user_id] = language


class MemoryOwners:
    def __init__(self, roster: list[tuple[Unit, str, str, str | None]]):
        self.roster = roster  # (unit, owner's name, E.164 phone, language)
        self.bound: dict[int, list[Unit]] = {}

    async def units_for_phone(self, phone: str) -> list[tuple[Unit, str, str | None]]:
        return [(unit, name, language) for unit, name, number, language in self.roster if number == phone]

    async def bind(
        self, user_id: int, name: str, phone: str | None, units: list[Unit], how: str, now: datetime
    ) -> None:
        self.bound.setdefault(user_id, []).extend(u for u in units if u not in self.bound.get(user_id, []))


class MemoryUnitOfWork:
    def __init__(
        self,
        tickets: list[Ticket] | None = None,
        groups: dict[str, int] | None = None,
        roster: list[tuple[Unit, str, str, str | None]] | None = None,
    ):
        self.tickets = MemoryTickets(tickets or [])
        self.chats = MemoryChats(groups)
        self.owners = MemoryOwners(roster or [])
        self.committed = False

    async def __aenter__(self) -> "MemoryUnitOfWork":
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.committed = exc_type is None

    async def commit(self) -> None:
        self.committed = True
