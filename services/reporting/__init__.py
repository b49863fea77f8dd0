"""The managers' reports (docs/rules.md): weekly complaints, the monthly summary, the
quarterly analysis and the monthly report per contractor, each a computation over the
history that views/ renders as text, a chart and a workbook."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.reporting import ReportKind
from services.reporting.complaints import weekly_complaints
from services.reporting.contractors import contractor_month
from services.reporting.model import Chart, Report, Scope, Section
from services.reporting.monthly import monthly_summary
from services.reporting.quarterly import quarterly_analysis
from storage.unit_of_work import UnitOfWork

__all__ = ["Chart", "Report", "Scope", "Section", "build_report"]

BUILDERS: dict[ReportKind, Callable[[UnitOfWork, Scope, ZoneInfo, datetime], Awaitable[Report]]] = {
    ReportKind.WEEK: weekly_complaints,
    ReportKind.MONTH: monthly_summary,
    ReportKind.QUARTER: quarterly_analysis,
    ReportKind.CONTRACTOR: contractor_month,
}


async def build_report(uow: UnitOfWork, kind: ReportKind, scope: Scope, tz: ZoneInfo, now: datetime) -> Report:
    with uow.reading_at_length():  # months of tickets: 0.2–0.3 s of reads with 100,000 behind them
        return await BUILDERS[kind](uow, scope, tz, now)
