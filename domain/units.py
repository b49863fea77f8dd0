"""Units (户) of the blocks, and the owners the roster lists for them."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Unit:
    id: int
    block: str
    number: str
    handover_date: date | None

    @property
    def label(self) -> str:
        return f"{self.block}-{self.number}"
