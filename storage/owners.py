"""Units, the roster's residents, and the Telegram accounts bound to them."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from domain.roster import RosterRow
from domain.units import Unit
from storage.memo import Memo, remembered
from storage.tables import BindingRequestRow, OwnerAccountRow, ResidentRow, SentOnceRow, UnitBindingRow, UnitRow
from storage.types import stored

_UNIT = "unit"
_UNITS_PER_QUERY = 500  # well below SQLite's limit on a statement's parameters
_UNIT_TABLE = UnitRow.__table__  # type: ignore[attr-defined]
_UNITS = select(*_UNIT_TABLE.c)


def _unit(row: UnitRow) -> Unit:
    return Unit(stored(row.id, "unit.id"), row.block, row.number, row.handover_date)


# Built once: a filter asks it on the way to every owner's screen.
_BOUND_UNITS = (
    select(col(UnitRow.id), col(UnitRow.block), col(UnitRow.number), col(UnitRow.handover_date))
    .join(UnitBindingRow, col(UnitBindingRow.unit_id) == col(UnitRow.id))
    .where(col(UnitBindingRow.telegram_user_id) == bindparam("user_id"))
    .order_by(UnitRow.block, UnitRow.number)
)


class OwnerRepository:
    def __init__(self, session: AsyncSession, memo: Memo | None = None):
        self.session = session
        # what the unit of work looked up in this transaction (UnitOfWork.memo): the units an
        # owner's screens read (the filter before each reads the owner's own, the summary
        # and filing read the draft's, which is one of them)
        self._memo: Memo = {} if memo is None else memo

    async def import_row(self, row: RosterRow) -> bool:
        """Insert or update one roster row; True when anything changed."""
        unit = await self._unit_row(row.block, row.unit)
        changed = False
        if unit is None:
            unit = UnitRow(block=row.block, number=row.unit, handover_date=row.handover_date)
            self.session.add(unit)
            await self.session.flush()
            changed = True
        elif unit.handover_date != row.handover_date:
            unit.handover_date, changed = row.handover_date, True
        resident = (
            await self.session.exec(
                select(ResidentRow).where(ResidentRow.unit_id == unit.id, ResidentRow.phone == row.phone)
            )
        ).first()
        if resident is None:
            self.session.add(
                ResidentRow(
                    unit_id=stored(unit.id, "unit.id"), name=row.owner_name, phone=row.phone, language=row.language
                )
            )
            return True
        if (resident.name, resident.language) != (row.owner_name, row.language):
            resident.name, resident.language, changed = row.owner_name, row.language, True
        return changed

    async def _unit_row(self, block: str, number: str) -> UnitRow | None:
        query = select(UnitRow).where(UnitRow.block == block, UnitRow.number == number)
        return (await self.session.exec(query)).first()

    async def unit(self, block: str, number: str) -> Unit | None:
        row = await self._unit_row(block, number)
        return None if row is None else _unit(row)

    async def unit_by_id(self, unit_id: int) -> Unit | None:
        async def read() -> Unit | None:
            row = await self.session.get(UnitRow, unit_id)
            return None if row is None else _unit(row)

        return await remembered(self._memo, (_UNIT, unit_id), read)

    async def units_for_phone(self, phone: str) -> list[tuple[Unit, str, str | None]]:
        """(unit, owner's name, roster language) for every unit the roster lists the phone for."""
        query = (
            select(UnitRow, ResidentRow)
            .join(ResidentRow, col(ResidentRow.unit_id) == col(UnitRow.id))
            .where(ResidentRow.phone == phone)
            .order_by(UnitRow.block, UnitRow.number)
        )
        return [(_unit(u), r.name, r.language) for u, r in (await self.session.exec(query)).all()]

    async def bind(
        self, user_id: int, name: str, phone: str | None, units: list[Unit], via: str, now: datetime
    ) -> None:
        account = await self.session.get(OwnerAccountRow, user_id)
        if account is None:
            self.session.add(OwnerAccountRow(telegram_user_id=user_id, name=name, phone=phone, bound_at=now))
        else:
            account.phone = phone or account.phone
        for unit in units:
            if await self.session.get(UnitBindingRow, (user_id, unit.id)) is None:
                self.session.add(UnitBindingRow(telegram_user_id=user_id, unit_id=unit.id, via=via, bound_at=now))

    async def bound_units(self, user_id: int) -> list[Unit]:
        rows = (await self.session.exec(_BOUND_UNITS, params={"user_id": user_id})).all()
        units = [Unit(stored(unit_id, "unit.id"), block, number, handover) for unit_id, block, number, handover in rows]
        self._memo.update(((_UNIT, unit.id), unit) for unit in units)
        return units

    async def accounts_of_unit(self, unit_id: int) -> list[OwnerAccountRow]:
        """The owners bound to a unit in Telegram (customer service files for one of them)."""
        query = (
            select(OwnerAccountRow)
            .join(UnitBindingRow, col(UnitBindingRow.telegram_user_id) == col(OwnerAccountRow.telegram_user_id))
            .where(UnitBindingRow.unit_id == unit_id)
            .order_by(col(OwnerAccountRow.name))
        )
        return list((await self.session.exec(query)).all())

    async def add_resident(self, unit_id: int, name: str, phone: str) -> None:
        """An owner customer service met at the desk or on the phone, onto the roster, so
        sharing that phone in Telegram later binds them to the unit."""
        query = select(ResidentRow).where(ResidentRow.unit_id == unit_id, ResidentRow.phone == phone)
        if (await self.session.exec(query)).first() is None:
            self.session.add(ResidentRow(unit_id=unit_id, name=name, phone=phone))

    async def units_by_id(self, unit_ids: Iterable[int]) -> dict[int, Unit]:
        """Many units at once (a survey's owners'), a few hundred per query, as plain columns:
        thousands of table objects would each be looked over again at every flush and commit."""
        wanted, found = sorted(set(unit_ids)), dict[int, Unit]()
        for start in range(0, len(wanted), _UNITS_PER_QUERY):
            query = _UNITS.where(_UNIT_TABLE.c.id.in_(wanted[start : start + _UNITS_PER_QUERY]))
            found |= {unit.id: unit for unit in map(_unit, (await self.session.exec(query)).all())}
        return found

    async def account(self, user_id: int) -> OwnerAccountRow | None:
        return await self.session.get(OwnerAccountRow, user_id)

    async def add_binding_request(
        self, user_id: int, name: str, username: str | None, phone: str | None, unit: Unit, now: datetime
    ) -> int:
        row = BindingRequestRow(
            telegram_user_id=user_id, name=name, username=username, phone=phone, unit_id=unit.id, created_at=now
        )
        self.session.add(row)
        await self.session.flush()
        return stored(row.id, "binding_request.id")

    async def pending_request_of(self, user_id: int) -> BindingRequestRow | None:
        query = select(BindingRequestRow).where(
            BindingRequestRow.telegram_user_id == user_id, BindingRequestRow.status == "pending"
        )
        return (await self.session.exec(query)).first()

    async def decide_request(
        self, request_id: int, approve: bool, manager_id: int, now: datetime
    ) -> BindingRequestRow | None:
        """Mark a pending request decided; None when it was decided already (two managers)."""
        row = await self.session.get(BindingRequestRow, request_id)
        if row is None or row.status != "pending":
            return None
        row.status = "approved" if approve else "rejected"
        row.decided_by, row.decided_at = manager_id, now
        return row

    async def bound_units_with_owners(self) -> list[tuple[Unit, list[int]]]:
        query = (
            select(UnitRow, UnitBindingRow.telegram_user_id)
            .join(UnitBindingRow, col(UnitBindingRow.unit_id) == col(UnitRow.id))
            .order_by(col(UnitRow.id))
        )
        grouped: dict[int, tuple[Unit, list[int]]] = {}
        for unit, user_id in (await self.session.exec(query)).all():
            owned = _unit(unit)
            grouped.setdefault(owned.id, (owned, []))[1].append(user_id)
        return list(grouped.values())

    async def once(self, key: str, at: datetime) -> bool:
        """True the first time `key` is seen: a reminder not about a ticket is sent once."""
        if await self.session.get(SentOnceRow, key) is not None:
            return False
        self.session.add(SentOnceRow(key=key, at=at))
        await self.session.flush()
        return True
