"""Everything a use case needs from the running application, built once at start-up."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.calendar import WorkingCalendar
from domain.clock import Clock
from domain.policy import Policy
from domain.routing import ContractorRule
from services.evidence import PhotoStore
from storage.unit_of_work import UnitOfWork


@dataclass
class Services:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    policy: Policy
    tz: ZoneInfo
    contractors: list[ContractorRule]
    phone_region: str
    photos: PhotoStore
    configured_chats: dict[str, int]  # contractor code → group chat id from the config
    calendar: WorkingCalendar

    async def contractor_chat(self, uow: UnitOfWork, code: str) -> int | None:
        """The contractor's engineer group: bound with /bind, else named in the config."""
        return await uow.chats.bound_group(code) or self.configured_chats.get(code)

    async def contractor_chats(self, uow: UnitOfWork) -> dict[str, int]:
        """Every contractor's engineer group that is known, by the contractor's code."""
        return {**self.configured_chats, **await uow.chats.bound_groups()}

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)
