"""Who may do what from an alert or a ticket view. The managers (staff.managers) manage;
the people of the escalation ladder who are not managers are told and may read the job,
but change nothing: each button is shown only to someone allowed to press it, and each
handler asks this table again, since a press can be forged. Customer service (the front
desk) is not on the ladder: it files reports for owners and for public areas, and checks
finished public-area repairs on site (docs/rules.md, Staff intake)."""

from collections.abc import Iterable, Mapping
from enum import StrEnum


class Role(StrEnum):
    MANAGER = "manager"
    SUPERVISOR = "supervisor"
    PROJECT_MANAGER = "project_manager"
    GENERAL_MANAGER = "general_manager"
    PROPERTY_MANAGER = "property_manager"
    CUSTOMER_SERVICE_MANAGER = "customer_service_manager"
    CUSTOMER_SERVICE = "customer_service"  # the front desk


class Duty(StrEnum):
    """What a manager's button does (the ticket ones are ManagerTicket actions)."""

    OPEN = "open"  # read the job: its card, status and history
    REASSIGN = "reassign"
    URGENCY = "urgency"
    EXTEND = "extend"
    CANCEL = "cancel"
    CLOSE = "close"
    RESOLVED = "resolved"  # an unhappy owner's matter is dealt with
    COMPLAINT = "complaint"  # severity, taking a complaint in hand, proposing a solution
    FILE = "file"  # file a report for an owner (phone, walk-in) or for a public area
    VERIFY = "verify"  # check a finished public-area repair on site


LADDER = frozenset(Role) - {Role.MANAGER, Role.CUSTOMER_SERVICE}
ALLOWED: dict[Role, frozenset[Duty]] = (
    {Role.MANAGER: frozenset(Duty)}
    | {role: frozenset({Duty.OPEN}) for role in LADDER}
    | {Role.CUSTOMER_SERVICE: frozenset({Duty.OPEN, Duty.FILE, Duty.VERIFY})}
)


def roles_of(user_id: int, members: Mapping[Role, Iterable[int]]) -> frozenset[Role]:
    return frozenset(role for role, people in members.items() if user_id in people)


def may(roles: Iterable[Role], duty: Duty | str) -> bool:
    return any(duty in ALLOWED[role] for role in roles)


def allowed(roles: Iterable[Role], duties: Iterable[Duty | str]) -> list[str]:
    """The duties of `duties` these roles may do, in the order given."""
    return [str(duty) for duty in duties if may(roles, duty)]
