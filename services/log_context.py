"""Which ticket the log lines written from here on are about.

It lives with the use cases, the lowest room that knows a ticket's number, so that
services, delivery, handlers and the clock can all say so; bot/logs.py puts it on every
line. Only the number is kept: never a name or a phone number.
"""

from contextvars import ContextVar

ticket: ContextVar[str | None] = ContextVar("ticket", default=None)


def about_ticket(number: str | None) -> None:
    """What is logged from here on in this update (or clock or sender step) is about that ticket."""
    ticket.set(number)
