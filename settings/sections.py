"""The sections of the configuration file, each a pydantic model that checks its own keys:
Telegram, storage, monitoring, logging, the property, its blocks, contractors and staff.
The repair rules' numbers are settings/policy.py; the whole file is settings/config.py."""

import re
from datetime import date, time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from holidays import list_supported_countries
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from delivery.limits import SendLimits
from domain.durations import parse_duration
from domain.trades import ANY, TRADE_CODES

SUPPORTED_LANGUAGES = ("zh", "en", "ru")
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
BOT_TOKEN = re.compile(r"[0-9]+:\S+")


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebhookSection(Section):
    url: str  # the public https URL Telegram posts to (a proxy forwards it to listen:port/path)
    listen: str = "127.0.0.1"  # only the proxy on this machine; "0.0.0.0" opens it to the network
    port: int = Field(8080, ge=1, le=65535)
    path: str = "/telegram"
    # Telegram sends it with every update; requests without it are refused (required in webhook mode)
    secret: SecretStr | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        if not value.startswith("https://"):
            raise ValueError("Telegram posts only to an https:// URL")
        return value

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        if not value.startswith("/"):
            raise ValueError('must start with "/", like "/telegram"')
        return value

    @field_validator("secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters, only A-Z, a-z, 0-9, _ and - (what Telegram accepts)")
        return value


class LimitsSection(Section):
    """Telegram's sending limits; the sender keeps them exactly (delivery/limits.py)."""

    private_per_second: float = Field(1.0, gt=0)
    group_per_minute: float = Field(20.0, gt=0)
    overall_per_second: float = Field(30.0, gt=0)
    first_retry: str = "1s"  # after a 5xx or a network error; each further retry waits twice as long

    @field_validator("first_retry")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    def to_limits(self) -> SendLimits:
        # no margin: the sender counts each call until Telegram's answer (delivery/limits.py)
        return SendLimits(
            private_interval=1 / self.private_per_second,
            group_messages=max(int(self.group_per_minute), 1),
            group_window=60.0,
            overall_messages=max(int(self.overall_per_second), 1),
            overall_window=1.0,
            retry_base=parse_duration(self.first_retry).total_seconds(),
        )


class TelegramSection(Section):
    token: SecretStr
    api_base: str = "https://api.telegram.org"
    mode: Literal["polling", "webhook"] = "polling"
    webhook: WebhookSection | None = None
    album_wait: str = "1s"  # how long after an album's last photo the bot acknowledges it
    limits: LimitsSection = Field(default_factory=LimitsSection)

    @field_validator("album_wait")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("token")
    @classmethod
    def _token(cls, value: SecretStr) -> SecretStr:
        # aiogram refuses such a token with a traceback; the operator gets the key instead
        if not BOT_TOKEN.fullmatch(value.get_secret_value()):
            raise ValueError("is not a bot token: digits, a colon, then the secret part, as @BotFather gives it")
        return value


class StorageSection(Section):
    database_url: str = "sqlite+aiosqlite:///baoxiu.db"
    redis_url: str | None = None
    photo_dir: Path = Path("evidence")


class MonitoringSection(Section):
    """`GET /healthz` and `GET /metrics` (Prometheus); off unless a port is given."""

    port: int | None = Field(default=None, ge=1, le=65535)
    listen: str = "127.0.0.1"


class LoggingSection(Section):
    format: Literal["text", "json"] = "text"  # key=value text, or one JSON object per line
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class PropertySection(Section):
    name: str
    timezone: str = "Asia/Shanghai"
    languages: list[str] = Field(default_factory=lambda: list(SUPPORTED_LANGUAGES))
    default_language: str = "zh"
    phone_region: str = "CN"
    holidays: str = "CN"  # public holidays and make-up working days of this country (the holidays package)
    days_off: list[date] = Field(default_factory=list)  # the property's own extra days off
    emergency_phone: str  # the property's own 24-hour line, told to an owner reporting an emergency
    public_emergency_number: str = "119 / 110 / 120"  # fire / police / ambulance, called first for gas, fire, trapped

    @field_validator("emergency_phone", "public_emergency_number")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty: owners reporting an emergency are told to call it")
        return value.strip()

    @field_validator("holidays")
    @classmethod
    def _country(cls, value: str) -> str:
        if value not in list_supported_countries():
            raise ValueError(f'"{value}" is not a country the holidays package knows')
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'unknown time zone "{value}"') from None
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in SUPPORTED_LANGUAGES]
        if unknown or not value:
            raise ValueError(f"languages must be some of {', '.join(SUPPORTED_LANGUAGES)}")
        return value


class BlockSection(Section):
    code: str
    name: str
    handover_date: date | None = None  # of the public areas, for their warranty


class ContractorSection(Section):
    code: str
    name: str
    trades: list[str]
    blocks: list[str]
    chat_id: int | None = None
    fallback: str | None = None
    in_house: bool = False

    @field_validator("trades")
    @classmethod
    def _trades(cls, value: list[str]) -> list[str]:
        unknown = [t for t in value if t != ANY and t not in TRADE_CODES]
        if unknown:
            raise ValueError(f"unknown trade {unknown[0]!r}; trades are {', '.join(sorted(TRADE_CODES))} or *")
        return value


class DutySection(Section):
    """Who watches the alerts in some hours of the day, e.g. the night duty 20:00-08:00."""

    hours: str
    chat_id: int

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        hours_of(value)
        return value

    def covers(self, moment: time) -> bool:
        starts, ends = hours_of(self.hours)
        if starts <= ends:
            return starts <= moment < ends
        return moment >= starts or moment < ends  # across midnight


class StaffSection(Section):
    managers: list[int] = Field(default_factory=list)
    alert_chat_id: int | None = None
    duty: list[DutySection] = Field(default_factory=list)
    # the escalation ladder's people (Telegram user ids), each told privately as well
    supervisors: list[int] = Field(default_factory=list)
    project_managers: list[int] = Field(default_factory=list)
    general_managers: list[int] = Field(default_factory=list)
    customer_service_managers: list[int] = Field(default_factory=list)
    property_managers: list[int] = Field(default_factory=list)
    # customer service (the front desk): file reports for owners and public areas, verify public repairs
    customer_service: list[int] = Field(default_factory=list)

    @field_validator("customer_service")
    @classmethod
    def _people(cls, ids: list[int]) -> list[int]:
        """Customer service are people who write to the bot privately: a user id, never a group's."""
        wrong = [str(i) for i in ids if i <= 0]
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: not a Telegram user id (a group's id is negative)")
        if len(set(ids)) != len(ids):
            raise ValueError("a user id is listed twice")
        return ids


def hours_of(text: str) -> tuple[time, time]:
    try:
        opens, closes = text.split("-")
        return time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip())
    except ValueError:
        raise ValueError(f'"{text}" is not office hours like 08:00-20:00') from None
