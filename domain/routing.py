"""Which contractor answers for a repair: exactly one party at every moment (docs/rules.md)."""

from collections.abc import Sequence
from dataclasses import dataclass

from domain.trades import ANY


@dataclass(frozen=True)
class ContractorRule:
    code: str
    trades: frozenset[str]  # trade codes, or {"*"}
    blocks: frozenset[str]  # block codes, or {"*"}
    fallback: str | None = None
    in_house: bool = False

    def specificity(self, trade: str, block: str) -> int | None:
        """How exactly this contractor covers (trade, block): 3 for both named, 0 for "*"/"*",
        None when it does not cover them at all."""
        trade_score = _score(self.trades, trade)
        block_score = _score(self.blocks, block)
        if trade_score is None or block_score is None:
            return None
        return trade_score * 2 + block_score


def _score(values: frozenset[str], wanted: str) -> int | None:
    if wanted in values:
        return 1
    return 0 if ANY in values else None


def route(trade: str, block: str, contractors: Sequence[ContractorRule]) -> str | None:
    """The most specific contractor for the trade in the block; else the in-house team;
    None when nobody is configured, so a manager assigns by hand. Ties go to the first in
    the config (check-config reports them as a problem)."""
    best, best_score = None, -1
    for contractor in contractors:
        score = contractor.specificity(trade, block)
        if score is not None and score > best_score:
            best, best_score = contractor, score
    if best is not None:
        return best.code
    return in_house_team(contractors)


def in_house_team(contractors: Sequence[ContractorRule]) -> str | None:
    return next((c.code for c in contractors if c.in_house), None)


def fallback_for(code: str, contractors: Sequence[ContractorRule]) -> str | None:
    """Who takes over when `code` cannot take a job or misses its deadline (docs/rules.md):
    its configured fallback, else the in-house team, never itself."""
    by_code = {c.code: c for c in contractors}
    current = by_code.get(code)
    if current is not None and current.fallback and current.fallback != code:
        return current.fallback
    team = in_house_team(contractors)
    return team if team != code else None


def overlapping(contractors: Sequence[ContractorRule]) -> list[tuple[str, str, str, str]]:
    """Pairs of contractors that both name the same trade and block: (a, b, trade, block)."""
    clashes = []
    for i, first in enumerate(contractors):
        for second in contractors[i + 1 :]:
            for trade in first.trades & second.trades:
                for block in first.blocks & second.blocks:
                    clashes.append((first.code, second.code, trade, block))
    return clashes
