"""An owner proves who they are by sharing their own contact (README.md, "The owner roster")."""

from dataclasses import dataclass
from enum import StrEnum

from domain.phones import normalize_phone
from domain.units import Unit
from services.context import Services
from storage.tables import BindingRequestRow
from storage.unit_of_work import UnitOfWork


class BindOutcome(StrEnum):
    BOUND = "bound"
    NOT_OWN_CONTACT = "not_own_contact"
    UNKNOWN_NUMBER = "unknown_number"


@dataclass(frozen=True)
class BindResult:
    outcome: BindOutcome
    units: list[Unit]
    language: str | None = None  # the roster's language for this owner, if it names one
    phone: str | None = None


async def bind_by_contact(
    services: Services, uow: UnitOfWork, user_id: int, name: str, contact_user_id: int | None, phone_raw: str
) -> BindResult:
    if contact_user_id != user_id:
        return BindResult(BindOutcome.NOT_OWN_CONTACT, [])
    phone = normalize_phone(phone_raw, services.phone_region, international=True)
    matches = await uow.owners.units_for_phone(phone) if phone else []
    if not matches:
        return BindResult(BindOutcome.UNKNOWN_NUMBER, [], phone=phone)
    units = [unit for unit, _, _ in matches]
    roster_name = matches[0][1]
    language = next((lang for _, _, lang in matches if lang), None)
    await uow.owners.bind(user_id, roster_name, phone, units, "contact", services.clock.now())
    if language:
        await uow.chats.set_language(user_id, language, only_if_unset=True)
    return BindResult(BindOutcome.BOUND, units, language, phone)


async def request_binding(
    services: Services, uow: UnitOfWork, user_id: int, name: str, username: str | None, phone: str | None, unit: Unit
) -> int:
    return await uow.owners.add_binding_request(user_id, name, username, phone, unit, services.clock.now())


async def decide_binding(
    services: Services, uow: UnitOfWork, request_id: int, approve: bool, manager_id: int
) -> BindingRequestRow | None:
    """The decided request, or None when another manager decided it first."""
    now = services.clock.now()
    request = await uow.owners.decide_request(request_id, approve, manager_id, now)
    if request is not None and approve:
        unit = await uow.owners.unit_by_id(request.unit_id)
        if unit is None:  # units are only ever added: the request points at a broken database
            raise LookupError(f"unit {request.unit_id} of binding request {request_id} is not in the database")
        await uow.owners.bind(request.telegram_user_id, request.name, request.phone, [unit], "manager", now)
    return request


async def contractors_of_group(services: Services, uow: UnitOfWork, chat_id: int, codes: list[str]) -> list[str]:
    """The contractors whose task cards go to this group now (bound with /bind, or named
    in the config and not bound elsewhere)."""
    return [code for code in codes if await services.contractor_chat(uow, code) == chat_id]
