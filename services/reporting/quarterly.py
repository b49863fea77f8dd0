"""The quarterly analysis (docs/rules.md): the same matter complained about twice or
more, the same repair three times or more (unit × category), and the callbacks that found
an owner unsatisfied, with what was done about it."""

from datetime import datetime
from zoneinfo import ZoneInfo

from domain.reporting import SAME_MATTER_AT, SAME_REPAIR_AT, SATISFACTION_TARGET, ReportKind, Share, recurring, share
from domain.satisfaction import Dimension, is_satisfied
from domain.tickets import EventKind
from services.reporting import queries
from services.reporting.model import Chart, Report, Scope, Section, local, local_day
from services.reporting.monthly import satisfaction_by_dimension, satisfaction_trend
from storage.unit_of_work import UnitOfWork

FOLLOW_UP: tuple[EventKind, ...] = (
    EventKind.UNHAPPY,
    EventKind.CAME_BACK,
    EventKind.MANAGER_VISITED,
    EventKind.CORRECTIVE_ACTION,
    EventKind.UNHAPPY_RESOLVED,
)


async def quarterly_analysis(uow: UnitOfWork, scope: Scope, tz: ZoneInfo, now: datetime) -> Report:
    start, end = scope.bounds(tz, now)
    complaints = [c for c in await queries.complaints(uow.session, start, end, scope.block) if c.filed_at >= start]
    tickets = await queries.tickets(uow.session, start, end, scope.block, scope.contractor)
    callbacks = await queries.callbacks(uow.session, start, end, scope.block, scope.contractor)
    ratings = await queries.ratings(uow.session, start, end, scope.block, scope.contractor)
    unhappy = [c for c in callbacks if is_unsatisfied(c)]
    follow_ups = await queries.events(uow.session, sorted({c.ticket_id for c in unhappy}), FOLLOW_UP)
    matters = same_matters(complaints)
    repairs = same_repairs(tickets)
    report = Report(ReportKind.QUARTER, scope)
    report.figures = {
        "same_matters": len(matters.rows),
        "same_repairs": len(repairs.rows),
        "callbacks_made": len(callbacks),
        "callbacks_unsatisfied": len(unhappy),
        "satisfaction_overall": _overall(ratings),
    }
    report.sections = [
        matters,
        repairs,
        unsatisfied_callbacks(unhappy, follow_ups, tz),
        satisfaction_by_dimension(ratings),
        satisfaction_trend(ratings, tz),
    ]
    report.charts = [
        Chart("satisfaction_trend", "month", "percent", "satisfaction_trend", line=True, target=SATISFACTION_TARGET),
        Chart("satisfaction", "dimension", "percent", "satisfaction", target=SATISFACTION_TARGET),
    ]
    return report


def is_unsatisfied(callback: queries.CallbackFacts) -> bool:
    """Answered, and either not fixed or rated below the top two levels overall."""
    if callback.status != "answered":
        return False
    return callback.still_fixed is False or (callback.overall is not None and not is_satisfied(callback.overall))


def same_matters(complaints: list[queries.ComplaintFacts]) -> Section:
    """The same owner back about the same matter (topic)."""
    counts = recurring(((c.owner_user_id, c.topic) for c in complaints), SAME_MATTER_AT)
    rows = []
    for (owner, topic), times in counts.items():
        numbers = [c.number for c in complaints if (c.owner_user_id, c.topic) == (owner, topic)]
        rows.append((topic, owner, times, ", ".join(numbers)))
    return Section("same_matters", ("topic", "owner", "times", "complaints"), rows)


def same_repairs(tickets: list[queries.TicketFacts]) -> Section:
    in_units = [t for t in tickets if t.unit is not None]
    counts = recurring(((t.block, t.unit, t.category) for t in in_units), SAME_REPAIR_AT)
    rows = []
    for (block, unit, category), times in counts.items():
        numbers = [t.number for t in in_units if (t.block, t.unit, t.category) == (block, unit, category)]
        rows.append((block, unit, category, times, ", ".join(numbers)))
    return Section("same_repairs", ("block", "unit", "category", "times", "tickets"), rows)


def unsatisfied_callbacks(
    unhappy: list[queries.CallbackFacts], follow_ups: list[tuple[int, datetime, str]], tz: ZoneInfo
) -> Section:
    done: dict[int, list[str]] = {}
    for ticket_id, at, kind in follow_ups:
        done.setdefault(ticket_id, []).append(f"{local(at, tz):%Y-%m-%d %H:%M} {kind}")
    rows = [
        (
            c.number,
            c.block,
            c.unit,
            c.category,
            c.contractor,
            local_day(c.answered_at, tz),
            c.still_fixed,
            c.overall,
            c.comment,
            "; ".join(done.get(c.ticket_id, [])),
        )
        for c in unhappy
    ]
    columns = ("number", "block", "unit", "category", "contractor", "answered", "still_fixed", "overall", "comment")
    return Section("unsatisfied_callbacks", (*columns, "what_was_done"), rows)


def _overall(ratings: list[queries.RatingFacts]) -> Share:
    return share(is_satisfied(r.score) for r in ratings if r.dimension == Dimension.OVERALL)
