"""Reports about a block's public areas (lobby, lift, corridor, roof, car park, garden):
no unit, a block and where in it. Out of warranty the special maintenance fund pays
(domain/warranty.py); a finished repair is checked on site by customer service within 3
days, and one not checked by then goes to the managers (docs/rules.md, Staff intake)."""

from datetime import datetime, timedelta

from domain.tickets import Ticket, TicketStatus

VERIFY_WITHIN = timedelta(days=3)  # fixed (docs/rules.md, Staff intake and public areas)
MAX_LOCATION = 200  # "the lift lobby on the 3rd floor", not an essay


def is_public_area(ticket: Ticket) -> bool:
    return ticket.place.unit_id is None


def awaits_verification(ticket: Ticket) -> bool:
    """A finished public-area repair nobody has checked on site yet (a cancelled ticket has
    nothing to check; a reopened one waits for its next completion, done_at is cleared)."""
    return (
        is_public_area(ticket)
        and ticket.done_at is not None
        and ticket.verified_at is None
        and ticket.status is not TicketStatus.CANCELLED
    )


def verify_by(done_at: datetime) -> datetime:
    return done_at + VERIFY_WITHIN


def location_problem(text: str) -> str | None:
    """Why a typed public-area location cannot be used, or None: a message id's last part."""
    words = text.strip()
    if not words:
        return "empty"
    if len(words) > MAX_LOCATION:
        return "too_long"
    return None
