"""Repeat repairs (二次返修, docs/rules.md): the same place, the same problem again within
the warranty period of an earlier repair."""

from dataclasses import dataclass
from datetime import date

CORRECTIVE_ACTION_AT = 3  # the same repair three times or more needs a corrective action


@dataclass(frozen=True)
class EarlierRepair:
    ticket_id: int
    number: str
    category: str
    unit_id: int | None
    block: str
    public_area: str | None
    fixed_on: date
    warranty_ends_on: date | None


def same_place(earlier: EarlierRepair, unit_id: int | None, block: str, public_area: str | None) -> bool:
    if unit_id is not None:
        return earlier.unit_id == unit_id
    return (
        earlier.unit_id is None
        and earlier.block == block
        and (earlier.public_area or "").strip().lower() == (public_area or "").strip().lower()
    )


def find_repeat(
    earlier: list[EarlierRepair], category: str, unit_id: int | None, block: str, public_area: str | None, today: date
) -> EarlierRepair | None:
    """The latest earlier fixed repair this report repeats, if any: same place, same
    category, still within that repair's warranty (or, without a known warranty end, the
    repair itself is the evidence and counts)."""
    matches = [
        repair
        for repair in earlier
        if repair.category == category
        and same_place(repair, unit_id, block, public_area)
        and (repair.warranty_ends_on is None or today <= repair.warranty_ends_on)
    ]
    return max(matches, key=lambda repair: repair.fixed_on, default=None)


def needs_corrective_action(times_repaired: int) -> bool:
    return times_repaired >= CORRECTIVE_ACTION_AT
