"""The end-to-end harness: the fake Bot API server, the people of Sunny Gardens, and the
bot itself, built and started the way `baoxiu run` does it."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import cli
from bot.app import build, serve
from sandbox.bot_api import FakeTelegram
from settings.config import load_config
from tests.fake_telegram.people import Person
from tests.fakes import SettableClock

AQUA_GROUP, VOLT_GROUP, INHOUSE_GROUP, ALERT_CHAT = -1001000000001, -1001000000002, -1001000000003, -1001000000099
NIGHT_CHAT = -1001000000098
MANAGER_ID, PROJECT_MANAGER_ID, GENERAL_MANAGER_ID = 900001, 900002, 900003
DESK_ID = 900004  # customer service, the front desk

CONFIG = """
[telegram]
token = "{token}"
api_base = "{api_base}"
album_wait = "150ms"

[telegram.limits]
private_per_second = 200
group_per_minute = 12000
overall_per_second = 1000
first_retry = "50ms"

[storage]
database_url = "sqlite+aiosqlite:///{db}"
photo_dir = "{photos}"

[property]
name = "Sunny Gardens"
emergency_phone = "0755-8888 0000"
timezone = "Asia/Shanghai"
languages = ["zh", "en", "ru"]
default_language = "{default_language}"

[[blocks]]
code = "A"
name = "Block A"
handover_date = 2024-06-30

[[blocks]]
code = "B"
name = "Block B"
handover_date = 2018-03-31

[[contractors]]
code = "aqua"
name = "Aqua Plumbing"
trades = ["plumbing", "waterproofing"]
blocks = ["A", "B"]
chat_id = {aqua}
fallback = "inhouse"

[[contractors]]
code = "volt"
name = "Volt Electric"
trades = ["electrical"]
blocks = ["*"]
fallback = "inhouse"

[[contractors]]
code = "inhouse"
name = "In-house team"
trades = ["civil", "carpentry", "general", "hvac", "appliances"]
blocks = ["*"]
chat_id = {inhouse}
in_house = true

[staff]
managers = [{manager}, 900002]
alert_chat_id = {alert}
supervisors = [{manager}]
project_managers = [900002]
general_managers = [900003]
customer_service_managers = [900002]
property_managers = [900003]
customer_service = [900004]

[[staff.duty]]
hours = "20:00-08:00"
chat_id = -1001000000098
"""

ROSTER = """block,unit,owner_name,phone,handover_date,language
A,1203,Wang Fang,138 0000 0001,2024-06-30,zh
A,1203,Li Wei,139 0000 0002,2024-06-30,
A,0801,Anna Petrova,+7 916 123-45-67,2024-06-30,ru
B,0502,John Smith,13700000003,2018-03-31,en
"""


def write_config(tmp_path: Path, telegram: FakeTelegram, default_language: str = "en") -> Path:
    path = tmp_path / "baoxiu.toml"
    path.write_text(
        CONFIG.format(
            token=telegram.token,
            api_base=telegram.url,
            db=tmp_path / "baoxiu.db",
            photos=tmp_path / "evidence",
            default_language=default_language,
            aqua=AQUA_GROUP,
            inhouse=INHOUSE_GROUP,
            manager=MANAGER_ID,
            alert=ALERT_CHAT,
        ),
        encoding="utf-8",
    )
    return path


class People:
    """The residents, engineers and managers of Sunny Gardens, as Telegram users."""

    def __init__(self, tg: FakeTelegram):
        self.wang = Person(tg, 1001, "Wang", "wangfang", "zh", phone="8613800000001")
        self.anna = Person(tg, 1003, "Anna", None, "ru", phone="79161234567")
        self.john = Person(tg, 1004, "John", "johnsmith", "en", phone="8613700000003")
        self.stranger = Person(tg, 1099, "Stranger", None, "en", phone="8613999999999")
        self.ivan = Person(tg, 2001, "Ivan", "ivan_fix", "en")
        self.petr = Person(tg, 2002, "Petr", None, "en")
        self.olga = Person(tg, 2003, "Olga", None, "en")
        self.boss = Person(tg, MANAGER_ID, "Boss", "boss", "en")
        self.pm = Person(tg, PROJECT_MANAGER_ID, "Pavel", None, "en")
        self.gm = Person(tg, GENERAL_MANAGER_ID, "Grace", None, "en")
        self.clara = Person(tg, DESK_ID, "Clara", None, "en")  # customer service
        tg.add_group(AQUA_GROUP, "Aqua engineers", [self.ivan.id, self.petr.id])
        tg.add_group(INHOUSE_GROUP, "In-house team", [self.olga.id])
        tg.add_group(ALERT_CHAT, "Managers", [self.boss.id, self.pm.id])
        tg.add_group(NIGHT_CHAT, "Night duty", [self.boss.id])
        tg.add_group(VOLT_GROUP, "Volt engineers", [])
        for engineer in (self.ivan, self.petr, self.olga, self.boss, self.pm, self.gm, self.clara):
            tg.started.add(engineer.id)


class RunningBot:
    def __init__(self, config_path: Path, clock: SettableClock, telegram: FakeTelegram):
        self.config_path = config_path
        self.clock = clock
        self.telegram = telegram
        self.app = None
        self.task = None

    async def start(self) -> None:
        self.app = build(load_config(self.config_path), self.clock)
        polls = self.telegram.polls
        self.task = asyncio.create_task(serve(self.app, handle_signals=False))
        await self.telegram.wait_for(lambda: self.telegram.polls > polls or self.task.done(), what="the bot to poll")
        if self.task.done():
            self.task.result()

    async def stop(self) -> None:
        await self.app.stop()
        await asyncio.wait_for(self.task, 10)

    async def restart(self) -> None:
        await self.stop()
        await self.start()


@pytest.fixture
async def telegram():
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()
    assert not server.problems, server.problems


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # Monday 10:00 in Shanghai


@pytest.fixture
def people(telegram) -> People:
    return People(telegram)


@pytest.fixture
def config_path(tmp_path, telegram) -> Path:
    path = write_config(tmp_path, telegram)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert cli.main(["import-units", "--config", str(path), str(roster)]) == 0
    return path


@pytest.fixture
async def running(config_path, clock, telegram, people):
    bot = RunningBot(config_path, clock, telegram)
    await bot.start()
    yield bot
    await bot.stop()
