"""`baoxiu run` killed with SIGKILL at random moments while owners report repairs, and
started again each time; owners who get no answer do what people do: tap again, send
again, or ask where they were (/report). Afterwards every report is a ticket exactly once,
every ticket has its card, every owner has their ticket numbers, every conversation goes on.

Importing aiogram's types takes seconds of CPU (tens of seconds on a busy machine), so the
bot's process is forked from a parent that imported it once; the child runs what the
`baoxiu` command runs (bot.cli.main with "run"), and SIGKILL takes it down as it would the
command. Half of the kills aim just after a Confirm: the moment filing must be atomic.
"""

import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot import cli
from sandbox.bot_api import FakeTelegram
from tests.conftest import AQUA_GROUP
from tests.e2e.steps import register, ticket_number
from tests.fake_telegram.people import Person, jpeg

OWNERS = 4
REPORTS = 4  # each owner files this many (enough that the storm outlasts a few kills)
KILLS = 20
STORM_SECONDS = 40  # no kill after this, whatever is left of KILLS
PATIENCE = 3.0  # seconds an owner waits for an answer before trying again
LEAK = "water is dripping from the bathroom ceiling"

ZYGOTE = """
import os, signal, sys
from bot import app, cli  # the slow imports, once; every start below is a fork of this
from storage import database

signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the dead are reaped at once
for line in sys.stdin:
    config, log = line.split()
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(output, 1)
        os.dup2(output, 2)
        code = cli.main(["run", "--config", config])
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    print(pid, flush=True)
"""


class BotProcess:
    def __init__(self, config_path: Path, telegram: FakeTelegram):
        self.config_path = config_path
        self.telegram = telegram
        self.logs = config_path.parent / "runs"
        self.logs.mkdir()
        self.zygote: asyncio.subprocess.Process | None = None
        self.pid: int | None = None
        self.starts = 0

    async def start(self) -> None:
        if self.zygote is None:
            self.zygote = await asyncio.create_subprocess_exec(
                sys.executable, "-c", ZYGOTE, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
            )
        polls = self.telegram.polls
        self.starts += 1
        self.zygote.stdin.write(f"{self.config_path} {self.logs / f'run-{self.starts:02d}.log'}\n".encode())
        await self.zygote.stdin.drain()
        self.pid = int(await asyncio.wait_for(self.zygote.stdout.readline(), 120))
        await self.telegram.wait_for(lambda: self.telegram.polls > polls, 120, "the bot to poll")

    async def kill(self, how: int = signal.SIGKILL) -> None:
        os.kill(self.pid, how)
        deadline = time.monotonic() + 30
        while _alive(self.pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert not _alive(self.pid), f"bot process {self.pid} outlived signal {how}"

    async def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            await self.kill(signal.SIGTERM)
        if self.zygote is not None:
            self.zygote.stdin.close()
            await asyncio.wait_for(self.zygote.wait(), 10)

    def output(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.logs.glob("*.log")))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class Owner:
    person: Person
    unit: str
    rng: random.Random
    confirmed: asyncio.Event
    numbers: set[str] = field(default_factory=set)
    actions: int = 0

    def prompt(self) -> tuple[dict, str] | None:
        """The newest message that asks the owner for something, and what it asks."""
        for message in reversed(self.person.tg.chat_messages(self.person.id)):
            text = message.get("text") or ""
            for fragment, step in PROMPTS:
                if fragment in text:
                    return message, step
        return None

    def read_numbers(self) -> None:
        for message in self.person.tg.chat_messages(self.person.id):
            if "is registered" in (message.get("text") or ""):
                self.numbers.add(ticket_number(message))

    async def act(self, message: dict | None, step: str, retry: int) -> None:
        """What a person does on seeing `message`; every second try in a row without an
        answer, ask where we were instead."""
        self.actions += 1
        owner = self.person
        if retry and retry % 2 == 0:
            await owner.send("/report")
        elif step in ("start", "filed", "describe"):
            await owner.send(LEAK)
        elif step == "photos":
            await owner.send_photo(jpeg(f"#{self.rng.randrange(1 << 24):06x}"))
        elif step in BUTTONS:
            button = BUTTONS[step].format(unit=self.unit)
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for key in row:
                    if button in key["text"]:
                        await owner.tap(key["callback_data"], message)
            if step == "summary":
                self.confirmed.set()

    async def report(self, deadline: float) -> None:
        acted_on, acted_at, retry = None, 0.0, 0
        while time.monotonic() < deadline:
            self.read_numbers()
            if len(self.numbers) >= REPORTS:
                return
            message, step = self.prompt() or (None, "start")
            seen = message["message_id"] if message else 0
            if seen != acted_on:
                acted_on, acted_at, retry = seen, time.monotonic(), 0
                await self.act(message, step, retry)
            elif time.monotonic() - acted_at > PATIENCE:
                acted_at, retry = time.monotonic(), retry + 1
                await self.act(message, step, retry)
            await asyncio.sleep(0.05)


PROMPTS = [  # the newest of these decides what an owner does next
    ("is registered", "filed"),
    ("Please check your report", "summary"),
    ("When would a visit suit you", "visit"),
    ("Send more or press", "photos_done"),
    ("at least one photo", "photos"),
    ("Where is the problem?", "place"),
    ("It sounds like", "suggestion"),
    ("What kind of problem", "category"),
    ("describe the problem", "describe"),
]
BUTTONS = {
    "summary": "Confirm",
    "visit": "Tomorrow morning",
    "photos_done": "Done",
    "place": "unit {unit}",
    "suggestion": "Yes",
    "category": "Leak",
}


async def storm(bot: BotProcess, owners: list[Owner], rng: random.Random, until: float) -> int:
    """Kill and restart the bot until KILLS or the time is up or every owner is done."""
    kills = 0
    while kills < KILLS and time.monotonic() < until and not all(len(o.numbers) >= REPORTS for o in owners):
        if kills % 2:  # just after somebody's Confirm
            for owner in owners:
                owner.confirmed.clear()
            waits = [asyncio.create_task(o.confirmed.wait()) for o in owners]
            await asyncio.wait(waits, timeout=3, return_when=asyncio.FIRST_COMPLETED)
            for wait in waits:
                wait.cancel()
            await asyncio.sleep(rng.uniform(0, 0.15))
        else:
            await asyncio.sleep(rng.uniform(0.2, 1.0))
        await bot.kill()
        kills += 1
        await asyncio.sleep(rng.uniform(0, 0.3))
        await bot.start()
    return kills


def query(database: Path, sql: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return db.execute(sql).fetchall()


@pytest.fixture
def seed() -> int:
    value = int(os.environ.get("BAOXIU_KILL_SEED", time.time()))
    print(f"kill test seed {value} (BAOXIU_KILL_SEED to repeat)")
    return value


@pytest.fixture
def owners(config_path: Path, telegram: FakeTelegram, seed: int) -> list[Owner]:
    """Owners of Block B, 0601 onwards, besides those of the shared roster."""
    roster = config_path.parent / "more-owners.csv"
    lines = ["block,unit,owner_name,phone,handover_date,language"]
    lines += [f"B,06{i:02d},Owner {i},1370001{i:04d},2018-03-31,en" for i in range(1, OWNERS + 1)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli.main(["import-units", "--config", str(config_path), str(roster)]) == 0
    return [
        Owner(
            Person(telegram, 5000 + i, f"Owner{i}", None, "en", phone=f"861370001{i:04d}"),
            f"06{i:02d}",
            random.Random(seed + i),
            asyncio.Event(),
        )
        for i in range(1, OWNERS + 1)
    ]


async def test_killed_at_random_the_bot_files_every_report_once_with_its_card_and_answer(
    config_path, telegram, people, owners, seed
):
    rng = random.Random(seed)
    database = config_path.parent / "baoxiu.db"
    bot = BotProcess(config_path, telegram)
    try:
        await bot.start()
        for owner in owners:
            await register(owner.person)
        began = time.monotonic()
        reporting = [asyncio.create_task(o.report(began + STORM_SECONDS + 60)) for o in owners]
        kills = await storm(bot, owners, rng, began + STORM_SECONDS)
        await asyncio.gather(*reporting)
        stormy = time.monotonic() - began
        print(f"{kills} kills in {stormy:.1f}s; {sum(o.actions for o in owners)} owner actions")

        def drained() -> bool:
            return not query(database, "select 1 from outbox where status = 'pending'")

        await telegram.wait_for(drained, 30, "the outbox to be sent")
        for owner in owners:  # every conversation goes on
            await owner.person.send("/report")
            asked = f"{owner.person.name} to be asked again"
            try:
                await telegram.wait_for(lambda o=owner: (o.prompt() or ({}, ""))[1] == "category", 15, asked)
            except AssertionError as error:  # what the owner read instead
                last = [m.get("text") for m in telegram.chat_messages(owner.person.id)[-3:]]
                raise AssertionError(f"{error}; the bot's last words: {last}") from None
    finally:
        await bot.close()

    assert kills >= 6, f"only {kills} kills: the storm was too short to mean much"
    tickets = query(database, "select id, number, owner_user_id from ticket order by id")
    for owner in owners:
        filed = {number for _id, number, user in tickets if user == owner.person.id}
        assert owner.numbers == filed, f"{owner.person.name} was told {owner.numbers}, filed were {filed}"
        assert len(filed) == REPORTS
    without_card = query(
        database,
        "select number from ticket where id not in "
        f"(select ticket_id from outbox where purpose = 'card' and status = 'sent' and chat_id = {AQUA_GROUP})",
    )
    assert without_card == []
    shared_photos = query(
        database, "select file_id from ticket_photo group by file_id having count(distinct ticket_id) > 1"
    )
    assert shared_photos == []  # one report filed twice would share its photos
    assert query(database, "select count(*) from ticket where id not in (select ticket_id from ticket_photo)") == [(0,)]
    assert "Traceback" not in bot.output()
