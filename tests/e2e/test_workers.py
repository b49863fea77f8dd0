"""Two `baoxiu run` workers in webhook mode behind one URL, sharing one PostgreSQL and one
Redis: any worker takes any update, a twin delivered to both is handled once, the clock runs
in one of them, and when that one is killed the other takes the clock over.

The fake Bot API has no webhook delivery of its own, so the test delivers as Telegram does:
each update is posted to the public URL (a round-robin proxy in front of the workers), and
posted again until a worker answers 200. Some updates are also posted straight to each worker
at once, as when Telegram was not sure a delivery arrived and sent it again.
"""

import asyncio
import contextlib
import glob
import os
import random
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import text

from bot import cli
from bot.leader import REDIS_KEY, ClockLeader
from sandbox.bot_api import FakeTelegram
from storage.database import create_engine
from tests.conftest import AQUA_GROUP, write_config
from tests.e2e.cluster import PATIENCE, Delivery, Proxy, Workers
from tests.e2e.test_webhook import free_port, webhook_config
from tests.fake_telegram.people import Person, jpeg

OWNERS = 12
LEADS = "this worker runs the clock"
REDIS = shutil.which("redis-server")


def _postgres_bin(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed: .ci/run installs it")
    pytest.skip(f"{what} is not installed here")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster of its own (initdb, pg_ctl), removed afterwards."""
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        _missing("PostgreSQL (initdb)")
    home = Path(tempfile.mkdtemp(prefix="baoxiu-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(home, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = home / "data"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "check": True}
    subprocess.run([*as_owner, initdb, "-D", data, "-A", "trust", "-U", "baoxiu", "-E", "UTF8", "--no-sync"], **quiet)
    options = f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run([*as_owner, pg_ctl, "-D", data, "-o", options, "-l", home / "log", "-w", "start"], **quiet)
    try:
        yield f"postgresql+asyncpg://baoxiu@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_owner, pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"], **quiet)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    if REDIS is None:
        _missing("redis-server")
    port = free_port()
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = Redis.from_url(url)
    for _ in range(200):
        with contextlib.suppress(Exception):
            await client.ping()
            break
        await asyncio.sleep(0.05)
    await client.aclose()
    yield url
    server.terminate()
    server.wait(5)


def worker_configs(folder: Path, telegram: FakeTelegram, database_url: str, redis: str) -> list[Path]:
    base = write_config(folder, telegram)
    text_ = base.read_text()
    start = text_.index("database_url = ")
    end = text_.index("\n", start)
    text_ = text_[:start] + f'database_url = "{database_url}"\nredis_url = "{redis}"' + text_[end:]
    configs = []
    for index in range(2):
        path = folder / f"worker-{index + 1}.toml"
        path.write_text(text_)
        configs.append(path)
    return configs


async def owners_of_block_b(config: Path, telegram: FakeTelegram) -> list[tuple[Person, str]]:
    roster = config.parent / "owners.csv"
    lines = ["block,unit,owner_name,phone,handover_date,language"]
    lines += [f"B,07{i:02d},Owner {i},1370002{i:04d},2018-03-31,en" for i in range(1, OWNERS + 1)]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the command runs its own event loop, so it runs beside this one
    assert await asyncio.to_thread(cli.main, ["import-units", "--config", str(config), str(roster)]) == 0
    return [
        (Person(telegram, 7000 + i, f"Owner{i}", None, "en", phone=f"861370002{i:04d}"), f"07{i:02d}")
        for i in range(1, OWNERS + 1)
    ]


async def press(person: Person, label: str, chat_id: int | None = None, within: dict | None = None) -> None:
    """Tap a button once it shows (in `within`, a given message, if set); no waiting for the answer."""

    def button() -> tuple[dict, str] | None:
        if within is None:
            return person.find_button(label, chat_id)
        current = person.tg.messages[(within["chat"]["id"], within["message_id"])]
        for row in current.get("reply_markup", {}).get("inline_keyboard", []):
            for key in row:
                if label in key["text"] and "callback_data" in key:
                    return current, key["callback_data"]
        return None

    message, data = await person.tg.wait_for(button, PATIENCE, f"«{label}» for {person.name}")
    await person.tap(data, message)


async def report_and_get_taken(owner: Person, unit: str, engineer: Person) -> str:
    """An owner registers and reports a leak with a photo; an engineer takes the card."""
    await owner.send("/start")
    await owner.next_message(timeout=PATIENCE)
    await owner.share_contact()
    await owner.expect("You are registered", timeout=PATIENCE)
    await owner.send("water is dripping from the bathroom ceiling")
    await owner.expect("It sounds like", timeout=PATIENCE)
    await press(owner, "Yes")
    await owner.expect("Where is the problem?", timeout=PATIENCE)
    await press(owner, f"unit {unit}")
    await owner.expect("at least one photo", timeout=PATIENCE)
    await owner.send_photo(jpeg(f"#{owner.id:06x}"))
    await owner.expect("Photos received: 1 of 10", timeout=PATIENCE)
    await press(owner, "Done")
    await owner.expect("When would a visit suit you?", timeout=PATIENCE)
    await press(owner, "Tomorrow morning")
    await owner.expect("Please check your report", timeout=PATIENCE)
    await press(owner, "Confirm")
    confirmation = await owner.expect("is registered", timeout=PATIENCE)
    number = confirmation["text"].split("№")[1].split()[0]
    card = await owner.tg.wait_for(lambda: _card(owner.tg, number), PATIENCE, f"the card of {number}")
    await press(engineer, "Take the job", AQUA_GROUP, within=card)
    await owner.expect("has taken your request", timeout=PATIENCE)
    return number


def _card(telegram: FakeTelegram, number: str) -> dict | None:
    for message in telegram.chat_messages(AQUA_GROUP):
        if number in (message.get("text") or message.get("caption") or "") and message.get("reply_markup"):
            return message
    return None


async def outbox_drained(database_url: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while await query(database_url, "select 1 from outbox where status = 'pending'"):
        assert time.monotonic() < deadline, "the outbox was not sent"
        await asyncio.sleep(0.2)


async def query(database_url: str, sql: str) -> list[tuple]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in (await connection.execute(text(sql))).all()]
    finally:
        await engine.dispose()


async def test_two_workers_behind_one_url_handle_each_update_once_and_run_one_clock(
    tmp_path, telegram, people, postgres_url, redis_url
):
    configs = worker_configs(tmp_path, telegram, postgres_url, redis_url)
    workers = Workers(tmp_path, configs)
    for config, port in zip(configs, workers.ports, strict=True):
        webhook_config(config, port)
    proxy = Proxy(workers.ports)
    await proxy.start()
    delivery = Delivery(telegram, proxy.url, workers.ports)
    try:
        await workers.start_all()  # together, on an empty database: the upgrade runs once
        await telegram.wait_for(lambda: len(telegram.sent("setWebhook")) >= 2, PATIENCE * 2, "both workers")
        await until(lambda: any(LEADS in workers.output(i) for i in range(2)), "a worker to lead", PATIENCE)
        leader = next(i for i in range(2) if LEADS in workers.output(i))
        owners = await owners_of_block_b(configs[0], telegram)
        delivery.start()
        engineers = [people.ivan, people.petr]
        half = OWNERS // 2
        first = [report_and_get_taken(o, u, engineers[i % 2]) for i, (o, u) in enumerate(owners[:half])]
        numbers = await asyncio.gather(*first)
        # A sender killed mid-send holds its message's claim (and its chat's queue) until the
        # claim lapses, minutes later (delivery/sender.py): the kill comes between sends.
        await outbox_drained(postgres_url)
        await workers.kill(leader)  # mid-way: the clock's leader dies without a word
        second = [report_and_get_taken(o, u, engineers[i % 2]) for i, (o, u) in enumerate(owners[half:])]
        numbers += await asyncio.gather(*second)
        other = 1 - leader
        await telegram.wait_for(lambda: LEADS in workers.output(other), PATIENCE, "the other worker to lead")
        await outbox_drained(postgres_url)
    finally:
        await delivery.stop()
        await proxy.stop()
        await workers.close()

    pushed = set(range(1, max(delivery.delivered) + 1))
    handled = {row[0] for row in await query(postgres_url, "select update_id from handled_update")}
    assert delivery.delivered == pushed and handled == pushed  # every update handled, once (its key)
    assert delivery.twins >= OWNERS
    tickets = await query(postgres_url, "select number, owner_user_id from ticket")
    assert sorted(n for n, _ in tickets) == sorted(numbers)  # each report filed once
    assert sorted(u for _, u in tickets) == sorted(o.id for o, _ in owners)
    cards = Counter(
        number
        for request in telegram.requests
        if request.failed is None and request.method in ("sendMessage", "sendPhoto")
        for number in numbers
        if request.params.get("chat_id") == AQUA_GROUP
        and number in (request.params.get("text") or request.params.get("caption") or "")
    )
    assert cards == Counter(numbers)  # each card sent once
    for owner, _unit in owners:  # nothing said twice to an owner
        said = Counter(
            r.params.get("text")
            for r in telegram.requests
            if r.failed is None and r.method == "sendMessage" and r.params.get("chat_id") == owner.id
        )
        assert [t for t, count in said.items() if count > 1] == [], owner.name
    outputs = [workers.output(i) for i in range(2)]
    assert outputs[leader].count(LEADS) == 1 and outputs[other].count(LEADS) == 1  # one clock at a time
    assert "another worker runs the clock" in outputs[other]
    assert sum("Running upgrade 0001" in output for output in outputs) == 1  # the schema, once
    assert all("Traceback" not in output for output in outputs), outputs


class Clock:
    """What the leader starts and stops: counts, so two running at once would show."""

    running = 0
    most = 0

    def __init__(self) -> None:
        self.on = False

    def start(self) -> None:
        self.on = True
        Clock.running += 1
        Clock.most = max(Clock.most, Clock.running)

    def stop(self) -> None:
        self.on = False
        Clock.running -= 1


async def until(condition, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)


async def test_on_postgresql_one_leader_runs_the_clock_and_another_takes_over_when_it_stops(postgres_url):
    Clock.running = Clock.most = 0
    engines = [create_engine(postgres_url) for _ in range(2)]
    clocks = [Clock(), Clock()]
    leaders = [ClockLeader(e, c.start, c.stop, check=0.1) for e, c in zip(engines, clocks, strict=True)]
    try:
        leaders[0].start()
        await until(lambda: clocks[0].on, "the first to lead")
        leaders[1].start()
        await asyncio.sleep(0.5)
        assert not clocks[1].on
        await leaders[0].stop()  # its connection goes back: PostgreSQL frees the lock
        await until(lambda: clocks[1].on, "the second to take over")
        assert Clock.most == 1
    finally:
        for leader in leaders:
            await leader.stop()
        for engine in engines:
            await engine.dispose()


async def test_on_sqlite_with_redis_the_lease_lapses_to_another_process(tmp_path, redis_url):
    Clock.running = Clock.most = 0
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'one.db'}")
    client = Redis.from_url(redis_url)
    await client.set(REDIS_KEY, "a worker that died", px=600)  # its lease lapses soon
    clocks = [Clock(), Clock()]
    leaders = [ClockLeader(engine, c.start, c.stop, redis_url, check=0.1) for c in clocks]
    try:
        leaders[0].start()
        await asyncio.sleep(0.3)
        assert not clocks[0].on  # the dead one's lease still stands
        await until(lambda: clocks[0].on, "the lease to lapse")
        leaders[1].start()
        await asyncio.sleep(0.5)  # several renewals: the lease stays with the first
        assert clocks[0].on and not clocks[1].on
        await leaders[0].stop()  # gives the lease back
        await until(lambda: clocks[1].on, "the second to take over")
        assert Clock.most == 1
    finally:
        for leader in leaders:
            await leader.stop()
        await client.aclose()
        await engine.dispose()


async def test_a_leader_stopped_at_any_moment_stops(tmp_path, redis_url):
    """redis-py turns a command cancelled in flight into a ConnectionError: the lease's loop
    took it for a lost lease and went on, and the bot's shutdown waited for it for ever."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'one.db'}")
    moments = random.Random(8)
    try:
        for _ in range(60):
            leader = ClockLeader(engine, lambda: None, lambda: None, redis_url, check=0.05)
            leader.start()
            await asyncio.sleep(moments.uniform(0, 0.2))
            stopping = asyncio.create_task(leader.stop())
            stopped, _ = await asyncio.wait({stopping}, timeout=5)
            assert stopped, "the leader's loop went on after stop()"
    finally:
        await engine.dispose()


async def test_on_sqlite_alone_the_one_process_leads_at_once(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'one.db'}")
    clock = Clock()
    leader = ClockLeader(engine, clock.start, clock.stop)
    leader.start()
    assert clock.on
    await leader.stop()
    assert not clock.on
    await engine.dispose()
