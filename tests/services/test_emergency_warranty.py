"""An emergency's repair is judged under the warranty of the part it is in (docs/rules.md,
Warranty periods), not the emergency category's own."""

from datetime import date
from zoneinfo import ZoneInfo

from domain.calendar import WorkingCalendar
from domain.categories import WarrantyPart
from domain.emergencies import WARRANTY_PARTS, EmergencyKind
from domain.policy import DEFAULT_WARRANTY_MONTHS, Policy
from domain.warranty import Coverage
from services.context import Services
from services.intake import Draft, warranty_of
from tests.fakes import SettableClock
from tests.memory import MemoryUnitOfWork

TODAY = date(2026, 11, 24)
HANDED_OVER = date(2024, 5, 1)  # 30 months before: past 24 months, within 36


def services(policy: Policy) -> Services:
    tz = ZoneInfo("Asia/Shanghai")
    return Services(
        sessions=None,  # type: ignore[arg-type]  # never opened
        clock=SettableClock(None),  # type: ignore[arg-type]  # not asked
        policy=policy,
        tz=tz,
        contractors=[],
        phone_region="CN",
        photos=None,  # type: ignore[arg-type]
        configured_chats={},
        calendar=WorkingCalendar(lambda day: day.weekday() < 5, tz),
    )


def test_every_emergency_names_the_part_whose_warranty_it_falls_under():
    assert set(WARRANTY_PARTS) == set(EmergencyKind)


async def test_a_burst_pipe_is_judged_under_the_water_pipes_warranty():
    pipes_longer = Policy(warranty_months={**DEFAULT_WARRANTY_MONTHS, WarrantyPart.WATER_PIPES: 36})
    draft = Draft(block="A", public_area="lobby")
    draft.make_emergency(EmergencyKind.FLOOD)
    verdict = await warranty_of(services(pipes_longer), MemoryUnitOfWork(), draft, TODAY, HANDED_OVER)
    assert verdict.coverage is Coverage.IN_WARRANTY
    draft.make_emergency(EmergencyKind.FIRE)  # judged under decoration's 24 months: over
    verdict = await warranty_of(services(pipes_longer), MemoryUnitOfWork(), draft, TODAY, HANDED_OVER)
    assert verdict.coverage is Coverage.MAINTENANCE_FUND
