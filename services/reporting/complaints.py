"""The weekly complaint report (docs/rules.md): received, by severity and topic,
answered within 2 hours, resolved on time, and the open ones with their age."""

from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.reporting import ReportKind, answered_in_time, on_time, share
from services.reporting import queries
from services.reporting.model import Chart, Report, Scope, Section, days_between, local
from storage.unit_of_work import UnitOfWork

AGE_BUCKETS = ((1, "lt_1d"), (3, "d1_3"), (7, "d3_7"), (None, "gt_7d"))


def age_bucket(days: float) -> str:
    return next(name for limit, name in AGE_BUCKETS if limit is None or days < limit)


async def weekly_complaints(uow: UnitOfWork, scope: Scope, tz: ZoneInfo, now: datetime) -> Report:
    start, end = scope.bounds(tz, now)
    everything = await queries.complaints(uow.session, start, end, scope.block)
    received = [c for c in everything if c.filed_at >= start]
    still_open = [c for c in everything if c.status in queries.OPEN_COMPLAINT]
    report = Report(ReportKind.WEEK, scope)
    report.figures = {
        "received": len(received),
        "answered_2h": share(answered_in_time(c.filed_at, c.handled_at) for c in received),
        "resolved_on_time": share(on_time(c.closed_at, c.resolve_by) for c in received),
        "open": len(still_open),
    }
    report.sections = [
        Section(
            "complaints",
            ("number", "filed", "severity", "topic", "status", "answered_2h", "closed", "on_time"),
            [
                (
                    c.number,
                    local(c.filed_at, tz),
                    c.severity,
                    c.topic,
                    c.status,
                    answered_in_time(c.filed_at, c.handled_at),
                    local(c.closed_at, tz),
                    on_time(c.closed_at, c.resolve_by),
                )
                for c in received
            ],
        ),
        _counted("by_severity", "severity", Counter(c.severity for c in received)),
        _counted("by_topic", "topic", Counter(c.topic for c in received)),
        Section(
            "open_complaints",
            ("number", "filed", "severity", "topic", "status", "age_days"),
            [
                (c.number, local(c.filed_at, tz), c.severity, c.topic, c.status, days_between(c.filed_at, end))
                for c in still_open
            ],
        ),
        _by_age(Counter(age_bucket(days_between(c.filed_at, end)) for c in still_open)),
    ]
    report.charts = [
        Chart("open_by_age", "age", "count", "open_by_age"),
        Chart("by_severity", "severity", "count", "by_severity"),
    ]
    return report


def _counted(key: str, label: str, counts: Counter[str]) -> Section:
    return Section(key, (label, "count"), counts.most_common())


def _by_age(counts: Counter[str]) -> Section:
    """Every age group, the empty ones too, youngest first."""
    return Section("open_by_age", ("age", "count"), [(name, counts[name]) for _, name in AGE_BUCKETS])
