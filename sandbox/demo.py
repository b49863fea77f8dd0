"""The demo property the sandbox plays: Sunny Gardens, its contractors' engineer groups,
the managers' chats, the owners' roster, and the people who use the bot."""

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sandbox.bot_api import FakeTelegram

TOKEN = "777000:SANDBOX"
BOT_USERNAME = "baoxiu_sandbox_bot"
TIMEZONE = ZoneInfo("Asia/Shanghai")  # the property's, as in CONFIG


@dataclass(frozen=True)
class Group:
    chat_id: int
    title: str
    contractor: str | None  # the contractor whose engineers meet here; None for the managers' chats


@dataclass(frozen=True)
class DemoPerson:
    user_id: int
    name: str
    role: str  # owner, engineer, manager: what the page shows beside the name
    language: str
    username: str | None = None
    phone: str | None = None  # the number the roster knows, shared with the contact button
    groups: tuple[int, ...] = field(default_factory=tuple)


AQUA = Group(-1001000000001, "Aqua Plumbing engineers", "aqua")
ROCK = Group(-1001000000002, "Rock Waterproofing & Civil engineers", "rock")
VOLT = Group(-1001000000003, "Volt Electric engineers", "volt")
INHOUSE = Group(-1001000000004, "In-house repair team", "inhouse")
MANAGERS = Group(-1001000000099, "Sunny Gardens managers", None)
NIGHT_DUTY = Group(-1001000000098, "Night duty", None)
GROUPS = (AQUA, ROCK, VOLT, INHOUSE, MANAGERS, NIGHT_DUTY)

MANAGER_ID = 900001
PEOPLE = (
    DemoPerson(1001, "John Smith", "owner", "en", "johnsmith", "8613700000003"),
    DemoPerson(1002, "Wang Fang", "owner", "zh", "wangfang", "8613800000001"),
    DemoPerson(2001, "Ivan", "engineer", "en", "ivan_fix", groups=(AQUA.chat_id,)),
    DemoPerson(2002, "Petr", "engineer", "ru", groups=(AQUA.chat_id,)),
    DemoPerson(2003, "Chen Gang", "engineer", "en", groups=(ROCK.chat_id,)),
    DemoPerson(2004, "Olga", "engineer", "en", groups=(ROCK.chat_id,)),
    DemoPerson(2005, "Max", "engineer", "en", groups=(VOLT.chat_id,)),
    DemoPerson(2006, "Liu Yang", "engineer", "zh", groups=(VOLT.chat_id,)),
    DemoPerson(2007, "Sam", "engineer", "en", groups=(INHOUSE.chat_id,)),
    DemoPerson(2008, "Zhou Min", "engineer", "zh", groups=(INHOUSE.chat_id,)),
    DemoPerson(MANAGER_ID, "Grace", "manager", "en", "grace_pm", groups=(MANAGERS.chat_id, NIGHT_DUTY.chat_id)),
)

ROSTER = """block,unit,owner_name,phone,handover_date,language
A,1203,Wang Fang,138 0000 0001,2024-06-30,zh
A,1203,Li Wei,139 0000 0002,2024-06-30,
A,0801,Anna Petrova,+7 916 123-45-67,2024-06-30,ru
B,0502,John Smith,137 0000 0003,2024-06-30,en
B,1101,Zhang Lei,136 0000 0004,2019-03-31,zh
"""

CONFIG = """# The sandbox's demo property, written by `baoxiu sandbox`
[telegram]
token = "{token}"
api_base = "{api_base}"

[telegram.limits]  # the sandbox's own server has no limits to respect
private_per_second = 200
group_per_minute = 12000
overall_per_second = 1000

[storage]
database_url = "sqlite+aiosqlite:///{database}"
photo_dir = "{photos}"

[property]
name = "Sunny Gardens"
timezone = "Asia/Shanghai"
languages = ["zh", "en", "ru"]
default_language = "en"
phone_region = "CN"
emergency_phone = "0755-8888 0000"

[[blocks]]
code = "A"
name = "Block A"
handover_date = 2024-06-30

[[blocks]]
code = "B"
name = "Block B"
handover_date = 2019-03-31

[[contractors]]
code = "aqua"
name = "Aqua Plumbing"
trades = ["plumbing"]
blocks = ["*"]
chat_id = {aqua}
fallback = "inhouse"

[[contractors]]
code = "rock"
name = "Rock Waterproofing & Civil"
trades = ["waterproofing", "civil"]
blocks = ["*"]
chat_id = {rock}
fallback = "inhouse"

[[contractors]]
code = "volt"
name = "Volt Electric"
trades = ["electrical", "telecom"]
blocks = ["*"]
chat_id = {volt}
fallback = "inhouse"

[[contractors]]
code = "inhouse"
name = "Sunny Gardens repair team"
trades = ["*"]
blocks = ["*"]
chat_id = {inhouse}
in_house = true

[staff]
managers = [{manager}]
alert_chat_id = {managers}
supervisors = [{manager}]
project_managers = [{manager}]
general_managers = [{manager}]
customer_service_managers = [{manager}]
property_managers = [{manager}]

[[staff.duty]]
hours = "20:00-08:00"
chat_id = {night}
"""


def write_config(folder: Path, api_base: str) -> Path:
    path = folder / "baoxiu.toml"
    path.write_text(
        CONFIG.format(
            token=TOKEN,
            api_base=api_base,
            database=(folder / "baoxiu.db").as_posix(),
            photos=(folder / "evidence").as_posix(),
            aqua=AQUA.chat_id,
            rock=ROCK.chat_id,
            volt=VOLT.chat_id,
            inhouse=INHOUSE.chat_id,
            managers=MANAGERS.chat_id,
            night=NIGHT_DUTY.chat_id,
            manager=MANAGER_ID,
        ),
        encoding="utf-8",
    )
    return path


def write_roster(folder: Path) -> Path:
    path = folder / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def populate(telegram: FakeTelegram) -> None:
    """The demo's people and groups on the sandbox's Telegram. Staff have pressed Start
    already (the bot writes to them privately); owners start when they first write."""
    for person in PEOPLE:
        telegram.add_user(person.user_id, person.name, person.username, person.language)
        if person.role != "owner":
            telegram.started.add(person.user_id)
    for group in GROUPS:
        members = [p.user_id for p in PEOPLE if group.chat_id in p.groups]
        telegram.add_group(group.chat_id, group.title, members)


def person(user_id: int) -> DemoPerson:
    return next(p for p in PEOPLE if p.user_id == user_id)
