"""The archive: the records of a period written to a workbook or to CSV files, and the
purge of records older than the retention period (records are kept `retention_years`)."""

import csv
import json
import logging
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from domain.warranty import add_months
from services.context import Services
from storage.archive import ArchiveRepository
from storage.unit_of_work import UnitOfWork
from storage.work_records import WorkRecordRepository

log = logging.getLogger(__name__)

MAX_WIDTH = 60


def period(since: date, until: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """From the start of `since` to the end of `until`, in the property's time."""
    return datetime.combine(since, time(0), tz), datetime.combine(until + timedelta(days=1), time(0), tz)


async def export(uow: UnitOfWork, since: date, until: date, tz: tzinfo, fmt: str, output: Path) -> dict[str, int]:
    """Write the period to `output` (a .xlsx file, or a folder of CSV files); the row count per table."""
    starts, ends = period(since, until, tz)
    tables = await ArchiveRepository(uow.session).period(starts, ends)
    tables |= await WorkRecordRepository(uow.session).period(starts, ends)  # a sheet of materials beside the tickets
    if fmt == "xlsx":
        _workbook(tables, tz, output)
    else:
        _csv_files(tables, output)
    return {name: len(rows) for name, rows in tables.items()}


def _cell(value: Any, tz: tzinfo) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(tz).replace(tzinfo=None)  # a spreadsheet date has no zone
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _workbook(tables: dict[str, list[dict[str, Any]]], tz: tzinfo, output: Path) -> None:
    from openpyxl import Workbook  # on first use: the bot itself never needs it
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        sheet = book.create_sheet(name)
        columns = list(rows[0]) if rows else ["id"]
        sheet.append(columns)
        for row in rows:
            sheet.append([_cell(row[column], tz) for column in columns])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for index, column in enumerate(columns, start=1):
            longest = max([len(str(column)), *(len(str(_cell(row[column], tz) or "")) for row in rows)])
            sheet.column_dimensions[get_column_letter(index)].width = min(longest + 2, MAX_WIDTH)
    output.parent.mkdir(parents=True, exist_ok=True)
    book.save(output)


def _csv_files(tables: dict[str, list[dict[str, Any]]], output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = list(rows[0]) if rows else ["id"]
        with (output / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as file:  # BOM: Excel reads UTF-8
            writer = csv.writer(file)
            writer.writerow(columns)
            for row in rows:
                writer.writerow([value.isoformat() if isinstance(value, datetime) else value for value in row.values()])


def retention_cutoff(now: datetime, years: int, tz: tzinfo) -> datetime:
    return datetime.combine(add_months(now.astimezone(tz).date(), -12 * years), time(0), tz)


async def purge(services: Services) -> dict[str, int]:
    """Delete what is older than the retention period; the log says how much, never whose."""
    cutoff = retention_cutoff(services.clock.now(), services.policy.retention_years, services.tz)
    async with services.unit_of_work() as uow:
        counts, files = await ArchiveRepository(uow.session).purge(cutoff)
    for path in files:  # after the commit: a rolled-back purge keeps its photos
        Path(path).unlink(missing_ok=True)
    removed = " ".join(f"{table}={count}" for table, count in counts.items())
    log.info("purged records filed before %s: %s photo_files=%d", cutoff.date().isoformat(), removed, len(files))
    return counts
