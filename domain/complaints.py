"""Complaints (投诉, domain-rules §5): severity by the rules, and each severity's deadlines
for the first handling, the answer to the owner and the resolution. A complaint closes only
with the owner's agreement to the solution, or when they do not answer within the policy time."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.calendar import WorkingCalendar
from domain.durations import SAME_DAY, DeadlineRule, WorkingDays


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


@dataclass(frozen=True)
class SeverityRule:
    first_handling: DeadlineRule | None  # who must have it in hand, and by when
    first_handler: str | None  # the rung of the ladder told at once
    answer: DeadlineRule
    resolve: DeadlineRule


# 002 篇3 §4(5), 004 客诉; "the responsible department answers within 3 working days" (002 §3.4.2.2)
RULES: dict[Severity, SeverityRule] = {
    Severity.MAJOR: SeverityRule(SAME_DAY, "project_manager", timedelta(days=2), timedelta(days=10)),
    Severity.IMPORTANT: SeverityRule(timedelta(hours=1), "supervisor", WorkingDays(3), timedelta(days=3)),
    Severity.MINOR: SeverityRule(None, None, WorkingDays(3), timedelta(days=2)),
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
    answer_by: datetime
    resolve_by: datetime


def complaint_deadlines(
    severity: Severity, filed_at: datetime, calendar: WorkingCalendar, same_day_end
) -> ComplaintDeadlines:
    rule = RULES[severity]

    def due(deadline: DeadlineRule) -> datetime:
        if deadline is SAME_DAY:
            return same_day_end(filed_at)
        if isinstance(deadline, WorkingDays):
            return calendar.add_working_days(filed_at, deadline.days)
        return filed_at + deadline

    return ComplaintDeadlines(
        due(rule.first_handling) if rule.first_handling is not None else None, due(rule.answer), due(rule.resolve)
    )
