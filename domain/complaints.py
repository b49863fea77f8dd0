"""Complaints (投诉, docs/rules.md "Complaints"): severity by the rules, and each severity's
deadlines for the first handling, the answer to the owner, the solution and the resolution.

Every complaint is answered within 2 hours, and never later than it is due to be resolved.
All complaint deadlines count calendar time, so no working-day answer can land after a
calendar-day resolution. A complaint closes only with the owner's agreement to the solution:
an owner who does not answer is asked again and the complaint goes a rung up the ladder.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.durations import SAME_DAY, SameDay


class Severity(StrEnum):
    MAJOR = "major"  # harms safety or daily life, or the company's name
    IMPORTANT = "important"  # a service or management failure
    MINOR = "minor"  # one-off, one person


class Topic(StrEnum):
    SERVICE = "service"
    ENGINEER = "engineer"
    NEIGHBOUR = "neighbour"
    NOISE = "noise"
    MANAGEMENT = "management"


# calendar time only: a working-day rule here could put the answer after the resolution
CalendarRule = timedelta | SameDay


@dataclass(frozen=True)
class SeverityRule:
    first_handling: CalendarRule | None  # who must have it in hand, and by when
    first_handlers: tuple[str, ...]  # the rungs of the ladder told at once
    solution: CalendarRule | None  # a clear answer: the solution proposed to the owner
    resolve: CalendarRule


ANSWER_WITHIN = timedelta(hours=2)  # every complaint, whatever its severity (docs/rules.md, Complaints)
LADDER = ("supervisor", "project_manager", "general_manager")

# docs/rules.md, Complaints: major to the director the same day, a clear answer in 2 days, resolved in 10;
# important to the supervisor within the hour, done in 3 days; minor done in 2 days. A major
# complaint also goes to the general manager.
RULES: dict[Severity, SeverityRule] = {
    Severity.MAJOR: SeverityRule(
        SAME_DAY, ("project_manager", "general_manager"), timedelta(days=2), timedelta(days=10)
    ),
    Severity.IMPORTANT: SeverityRule(timedelta(hours=1), ("supervisor",), None, timedelta(days=3)),
    Severity.MINOR: SeverityRule(None, (), None, timedelta(days=2)),
}

MAJOR_WORDS = (
    "danger",
    "unsafe",
    "injur",
    "hurt",
    "fire",
    "gas",
    "flood",
    "police",
    "journalist",
    "media",
    "lawyer",
    "court",
    "安全",
    "危险",
    "受伤",
    "火",
    "燃气",
    "媒体",
    "记者",
    "律师",
    "法院",
    "报警",
    "опасн",
    "травм",
    "пожар",
    "газ",
    "суд",
    "полиц",
    "журналист",
    "сми",
)
IMPORTANT_WORDS = (
    "rude",
    "late",
    "ignored",
    "nobody came",
    "no answer",
    "never came",
    "态度",
    "不理",
    "没人",
    "拖延",
    "推诿",
    "груб",
    "игнор",
    "никто не",
    "не пришёл",
    "не пришел",
    "опозд",
)


def classify(text: str, topic: Topic) -> Severity:
    """Safety, daily life or the company's name → major; a failure of service or management →
    important; a one-off matter of one person (a neighbour, noise) → minor. A manager can
    change it with one tap."""
    lowered = text.lower()
    if any(_names(lowered, word) for word in MAJOR_WORDS):
        return Severity.MAJOR
    if topic in (Topic.SERVICE, Topic.ENGINEER, Topic.MANAGEMENT) or any(_names(lowered, w) for w in IMPORTANT_WORDS):
        return Severity.IMPORTANT
    return Severity.MINOR


def _names(text: str, word: str) -> bool:
    if word.isascii():
        return re.search(r"\b" + re.escape(word), text) is not None
    return word in text


@dataclass(frozen=True)
class ComplaintDeadlines:
    first_handling_by: datetime | None
    answer_by: datetime  # someone answers the owner: takes it in hand or proposes a solution
    solution_by: datetime | None  # a solution is proposed (major only)
    resolve_by: datetime


def complaint_deadlines(
    severity: Severity, filed_at: datetime, same_day_end: Callable[[datetime], datetime]
) -> ComplaintDeadlines:
    rule = RULES[severity]

    def due(deadline: CalendarRule) -> datetime:
        return same_day_end(filed_at) if isinstance(deadline, SameDay) else filed_at + deadline

    resolve_by = due(rule.resolve)
    solution_by = min(due(rule.solution), resolve_by) if rule.solution is not None else None
    return ComplaintDeadlines(
        first_handling_by=due(rule.first_handling) if rule.first_handling is not None else None,
        answer_by=min(filed_at + ANSWER_WITHIN, resolve_by),
        solution_by=solution_by,
        resolve_by=resolve_by,
    )


def alerted_for(severity: Severity, deadline: str, silences: int = 1) -> str:
    """The rung told when a deadline passes: the first handler for the first handling, the
    answer and the solution; one rung higher when the resolution is late or the owner has not
    agreed to the solution, and one more for each further wait the owner stays silent (the
    supervisor when the severity names nobody; never past the top)."""
    handlers = RULES[severity].first_handlers
    rung = LADDER.index(handlers[0]) if handlers else 0
    if deadline == "resolve":
        rung += 1
    elif deadline == "no_agreement":
        rung += max(silences, 1)
    return LADDER[min(rung, len(LADDER) - 1)]


def silences_passed(proposed_at: datetime, wait: timedelta, now: datetime, most: int = len(LADDER)) -> list[datetime]:
    """The ends of each wait for the owner's answer to a proposed solution that have passed:
    a complaint never closes by silence, it climbs a rung at each (docs/rules.md)."""
    ends = (proposed_at + wait * times for times in range(1, most + 1))
    return [end for end in ends if now >= end]
