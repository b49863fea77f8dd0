"""Rating the service (满意度): the scales of docs/rules.md (Ratings and satisfaction) and the satisfaction rate."""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Dimension(StrEnum):
    TIMELINESS = "timeliness"
    SKILL = "skill"
    ATTITUDE = "attitude"
    PRICE = "price"  # paid work only
    OVERALL = "overall"


# 4 levels: very satisfied, satisfied, not very satisfied, very unsatisfied;
# 3 levels: satisfied, fairly satisfied, unsatisfied. Scores count from 1 = best.
SCALES = {
    4: ("very_satisfied", "satisfied", "not_very_satisfied", "very_unsatisfied"),
    3: ("satisfied", "fairly_satisfied", "unsatisfied"),
}
SATISFIED_TOP = 2  # "satisfied answers" are the top two of either scale


def dimensions(paid: bool) -> list[Dimension]:
    asked = [Dimension.TIMELINESS, Dimension.SKILL, Dimension.ATTITUDE]
    if paid:
        asked.append(Dimension.PRICE)
    return [*asked, Dimension.OVERALL]


def is_satisfied(score: int) -> bool:
    return score <= SATISFIED_TOP


def is_worst(score: int, scale: int) -> bool:
    """The bottom of the scale: on the 4-level scale, the customer-service manager calls back
    personally (docs/rules.md)."""
    return scale == 4 and score == 4


@dataclass(frozen=True)
class Rate:
    satisfied: int
    answers: int

    @property
    def percent(self) -> float | None:
        """Satisfied answers ÷ answers returned × 100%; None when nobody answered."""
        return None if self.answers == 0 else round(100 * self.satisfied / self.answers, 1)


def satisfaction_rate(scores: Iterable[int]) -> Rate:
    scores = list(scores)
    return Rate(sum(1 for score in scores if is_satisfied(score)), len(scores))


def overall_rate(answers: Iterable[tuple[Dimension, int]]) -> Rate:
    """The overall satisfaction rate (综合满意率): the overall rating's top two levels over the
    ratings returned, one per returned rating; the other dimensions are rated apart and are not
    pooled into it (docs/rules.md, "Ratings and satisfaction")."""
    return satisfaction_rate(score for dimension, score in answers if dimension is Dimension.OVERALL)


def rates_by_dimension(answers: Iterable[tuple[Dimension, int]]) -> dict[Dimension, Rate]:
    grouped: dict[Dimension, list[int]] = {}
    for dimension, score in answers:
        grouped.setdefault(dimension, []).append(score)
    return {dimension: satisfaction_rate(scores) for dimension, scores in grouped.items()}
