"""The monthly report per contractor, for settlement (docs/rules.md): the jobs finished
in the month, on time, fixed the first time, repeats, satisfaction, the average days to
resolve per category beside the industry's usual range, the paid work with its quotes, and
the materials the work records list."""

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.reporting import INDUSTRY_RESOLVE_DAYS, ReportKind, first_time_fix, on_time, share
from domain.satisfaction import Dimension, is_satisfied
from services.reporting import queries
from services.reporting.model import Chart, Report, Scope, Section, days_between, local_day
from storage.unit_of_work import UnitOfWork
from storage.work_records import StoredRecord, WorkRecordRepository


async def contractor_month(uow: UnitOfWork, scope: Scope, tz: ZoneInfo, now: datetime) -> Report:
    start, end = scope.bounds(tz, now)
    jobs = await queries.tickets(uow.session, start, end, scope.block, scope.contractor, by_done=True)
    ratings = await queries.ratings(uow.session, start, end, scope.block, scope.contractor)
    records = await WorkRecordRepository(uow.session).of_tickets([t.id for t in jobs])
    report = Report(ReportKind.CONTRACTOR, scope)
    report.figures = {
        "jobs": len(jobs),
        "on_time_resolve": share(on_time(t.done_at, t.resolve_by) for t in jobs),
        "first_time_fix": share(first_time_fix(t.reopened, t.came_back) for t in jobs),
        "repeats": sum(t.repeat for t in jobs),
        "satisfaction_overall": share(is_satisfied(r.score) for r in ratings if r.dimension == Dimension.OVERALL),
        "paid_jobs": sum(1 for t in jobs if t.quote),
    }
    report.sections = [
        per_contractor(jobs, ratings),
        resolve_days(jobs),
        paid_work(jobs, tz),
        materials_used(jobs, records, tz),
    ]
    report.charts = [
        Chart("contractors", "contractor", "on_time_pct", "on_time_by_contractor"),
        Chart("resolve_days", "category", "average_days", "resolve_days", band=INDUSTRY_RESOLVE_DAYS),
    ]
    return report


def _by_contractor(jobs: list[queries.TicketFacts]) -> dict[str, list[queries.TicketFacts]]:
    grouped: dict[str, list[queries.TicketFacts]] = defaultdict(list)
    for job in jobs:
        grouped[job.contractor or "—"].append(job)
    return dict(sorted(grouped.items()))


def per_contractor(jobs: list[queries.TicketFacts], ratings: list[queries.RatingFacts]) -> Section:
    rows = []
    for contractor, own in _by_contractor(jobs).items():
        timely = share(on_time(t.done_at, t.resolve_by) for t in own)
        fixed = share(first_time_fix(t.reopened, t.came_back) for t in own)
        overall = [
            is_satisfied(r.score)
            for r in ratings
            if r.dimension == Dimension.OVERALL and (r.contractor or "—") == contractor
        ]
        rated = share(overall)
        rows.append(
            (
                contractor,
                len(own),
                timely.percent,
                fixed.percent,
                sum(t.repeat for t in own),
                rated.whole,
                rated.percent,
            )
        )
    columns = ("contractor", "jobs", "on_time_pct", "first_time_fix_pct", "repeats", "ratings", "satisfaction_pct")
    return Section("contractors", columns, rows)


def resolve_days(jobs: list[queries.TicketFacts]) -> Section:
    """Average days from filing to the engineer finishing, per contractor and category."""
    low, high = INDUSTRY_RESOLVE_DAYS
    rows = []
    for contractor, own in _by_contractor(jobs).items():
        categories: dict[str, list[float]] = defaultdict(list)
        for job in own:
            if job.done_at is not None:
                categories[job.category].append(days_between(job.filed_at, job.done_at))
        for category, days in sorted(categories.items()):
            rows.append((contractor, category, len(days), round(sum(days) / len(days), 1), low, high))
    columns = ("contractor", "category", "jobs", "average_days", "industry_low", "industry_high")
    return Section("resolve_days", columns, rows)


def paid_work(jobs: list[queries.TicketFacts], tz: ZoneInfo) -> Section:
    rows = [
        (t.contractor, t.number, t.category, local_day(t.done_at, tz), t.quote, t.quote_status) for t in jobs if t.quote
    ]
    return Section("paid_work", ("contractor", "number", "category", "finished", "quote", "quote_status"), rows)


def materials_used(jobs: list[queries.TicketFacts], records: list[StoredRecord], tz: ZoneInfo) -> Section:
    """Each line of materials of the jobs finished in the month (docs/rules.md, "The work record")."""
    by_id = {job.id: job for job in jobs}
    rows = [
        (job.contractor, job.number, local_day(job.done_at, tz), m.name, float(m.quantity), m.unit, float(m.cost))
        for stored in records
        if (job := by_id.get(stored.ticket_id)) is not None
        for m in stored.record.materials
    ]
    return Section("materials", ("contractor", "number", "finished", "material", "quantity", "measure", "cost"), rows)
