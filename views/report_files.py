"""A report made ready to send: the chat text, the chart and the workbook, each in the
reader's language (the chart in English when no CJK font is installed)."""

import asyncio
import threading
from dataclasses import dataclass

from services.reporting import Report
from settings.config import Config
from views.charts import chart_png, chart_translator
from views.i18n import Catalogs
from views.report_text import NO_NAMES, Names, file_name, report_text
from views.workbooks import workbook_bytes

_drawing = threading.Lock()  # pyplot keeps global state: one chart at a time


@dataclass(frozen=True)
class ReportFiles:
    text: str
    chart: bytes
    chart_name: str
    workbook: bytes
    workbook_name: str


def _render(report: Report, catalogs: Catalogs, language: str, names: Names) -> ReportFiles:
    t = catalogs.translator(language)
    with _drawing:
        chart = chart_png(report, chart_translator(catalogs, language), names)
    return ReportFiles(
        report_text(t, report, names),
        chart,
        file_name(report, "png"),
        workbook_bytes(report, t, names),
        file_name(report, "xlsx"),
    )


async def render_report(report: Report, catalogs: Catalogs, language: str, names: Names = NO_NAMES) -> ReportFiles:
    """Drawn in a worker thread: a chart takes a fraction of a second the bot keeps answering in."""
    return await asyncio.to_thread(_render, report, catalogs, language, names)


def report_names(config: Config) -> Names:
    """Contractors and blocks as the config names them, for the text, chart and workbook."""
    contractors = {c.code: c.name for c in config.contractors}
    return {"contractor": contractors, "block": {b.code: b.name for b in config.blocks}}
