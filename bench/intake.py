"""Benchmark: a storm of owners reporting at once, beside an echo bot and a floor bot.

For each N (default 10, 50, 200): on one fake Bot API server, first an echo bot answers N
people sending nine messages each, then the floor bot does the same (bench/peers.py: what
every update of a repair desk must do, nothing else: its id recorded once, the conversation
in the same database, one transaction committed before its one answer), then baoxiu takes N
owners through binding and a full leak report with a photo (nine updates each), every one
in a closed loop. Prints updates/s, the CPU per update, p50/p99 per step, the ratios to the
echo and to the floor (measured in the same run, so a busy machine slows all three) and
anything logged at ERROR.

The echo bot is the plain one people write: it runs with Python's own collector settings,
while baoxiu settles its heap once built, as `baoxiu run` does (bot/heap.py). All share this
process, so the settings are put back before each echo run; the echo is also run once more
with baoxiu's settings, and that ratio is printed beside the first. The floor bot runs with
baoxiu's settings, since it stands for baoxiu's own necessary work.

    .venv/bin/python -m bench.intake [--owners 10,50,200] [--database sqlite|postgres] [--profile FILE] [--count]

--count adds, per baoxiu update, the SQL statements sent and the hops to a thread (aiogram
runs a plain function, e.g. a magic filter, in a thread; aiosqlite runs each statement in its
own); counting costs a little, so the figures of such a run are not the ones to quote.

PostgreSQL: BAOXIU_TEST_POSTGRES_URL, else the test database of .ci/run; its schema is
dropped and rebuilt for each N.
"""

import argparse
import asyncio
import cProfile
import gc
import logging
import os
import re
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from bench.owners import FIRST_OWNER, Owner, StormTelegram, write_roster
from bench.peers import EchoBot, FloorBot
from bot import cli
from bot.app import build, serve
from bot.heap import settle
from settings.config import load_config
from storage.database import create_engine
from tests.conftest import People, write_config
from tests.fakes import SettableClock

POSTGRES = os.environ.get("BAOXIU_TEST_POSTGRES_URL", "postgresql+asyncpg://baoxiu:baoxiu@127.0.0.1:5432/baoxiu_test")
MONDAY_MORNING = datetime(2026, 11, 23, 2, tzinfo=UTC)  # 10:00 in Shanghai: working hours
STEPS_PER_PERSON = 9
ECHO_FIRST = 5_000_000
FLOOR_FIRST = 6_000_000
PYTHONS_COLLECTOR = gc.get_threshold()  # before any settle()


@dataclass
class Run:
    people: int
    updates: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    answered: int = 0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0


class ErrorCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record).splitlines()[0])


async def closed_loop(people: list, act) -> Run:
    run = Run(len(people))
    started, cpu = time.monotonic(), time.process_time()
    results = await asyncio.gather(*(act(person) for person in people), return_exceptions=True)
    run.seconds, run.cpu = time.monotonic() - started, time.process_time() - cpu
    for person, result in zip(people, results, strict=True):
        run.updates += person.updates
        for step, seconds in person.latencies:
            run.latencies[step].append(seconds)
        if isinstance(result, BaseException):
            run.failures.append(f"{type(result).__name__}: {result}")
        else:
            run.answered += 1
    return run


class Tally:
    """SQL statements and hops to a thread, counted while baoxiu runs (--count); aiosqlite
    runs each call in its own thread, the rest go to the loop's executor."""

    def __init__(self) -> None:
        self.statements = self.hops = self.sqlite_calls = 0
        self.counting = False
        event.listen(Engine, "before_cursor_execute", self._statement)
        run_in_executor = asyncio.BaseEventLoop.run_in_executor
        execute = aiosqlite.Connection._execute

        def counted_run_in_executor(loop, *args):
            self.hops += self.counting
            return run_in_executor(loop, *args)

        async def counted_execute(connection, *args, **kwargs):
            self.sqlite_calls += self.counting
            return await execute(connection, *args, **kwargs)

        asyncio.BaseEventLoop.run_in_executor = counted_run_in_executor  # type: ignore[method-assign]
        aiosqlite.Connection._execute = counted_execute  # type: ignore[method-assign]

    def _statement(self, *_args) -> None:
        self.statements += self.counting


# ---- the echo bot -------------------------------------------------------------------------
def pythons_collector() -> None:
    """Python's own collector settings, as a plain echo bot runs with, on a heap just
    collected: a full collection (125 ms here) falling inside a run of half a second would
    otherwise decide the echo's figure."""
    gc.unfreeze()
    gc.set_threshold(*PYTHONS_COLLECTOR)
    gc.collect()


async def peer_run(tg: StormTelegram, peer: EchoBot, count: int, first: int, step: str) -> Run:
    await peer.start()
    try:
        return await chatting(tg, count, first, step)
    finally:
        await peer.stop()


async def chatting(tg: StormTelegram, count: int, first: int, step: str) -> Run:
    """`count` people (ids from `first`, after the owners') each send nine texts, closed loop."""
    people = [Owner(tg, first - FIRST_OWNER + i) for i in range(count)]

    async def chat(person: Owner) -> None:
        for index in range(STEPS_PER_PERSON):
            words = f"{step} {person.index} {index}"
            await person.step(step, person._message(text=words), words)

    return await closed_loop(people, chat)


# ---- baoxiu -------------------------------------------------------------------------------
async def baoxiu_run(tg: StormTelegram, count: int, folder: Path, database: str, tally: Tally | None) -> Run:
    People(tg)  # the engineer groups and managers the cards and alerts go to
    config_path = write_config(folder, tg)
    if database == "postgres":
        await fresh_postgres()
        config_text = config_path.read_text(encoding="utf-8")
        config_path.write_text(re.sub(r'database_url = ".*"', f'database_url = "{POSTGRES}"', config_text))
    roster = ["import-units", "--config", str(config_path), str(write_roster(folder, count))]
    assert await asyncio.to_thread(cli.main, roster) == 0  # the command runs its own event loop
    clock = SettableClock(MONDAY_MORNING)
    app = build(load_config(config_path), clock)
    settle()  # as `baoxiu run` does once it is built (bot/heap.py)
    polls = tg.polls
    serving = asyncio.create_task(serve(app, handle_signals=False))
    await tg.wait_for(lambda: tg.polls > polls or serving.done(), 30, "the bot to poll")
    owners = [Owner(tg, i, timeout=60) for i in range(count)]
    if tally:
        tally.counting, tally.statements, tally.hops, tally.sqlite_calls = True, 0, 0, 0
    run = await closed_loop(owners, Owner.report_a_leak)
    if tally:
        tally.counting = False
    numbers = [o.number for o in owners if o.number]
    if len(set(numbers)) != len(numbers):
        run.failures.append(f"ticket numbers repeat: {len(numbers) - len(set(numbers))} twice")
    await app.stop()
    await asyncio.wait_for(serving, 30)
    return run


async def fresh_postgres() -> None:
    engine = create_engine(POSTGRES)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


# ---- the report ---------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def describe(name: str, run: Run) -> list[str]:
    lines = [
        f"  {name}: {run.answered}/{run.people} answered, {run.updates} updates in {run.seconds:.2f} s = "
        f"{run.rate:.1f} updates/s, {1000 * run.cpu / max(run.updates, 1):.1f} ms CPU per update"
    ]
    for step, values in run.latencies.items():
        p50, p99 = percentile(values, 0.50), percentile(values, 0.99)
        lines.append(f"    {step:<16} p50 {1000 * p50:7.1f} ms   p99 {1000 * p99:7.1f} ms")
    lines += [f"    failed: {failure}" for failure in run.failures[:5]]
    return lines


async def one_size(count: int, database: str, errors: ErrorCount, tally: Tally | None = None) -> list[str]:
    tg = StormTelegram()
    await tg.start()
    try:
        before = len(errors.records)
        with tempfile.TemporaryDirectory() as folder:
            pythons_collector()
            echo = await peer_run(tg, EchoBot(tg.token, tg.url), count, ECHO_FIRST, "echo")
            settle()
            echo_settled = await peer_run(tg, EchoBot(tg.token, tg.url), count, ECHO_FIRST + count, "echo")
            if database == "postgres":
                await fresh_postgres()
            floor_db = POSTGRES if database == "postgres" else f"sqlite+aiosqlite:///{folder}/floor.db"
            floor = await peer_run(tg, FloorBot(floor_db, tg.token, tg.url), count, FLOOR_FIRST, "floor")
            logged, requests = len(errors.records), len(tg.requests)
            echo.failures += [f"logged: {record}" for record in errors.records[before:logged]]
            baoxiu = await baoxiu_run(tg, count, Path(folder), database, tally)
    finally:
        await tg.stop()
    calls = Counter(r.method for r in tg.requests[requests:])
    new_errors = errors.records[logged:]
    lines = [f"{count} owners ({database}):", *describe("echo bot", echo), *describe("floor bot", floor)]
    lines += describe("baoxiu", baoxiu)
    lines.append(
        f"  ratio to echo: {baoxiu.rate / echo.rate:.3f} (to the echo with baoxiu's collector settings: "
        f"{baoxiu.rate / echo_settled.rate:.3f}); the floor's to that echo: {floor.rate / echo_settled.rate:.3f}; "
        f"ratio to the floor: {baoxiu.rate / floor.rate:.3f}   errors logged: {len(new_errors)}"
    )
    per_update = ", ".join(f"{method} {n / max(baoxiu.updates, 1):.2f}" for method, n in calls.most_common(8))
    lines.append(f"  Bot API calls per baoxiu update: {per_update}")
    if tally:
        per = max(baoxiu.updates, 1)
        statements, hops, calls = tally.statements / per, tally.hops / per, tally.sqlite_calls / per
        lines.append(
            f"  per baoxiu update: {statements:.1f} SQL statements, {hops:.1f} hops to a worker thread, "
            f"{calls:.1f} to aiosqlite's"
        )
    lines += [f"    {record}" for record in new_errors[:5]]
    if tg.problems:
        lines.append(f"  Bot API problems: {tg.problems[:3]}")
    return lines


async def main_async(sizes: list[int], database: str, count: bool = False) -> None:
    errors = ErrorCount()
    logging.basicConfig(level=logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.CRITICAL)  # errors are counted and summed up below instead
    logging.getLogger().addHandler(errors)
    print(f"machine: {os.cpu_count()} cores; database: {database}")
    tally = Tally() if count else None
    await one_size(2, database, errors)  # warm up: aiogram builds its types' validators on first use
    for size in sizes:
        for line in await one_size(size, database, errors, tally):
            print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", default="10,50,200", help="comma-separated sizes of the storm")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--profile", help="write a cProfile of the whole run to this file")
    parser.add_argument("--count", action="store_true", help="count SQL statements and thread hops per update")
    args = parser.parse_args()
    sizes = [int(size) for size in args.owners.split(",")]
    if args.profile:
        cProfile.runctx("asyncio.run(main_async(sizes, args.database, args.count))", globals(), locals(), args.profile)
    else:
        asyncio.run(main_async(sizes, args.database, args.count))


if __name__ == "__main__":
    main()
