"""A report as an XLSX workbook: the headline figures first, then one sheet per section
with the rows behind them; headers frozen, filters on, columns fitted, dates as dates.

openpyxl is imported at the first workbook, not at start: every worker would carry it for
the few reports a month that need it."""

import io
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from domain.reporting import Share
from services.reporting import Report, Section
from views.i18n import Translator
from views.report_text import NO_NAMES, Names, cell_label

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL_COLOUR = "DDE6F2"
MAX_WIDTH = 60
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet's name


def summary(report: Report) -> Section:
    """The headline figures as rows: a share keeps its count, its total and its percent."""
    rows: list[tuple[Any, ...]] = []
    for name, value in report.figures.items():
        if isinstance(value, Share):
            rows.append((name, value.part, value.whole, value.percent))
        else:
            rows.append((name, value, None, None))
    return Section("summary", ("figure", "value", "of", "percent"), rows)


def workbook_bytes(report: Report, t: Translator, names: Names = NO_NAMES) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for section in [summary(report), *report.sections]:
        _sheet(book.create_sheet(_sheet_title(t, section.key)), section, t, names)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(t: Translator, key: str) -> str:
    return FORBIDDEN.sub(" ", t(f"report.sheet.{key}"))[:31]


def _sheet(sheet: "Worksheet", section: Section, t: Translator, names: Names) -> None:
    from openpyxl.styles import Font, PatternFill

    sheet.append([t(f"report.col.{column}") for column in section.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL_COLOUR)
    for row in section.rows:
        sheet.append(
            [_value(t, section.key, column, value, names) for column, value in zip(section.columns, row, strict=True)]
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit_columns(sheet)


def _value(t: Translator, key: str, column: str, value: Any, names: Names) -> Any:
    if key == "summary" and column == "figure":
        return t(f"report.figure.{value}")
    return cell_label(t, column, value, names)


def _fit_columns(sheet: "Worksheet") -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(sheet.iter_cols(), start=1):
        width = max((_width(cell.value) for cell in column), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, max(8, width + 2))


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    text = str(value)
    # a Chinese character takes about two columns
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
