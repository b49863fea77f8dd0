"""Every label a report can show, so the catalogs can be checked against them
(tests/test_i18n.py): report.figure.*, report.sheet.*, report.col.*, report.chart.*, report.age.*."""

from domain.reporting import ReportKind
from services.reporting.complaints import AGE_BUCKETS

FIGURES = (
    "received",
    "answered_2h",
    "resolved_on_time",
    "open",
    "tickets",
    "on_time_take",
    "on_time_arrival",
    "on_time_resolve",
    "first_time_fix",
    "repeats",
    "callbacks_made",
    "callbacks_answered",
    "callbacks_unsatisfied",
    "satisfaction_overall",
    "complaints",
    "same_matters",
    "same_repairs",
    "jobs",
    "paid_jobs",
)
SHEETS = (
    "summary",
    "complaints",
    "by_severity",
    "by_topic",
    "open_complaints",
    "open_by_age",
    "tickets",
    "by_category",
    "by_block",
    "on_time_by_contractor",
    "satisfaction",
    "satisfaction_trend",
    "callbacks",
    "complaints_by_severity",
    "same_matters",
    "same_repairs",
    "unsatisfied_callbacks",
    "contractors",
    "resolve_days",
    "paid_work",
    "materials",
)
COLUMNS = (
    "figure",
    "value",
    "of",
    "percent",
    "number",
    "filed",
    "severity",
    "topic",
    "status",
    "answered_2h",
    "closed",
    "on_time",
    "count",
    "age_days",
    "age",
    "block",
    "unit",
    "category",
    "contractor",
    "on_time_take",
    "on_time_arrival",
    "on_time_resolve",
    "first_time_fix",
    "repeat",
    "tickets",
    "finished",
    "on_time_resolve_pct",
    "dimension",
    "satisfied",
    "answers",
    "month",
    "owner",
    "times",
    "complaints",
    "answered",
    "still_fixed",
    "overall",
    "comment",
    "what_was_done",
    "jobs",
    "on_time_pct",
    "first_time_fix_pct",
    "repeats",
    "ratings",
    "satisfaction_pct",
    "average_days",
    "industry_low",
    "industry_high",
    "quote",
    "quote_status",
    "material",
    "quantity",
    "measure",
    "cost",
)
CHARTS = ("open_by_age", "by_severity", "satisfaction_trend", "on_time_by_contractor", "satisfaction", "resolve_days")


def report_message_ids() -> set[str]:
    return (
        {f"report.title.{kind}" for kind in ReportKind}
        | {f"report.figure.{name}" for name in FIGURES}
        | {f"report.sheet.{name}" for name in SHEETS}
        | {f"report.col.{name}" for name in COLUMNS}
        | {f"report.chart.{name}" for name in CHARTS}
        | {f"report.age.{name}" for _, name in AGE_BUCKETS}
        | {"report.scope.block", "report.scope.contractor"}
    )
