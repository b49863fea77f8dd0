"""Benchmark: the clock and the lists with years of history behind them.

Seeds a property group of 20 blocks and 10,000 units with 100,000 tickets (bench/scale_seed.py)
into a fresh database, then times, through the code the bot runs:
- the clock's sweep (clock/scheduler.py: tickets, callbacks, complaints, surveys): the first
  after the upgrade (every open ticket looked at once), steady (a tick later), catching up
  after a 6-hour pause, and steady again; while catching up, a ticker measures the longest
  stall of the event loop and a manager's /open is asked every 50 ms, as commands would be;
- the lists through the services the handlers call (services/lists.py): /open, /open with a
  filter, its last page, /overdue, an engineer's /my, an owner's /my, and a ticket card;
- what reads much of the history: the month's and the quarter's reports, the morning
  digest's figures and closing the yearly survey of every owner (its workbook drawn), each
  with the longest stall of the event loop it caused, and an engineer leaving his group.
Prints a table of milliseconds (median and worst of the repeats) per operation.

    .venv/bin/python -m bench.scale [--tickets 100000] [--pg postgresql+asyncpg://user@host:port/db]

SQLite in a temporary folder; with --pg, that database's public schema is dropped and rebuilt.
"""

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import TypeVar, cast

from sqlalchemy import func, text
from sqlmodel import col, select

from bench.scale_seed import BLOCKS, seed
from bot.app import App, build
from bot.heap import settle
from clock.scheduler import DIGEST_LINES
from domain.job import DEADLINES_RUN, ENGINEER_HOLDS, OPEN
from domain.reporting import ReportKind, current_period
from sandbox.bot_api import FakeTelegram
from services import lists
from services.lists import OpenFilter
from services.reporting import Scope, build_report
from settings.config import load_config
from storage.database import create_engine, migrate
from storage.tables import SurveyRow, TicketRow
from storage.ticket_lists import Page, TicketFilter
from tests.conftest import write_config
from tests.fakes import SettableClock
from views import survey_report

MONDAY_MORNING = datetime(2026, 11, 23, 2, tzinfo=UTC)  # 10:00 in Shanghai
REPEATS = 20
T = TypeVar("T")


@dataclass
class Timings:
    rows: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    async def time(self, name: str, act: Callable[[], Awaitable[T]], repeats: int = 1) -> T:
        for _ in range(repeats):
            started = time.perf_counter()
            result = await act()
            self.rows.setdefault(name, []).append(1000 * (time.perf_counter() - started))
        return result

    def table(self) -> list[str]:
        lines = [f"  {'operation':<44} {'median ms':>10} {'worst ms':>10}  note"]
        for name, values in self.rows.items():
            note = self.notes.get(name, "")
            lines.append(f"  {name:<44} {statistics.median(values):10.1f} {max(values):10.1f}  {note}")
        return lines


class LoopWatch:
    """A ticker that wakes every 5 ms and keeps the longest it was kept waiting past that,
    with the CPU time this thread spent meanwhile: near the stall, our own code held the
    loop; far below it, the machine's other work or another thread held the CPU."""

    def __init__(self) -> None:
        self.longest = 0.0
        self.longest_cpu = 0.0
        self._task: asyncio.Task | None = None

    async def _tick(self) -> None:
        while True:
            expected, cpu = time.perf_counter() + 0.005, time.thread_time()
            await asyncio.sleep(0.005)
            late = time.perf_counter() - expected
            if late > self.longest:
                self.longest, self.longest_cpu = late, time.thread_time() - cpu

    def __enter__(self) -> "LoopWatch":
        self._task = asyncio.create_task(self._tick())
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._task:
            self._task.cancel()


async def sweeps(app: App, clock: SettableClock, timings: Timings) -> None:
    sent = await timings.time("sweep: first after the upgrade", app.clock.sweep)
    timings.notes["sweep: first after the upgrade"] = f"{sent} notices"
    await steady(app, clock, timings, "sweep: steady (every 30 s)")
    clock.advance(timedelta(hours=6))
    commands: list[float] = []

    async def manager_asks() -> None:
        while True:
            started = time.perf_counter()
            async with app.services.unit_of_work() as uow:
                await lists.open_jobs(uow, OpenFilter(), 0)
            commands.append(1000 * (time.perf_counter() - started))
            await asyncio.sleep(0.05)

    with LoopWatch() as watch:
        asking = asyncio.create_task(manager_asks())
        sent = await timings.time("sweep: catching up after 6 hours", app.clock.sweep)
        asking.cancel()
    timings.notes["sweep: catching up after 6 hours"] = f"{sent} notices"
    timings.rows["  longest event-loop stall meanwhile"] = [1000 * watch.longest]
    timings.notes["  longest event-loop stall meanwhile"] = f"{1000 * watch.longest_cpu:.0f} ms of it on our CPU"
    timings.rows["  /open asked meanwhile"] = commands or [0.0]
    timings.notes["  /open asked meanwhile"] = f"{len(commands)} asked"
    await steady(app, clock, timings, "sweep: steady after catching up")


async def steady(app: App, clock: SettableClock, timings: Timings, name: str) -> None:
    """Five ticks 30 s apart; what fell due in them is sent as on any tick."""
    sent = 0
    for _ in range(5):
        clock.advance(timedelta(seconds=30))
        sent += await timings.time(name, app.clock.sweep)
    timings.notes[name] = f"{sent} notices in 5 ticks"


async def lists_(app: App, clock: SettableClock, timings: Timings) -> None:
    services = app.services
    async with services.unit_of_work() as uow:
        held_most = (
            select(TicketRow.engineer_user_id)
            .where(col(TicketRow.status).in_(sorted(ENGINEER_HOLDS)))
            .group_by(col(TicketRow.engineer_user_id))
            .order_by(func.count().desc())
            .limit(1)
        )
        busiest = await uow.session.scalar(held_most)
        last = await uow.session.scalar(select(func.max(TicketRow.id)))
        owner = await uow.session.scalar(select(TicketRow.owner_user_id).where(TicketRow.id == last))

    async def page(act: Callable[..., Awaitable[Page]], *args: object) -> Page:
        async with services.unit_of_work() as uow:
            return await act(uow, *args)

    first = await timings.time("/open (first page)", lambda: page(lists.open_jobs, OpenFilter(), 0), REPEATS)
    timings.notes["/open (first page)"] = f"{first.total} open"
    last_page = first.pages - 1
    await timings.time("/open (last page)", lambda: page(lists.open_jobs, OpenFilter(), last_page), REPEATS)
    narrowed = OpenFilter(block=BLOCKS[3], urgency="urgent")
    await timings.time("/open block=D urgency=urgent", lambda: page(lists.open_jobs, narrowed, 0), REPEATS)
    late = await timings.time("/overdue", lambda: overdue(app), REPEATS)
    timings.notes["/overdue"] = f"{late.total} overdue"
    held = await timings.time("/my (an engineer's jobs)", lambda: page(lists.held_jobs, busiest, 0), REPEATS)
    timings.notes["/my (an engineer's jobs)"] = f"{held.total} held"
    mine = await timings.time("/my (an owner's requests)", lambda: page(lists.owners_tickets, owner, 0), REPEATS)
    timings.notes["/my (an owner's requests)"] = f"{mine.total} filed"

    async def card() -> object:
        async with services.unit_of_work() as uow:
            return await lists.ticket_card(uow, (last or 2) // 2, 15)

    await timings.time("a ticket card (/ticket N)", card, REPEATS)


async def manager_reads(app: App, timings: Timings) -> None:
    """The managers' reports and the morning digest over the whole history, each with the
    longest stall of the event loop it caused (what every owner waits meanwhile), and the
    release of a leaving engineer's jobs."""
    services, now = app.services, app.services.clock.now()
    today = now.astimezone(services.tz).date()

    async def report(kind: ReportKind) -> object:
        async with services.unit_of_work() as uow:
            return await build_report(uow, kind, Scope(current_period(kind, today)), services.tz, now)

    async def digest_figures() -> object:
        async with services.unit_of_work() as uow:
            return await uow.tickets.morning_figures(OPEN, DEADLINES_RUN, now, DIGEST_LINES)

    async def held_jobs() -> object:
        async with services.unit_of_work() as uow:
            busiest = (await uow.tickets.page(TicketFilter(statuses=ENGINEER_HOLDS), 0, 1)).tickets[0]
            holder = (busiest.engineer_user_id or 0, busiest.contractor_code or "")
            return await uow.tickets.open_tickets(ENGINEER_HOLDS, held_by=holder)

    async def close_survey() -> object:
        async with services.unit_of_work() as uow:
            survey_id = await uow.session.scalar(select(SurveyRow.id).where(SurveyRow.status == "open"))
            return await survey_report.close(app.notifier, uow, survey_id or 0)

    acts = [(f"/report {kind}", partial(report, kind)) for kind in (ReportKind.MONTH, ReportKind.QUARTER)]
    acts += [("morning digest's figures", digest_figures), ("a leaving engineer's jobs", held_jobs)]
    acts += [("closing the survey, with its workbook", close_survey)]  # once: it stays closed
    for name, act in acts:
        stalls = []
        for _ in range(1 if act is close_survey else 3):
            with LoopWatch() as watch:
                await asyncio.sleep(0.012)  # the watch is ticking
                await timings.time(name, act)
                await asyncio.sleep(0.012)  # and sees how late its last tick came
            stalls.append(1000 * watch.longest)
        timings.notes[name] = f"longest event-loop stall {max(stalls):.0f} ms"


async def overdue(app: App) -> Page:
    async with app.services.unit_of_work() as uow:
        return await lists.overdue_jobs(app.services, uow, 0)


async def run(tickets: int, database: str | None) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        telegram = SimpleNamespace(token="1:bench", url="http://127.0.0.1:9")  # never reached
        config_path = write_config(Path(folder), cast(FakeTelegram, telegram))
        if database:
            await fresh_postgres(database)
            config_text = config_path.read_text(encoding="utf-8")
            config_path.write_text(config_text.replace(f"sqlite+aiosqlite:///{folder}/baoxiu.db", database))
        clock = SettableClock(MONDAY_MORNING)
        app = build(load_config(config_path), clock)
        await migrate(app.engine)
        started = time.perf_counter()
        counts = await seed(app.engine, tickets, MONDAY_MORNING, app.services.policy)
        if database:
            await analyze(app)
        seeded = time.perf_counter() - started
        settle()  # as `baoxiu run` does once built (bot/heap.py); the seeding's leftovers go with it
        timings = Timings()
        await sweeps(app, clock, timings)
        await lists_(app, clock, timings)
        await manager_reads(app, timings)
        await app.engine.dispose()
    kind = "PostgreSQL" if database else "SQLite"
    described = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    return [f"{kind}: seeded in {seeded:.0f} s: {described}", *timings.table()]


async def fresh_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def analyze(app: App) -> None:
    """Statistics for the planner and the sequences past the ids seeded by hand, as a
    database that grew by itself would have them."""
    async with app.engine.begin() as connection:
        for table in ("ticket", "unit"):
            await connection.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
        await connection.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--pg", help="a PostgreSQL URL (postgresql+asyncpg://…) to run on instead of SQLite")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores (shared: the figures include whatever else runs)")
    for line in asyncio.run(run(args.tickets, args.pg)):
        print(line, flush=True)


if __name__ == "__main__":
    main()
