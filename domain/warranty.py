"""Who pays for a repair: warranty from the handover date, else paid or the maintenance fund
(docs/rules.md, "Warranty periods"). The foundations and main structure are under warranty for
the building's design life, which the policy holds in months like every other part."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.categories import Category, WarrantyPart
from domain.policy import Policy


class Coverage(StrEnum):
    IN_WARRANTY = "in_warranty"  # the original builder repairs free (A-type work order)
    PAID = "paid"  # in-unit work out of warranty: the owner is told the price first
    # public areas out of warranty: the special maintenance fund (专项维修资金) pays, on a B-type
    # work order; that is who pays, not a kind of warranty
    MAINTENANCE_FUND = "maintenance_fund"


@dataclass(frozen=True)
class WarrantyVerdict:
    coverage: Coverage
    ends_on: date | None  # the day the warranty of this part ends, when there is one


def warranty_for(
    category: Category, handover: date | None, today: date, policy: Policy, public_area: bool
) -> WarrantyVerdict:
    out_of_warranty = Coverage.MAINTENANCE_FUND if public_area else Coverage.PAID
    if category.warranty_part is None or handover is None:
        return WarrantyVerdict(out_of_warranty, None)
    ends_on = add_months(handover, policy.warranty_months[category.warranty_part])
    coverage = Coverage.IN_WARRANTY if today < ends_on else out_of_warranty
    return WarrantyVerdict(coverage, ends_on)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day (31 Jan + 1 → 28/29 Feb)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def ending_soon(handover: date, today: date, policy: Policy, notice: int = 1) -> dict[date, list[WarrantyPart]]:
    """The parts whose warranty ends within `notice` months from today, by end date: owners
    are reminded a month before (docs/rules.md, Warranty periods) to report what is still covered."""
    endings: dict[date, list[WarrantyPart]] = {}
    for part, months in policy.warranty_months.items():
        ends_on = add_months(handover, months)
        if today < ends_on <= add_months(today, notice):
            endings.setdefault(ends_on, []).append(part)
    return endings
