"""A report in the chat: its title, its scope and the headline figures, in the reader's
language; the rows behind them go to the workbook (views/workbooks.py)."""

from collections.abc import Mapping
from typing import Any

from domain.reporting import ReportKind, Share
from services.reporting import Report
from services.reporting.model import Figure
from views.i18n import Translator

TRANSLATED = {"category", "severity", "topic", "dimension", "status", "age"}
AGE_PREFIX = "report.age."
Names = Mapping[str, Mapping[str, str]]  # column → code → what people call it (a contractor, a block)
NO_NAMES: Names = {}
LISTED = 5  # open complaints, recurring problems: the first few in the chat, all in the workbook


def figure(t: Translator, value: Figure) -> str:
    if value is None:
        return "—"
    if isinstance(value, Share):
        return t("report.share", part=value.part, whole=value.whole, percent=percent(value.percent))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def cell_label(t: Translator, column: str, value: Any, names: Names = NO_NAMES) -> Any:
    """A code in a row as the reader says it (a category, a severity, a contractor's name);
    other values as they are."""
    if isinstance(value, str) and value in names.get(column, {}):
        return names[column][value]
    if isinstance(value, bool):
        return t("report.yes") if value else t("report.no")
    if column in TRANSLATED and isinstance(value, str):
        key = f"{AGE_PREFIX}{value}" if column == "age" else f"{column}.{value}"
        text = t(key)
        return value if text == key else text
    return value


def title(t: Translator, report: Report, names: Names = NO_NAMES) -> str:
    scope = report.scope
    lines = [t(f"report.title.{report.kind}", period=scope.period.label)]
    if scope.block:
        lines.append(t("report.scope.block", block=cell_label(t, "block", scope.block, names)))
    if scope.contractor:
        lines.append(t("report.scope.contractor", contractor=cell_label(t, "contractor", scope.contractor, names)))
    return "\n".join(lines)


def report_text(t: Translator, report: Report, names: Names = NO_NAMES) -> str:
    lines = [title(t, report, names), ""]
    lines += [
        t("report.line", label=t(f"report.figure.{name}"), value=figure(t, value))
        for name, value in report.figures.items()
    ]
    lines += _highlights(t, report, names)
    lines += ["", t("report.see_files")]
    return "\n".join(lines)


def _highlights(t: Translator, report: Report, names: Names) -> list[str]:
    """The few rows a manager acts on at once."""
    if report.kind is ReportKind.WEEK:
        rows = report.section("open_complaints").rows
        return _listed(
            t,
            "report.open_line",
            rows,
            lambda r: {"number": r[0], "severity": cell_label(t, "severity", r[2]), "days": r[5]},
        )
    if report.kind is ReportKind.QUARTER:
        rows = report.section("same_repairs").rows
        return _listed(
            t,
            "report.repair_line",
            rows,
            lambda r: {
                "block": cell_label(t, "block", r[0], names),
                "unit": r[1],
                "category": cell_label(t, "category", r[2]),
                "times": r[3],
            },
        )
    if report.kind is ReportKind.MONTH:
        rows = report.section("satisfaction").rows
        return [""] + [
            t("report.line", label=cell_label(t, "dimension", r[0]), value=figure(t, Share(r[1], r[2]))) for r in rows
        ]
    return []


def _listed(t: Translator, key: str, rows: list[tuple], values) -> list[str]:
    if not rows:
        return []
    lines = [""] + [t(key, **values(row)) for row in rows[:LISTED]]
    if len(rows) > LISTED:
        lines.append(t("report.more", count=len(rows) - LISTED))
    return lines


def file_name(report: Report, extension: str) -> str:
    parts = [str(report.kind), report.scope.period.label, report.scope.block or "", report.scope.contractor or ""]
    return "-".join(p for p in parts if p) + f".{extension}"
