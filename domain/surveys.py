"""Satisfaction surveys (满意度调查): who is asked, what is asked, and how
the figures compare with the targets: reach 90% of occupied units, 80% of them answering."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from domain.satisfaction import Dimension, Rate, rates_by_dimension
from domain.warranty import add_months

REACH_TARGET = 90.0  # % of occupied units the survey reaches
RETURN_TARGET = 80.0  # % of reached units that answer
SATISFACTION_TARGET = 90.0  # % of satisfied answers per question
QUESTIONS = (Dimension.TIMELINESS, Dimension.SKILL, Dimension.ATTITUDE, Dimension.OVERALL)
# a survey is open at most a year: the next yearly one would otherwise find it still open,
# and a date further off is a slip of the keys (owners are shown the day without its year)
LONGEST_OPEN = timedelta(days=365)


@dataclass(frozen=True)
class Scope:
    """Every bound owner, the owners of some blocks, or those whose unit was handed over
    `months` ago (within the month before that day)."""

    kind: str  # all, blocks, moved_in
    blocks: tuple[str, ...] = ()
    months: int = 6

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "blocks": list(self.blocks), "months": self.months}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Scope":
        return cls(data["kind"], tuple(data.get("blocks", ())), int(data.get("months", 6)))

    def covers(self, block: str, handover: date | None, today: date) -> bool:
        if self.kind == "blocks":
            return block in self.blocks
        if self.kind == "moved_in":
            starts, ends = moved_in_window(today, self.months)
            return handover is not None and starts < handover <= ends
        return True


def moved_in_window(today: date, months: int) -> tuple[date, date]:
    """Handover dates of "moved in `months` ago": the month up to that day. Run on the 1st of
    each month, consecutive windows meet without a gap or an overlap."""
    return add_months(today, -(months + 1)), add_months(today, -months)


def next_step(answered: Iterable[int], questions: int) -> int | None:
    """The first question not answered yet: an owner who stopped half-way continues there."""
    done = set(answered)
    return next((step for step in range(questions) if step not in done), None)


def reminder_due(
    asked_at: datetime, reminded_at: datetime | None, reminders: int, now: datetime, *, every: timedelta, most: int
) -> bool:
    if reminders >= most:
        return False
    return (reminded_at or asked_at) + every <= now


def yearly_due(today: date, yearly_on: str | None) -> bool:
    return yearly_on is not None and today.strftime("%m-%d") == yearly_on


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, 1)


@dataclass(frozen=True)
class UnitStatus:
    block: str
    reached: bool
    returned: bool


@dataclass
class BlockProgress:
    block: str
    units: int = 0
    reached: int = 0
    returned: int = 0

    @property
    def reach_rate(self) -> float | None:
        return percent(self.reached, self.units)

    @property
    def return_rate(self) -> float | None:
        return percent(self.returned, self.reached)

    @property
    def on_target(self) -> bool:
        reach, back = self.reach_rate, self.return_rate
        return reach is not None and back is not None and reach >= REACH_TARGET and back >= RETURN_TARGET


@dataclass
class Progress:
    blocks: list[BlockProgress] = field(default_factory=list)

    @property
    def total(self) -> BlockProgress:
        total = BlockProgress("*")
        for block in self.blocks:
            total.units += block.units
            total.reached += block.reached
            total.returned += block.returned
        return total


def progress(units: Iterable[UnitStatus]) -> Progress:
    """Per block: occupied units in scope, units the survey reached, units that answered."""
    by_block: dict[str, BlockProgress] = {}
    for unit in units:
        block = by_block.setdefault(unit.block, BlockProgress(unit.block))
        block.units += 1
        block.reached += unit.reached
        block.returned += unit.reached and unit.returned
    return Progress([by_block[code] for code in sorted(by_block)])


def results(answers: Iterable[tuple[str, int]]) -> dict[Dimension, Rate]:
    """The satisfaction rate per question, from (dimension, score) answers."""
    return rates_by_dimension((Dimension(dimension), score) for dimension, score in answers)
