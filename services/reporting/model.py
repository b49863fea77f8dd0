"""What a report is made of: headline figures for the chat, and sections of rows (one
sheet each in the workbook), plus which sections a chart draws."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from domain.reporting import Period, ReportKind, Share

Figure = Share | int | float | None


@dataclass(frozen=True)
class Section:
    key: str  # names the sheet: report.sheet.<key>
    columns: tuple[str, ...]  # each names a header: report.col.<column>
    rows: list[tuple[Any, ...]]

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]


@dataclass(frozen=True)
class Chart:
    """One panel: a section's label column against a value column (a percent, a count or
    days); `band` shades a reference range such as the industry's days to resolve."""

    section: str
    label: str
    value: str
    title: str  # report.chart.<title>
    line: bool = False
    band: tuple[float, float] | None = None
    target: float | None = None  # a dashed line: the rate the service aims at


@dataclass(frozen=True)
class Scope:
    period: Period
    block: str | None = None
    contractor: str | None = None

    def bounds(self, tz: ZoneInfo, now: datetime) -> tuple[datetime, datetime]:
        """The period as UTC instants; a period not over yet ends now (the month so far)."""
        start = datetime.combine(self.period.start, time(), tz).astimezone(UTC)
        end = datetime.combine(self.period.end, time(), tz).astimezone(UTC)
        return start, min(end, now)


@dataclass
class Report:
    kind: ReportKind
    scope: Scope
    figures: dict[str, Figure] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A moment as the property's wall clock, without a zone (a spreadsheet keeps none)."""
    return None if moment is None else moment.astimezone(tz).replace(tzinfo=None, microsecond=0)


def local_day(moment: datetime | None, tz: ZoneInfo) -> date | None:
    return None if moment is None else moment.astimezone(tz).date()


def days_between(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 86400, 1)
