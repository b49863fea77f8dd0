"""The monthly summary (docs/rules.md), for the month so far, due by the 24th:
tickets by category and block, on-time rates, first-time fixes, repeat repairs,
callbacks, satisfaction per dimension and overall, and complaints."""

from collections import Counter, defaultdict
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from domain.reporting import SATISFACTION_TARGET, ReportKind, first_time_fix, months_before, on_time, share
from domain.satisfaction import Dimension, is_satisfied
from services.reporting import queries
from services.reporting.model import Chart, Figure, Report, Scope, Section, local_day
from storage.unit_of_work import UnitOfWork

TREND_MONTHS = 6
TICKET_COLUMNS: tuple[str, ...] = ("number", "filed", "block", "unit", "category", "contractor", "status")
TICKET_COLUMNS += ("on_time_take", "on_time_arrival", "on_time_resolve", "first_time_fix", "repeat")


async def monthly_summary(uow: UnitOfWork, scope: Scope, tz: ZoneInfo, now: datetime) -> Report:
    start, end = scope.bounds(tz, now)
    tickets = await queries.tickets(uow.session, start, end, scope.block, scope.contractor)
    callbacks = await queries.callbacks(uow.session, start, end, scope.block, scope.contractor)
    trend_start = datetime.combine(months_before(scope.period.start, TREND_MONTHS - 1), time(), tz).astimezone(UTC)
    ratings = await queries.ratings(uow.session, trend_start, end, scope.block, scope.contractor)
    complaints = [c for c in await queries.complaints(uow.session, start, end, scope.block) if c.filed_at >= start]
    this_month = [r for r in ratings if r.answered_at >= start]
    report = Report(ReportKind.MONTH, scope)
    report.figures = ticket_figures(tickets) | {
        "callbacks_made": len(callbacks),
        "callbacks_answered": sum(1 for c in callbacks if c.status == "answered"),
        "satisfaction_overall": share(is_satisfied(r.score) for r in this_month if r.dimension == Dimension.OVERALL),
        "complaints": len(complaints),
    }
    report.sections = [
        ticket_rows(tickets, tz),
        _counted("by_category", "category", Counter(t.category for t in tickets)),
        _counted("by_block", "block", Counter(t.block for t in tickets)),
        on_time_by_contractor(tickets),
        satisfaction_by_dimension(this_month),
        satisfaction_trend(ratings, tz),
        _counted("callbacks", "status", Counter(c.status for c in callbacks)),
        _counted("complaints_by_severity", "severity", Counter(c.severity for c in complaints)),
    ]
    report.charts = [
        Chart("satisfaction_trend", "month", "percent", "satisfaction_trend", line=True, target=SATISFACTION_TARGET),
        Chart("on_time_by_contractor", "contractor", "on_time_resolve_pct", "on_time_by_contractor"),
    ]
    return report


def ticket_figures(tickets: list[queries.TicketFacts]) -> dict[str, Figure]:
    finished = [t for t in tickets if t.done_at is not None]
    return {
        "tickets": len(tickets),
        "on_time_take": share(on_time(t.taken_at, t.accept_by) for t in tickets),
        "on_time_arrival": share(on_time(t.arrived_at, t.on_site_by) for t in tickets),
        "on_time_resolve": share(on_time(t.done_at, t.resolve_by) for t in tickets),
        "first_time_fix": share(first_time_fix(t.reopened, t.came_back) for t in finished),
        "repeats": sum(t.repeat for t in tickets),
    }


def ticket_rows(tickets: list[queries.TicketFacts], tz: ZoneInfo) -> Section:
    return Section(
        "tickets",
        TICKET_COLUMNS,
        [
            (
                t.number,
                local_day(t.filed_at, tz),
                t.block,
                t.unit,
                t.category,
                t.contractor,
                t.status,
                on_time(t.taken_at, t.accept_by),
                on_time(t.arrived_at, t.on_site_by),
                on_time(t.done_at, t.resolve_by),
                first_time_fix(t.reopened, t.came_back) if t.done_at else None,
                t.repeat,
            )
            for t in tickets
        ],
    )


def on_time_by_contractor(tickets: list[queries.TicketFacts]) -> Section:
    grouped: dict[str, list[queries.TicketFacts]] = defaultdict(list)
    for ticket in tickets:
        grouped[ticket.contractor or "—"].append(ticket)
    rows = []
    for contractor, own in sorted(grouped.items()):
        resolved = share(on_time(t.done_at, t.resolve_by) for t in own)
        rows.append((contractor, len(own), resolved.part, resolved.whole, resolved.percent))
    return Section(
        "on_time_by_contractor", ("contractor", "tickets", "on_time", "finished", "on_time_resolve_pct"), rows
    )


def satisfaction_by_dimension(ratings: list[queries.RatingFacts]) -> Section:
    rows = []
    for dimension in Dimension:
        rate = share(is_satisfied(r.score) for r in ratings if r.dimension == dimension)
        if rate.whole:
            rows.append((dimension.value, rate.part, rate.whole, rate.percent))
    return Section("satisfaction", ("dimension", "satisfied", "answers", "percent"), rows)


def satisfaction_trend(ratings: list[queries.RatingFacts], tz: ZoneInfo) -> Section:
    """The overall rating month by month: top two levels ÷ ratings returned."""
    months: dict[str, list[bool]] = defaultdict(list)
    for rating in ratings:
        if rating.dimension == Dimension.OVERALL:
            months[rating.answered_at.astimezone(tz).strftime("%Y-%m")].append(is_satisfied(rating.score))
    rows = []
    for month, answers in sorted(months.items()):
        rate = share(answers)
        rows.append((month, rate.part, rate.whole, rate.percent))
    return Section("satisfaction_trend", ("month", "satisfied", "answers", "percent"), rows)


def _counted(key: str, label: str, counts: Counter[str]) -> Section:
    return Section(key, (label, "count"), counts.most_common())
