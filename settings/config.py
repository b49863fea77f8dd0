"""The configuration file (README.md, Configuration): TOML, each key overridable by BAOXIU_<SECTION>__<KEY>."""

import builtins
import re
import tomllib
from datetime import date, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from holidays import country_holidays, list_supported_countries
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from delivery.limits import SendLimits
from domain.calendar import WorkingCalendar
from domain.categories import CATEGORIES, WarrantyPart
from domain.durations import DeadlineRule, parse_deadline_rule, parse_duration
from domain.policy import EscalationStep, Policy
from domain.routing import ContractorRule, overlapping
from domain.trades import ANY, TRADE_CODES

SUPPORTED_LANGUAGES = ("zh", "en", "ru")
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
BOT_TOKEN = re.compile(r"[0-9]+:\S+")
CATEGORY_CODES = {c.code for c in CATEGORIES}


class ConfigError(Exception):
    """The config cannot be used; `problems` name each key and what is wrong with it."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


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
    """Telegram's sending limits; the sender keeps 10% under them."""

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
        margin = 1.1
        return SendLimits(
            private_interval=margin / self.private_per_second,
            group_interval=margin * 60 / self.group_per_minute,
            overall_interval=margin / self.overall_per_second,
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
        _office_hours(value)
        return value

    def covers(self, moment: time) -> bool:
        starts, ends = _office_hours(self.hours)
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


def _check_rules(value: dict[str, str]) -> dict[str, str]:
    for code, text in value.items():
        if code not in CATEGORY_CODES:
            raise ValueError(f'unknown category "{code}"')
        try:
            parse_deadline_rule(text)
        except ValueError as error:
            raise ValueError(f"{code}: {error}") from None
    return value


class LadderStepSection(Section):
    role: Literal["supervisor", "project_manager", "general_manager"]
    after: str  # how long after the missed deadline

    @field_validator("after")
    @classmethod
    def _duration(cls, value: str) -> str:
        if value.strip() not in ("0", "0m"):
            parse_duration(value)
        return value


DURATION_KEYS = (
    "callback_answer_within",
    "scheduler_tick",
    "accept_within",
    "promise_contact_within",
    "plan_within",
    "remind_before_accept",
    "remind_before_on_site",
    "remind_before_resolve",
    "remind_before_visit",
    "confirm_again_after",
    "confirm_silence_after",
    "survey_remind_after",
    "survey_open_for",
)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PolicySection(Section):
    scheduler_tick: str = "30s"
    accept_within: str = "15m"
    promise_contact_within: str = "10m"
    plan_within: str = "1d"
    remind_before_accept: str = "5m"
    remind_before_on_site: str = "15m"
    remind_before_resolve: str = "2h"
    remind_before_visit: str = "1h"
    confirm_again_after: str = "1d"
    confirm_silence_after: str = "3d"
    escalation: list[LadderStepSection] = Field(default_factory=list)
    rating_scale: Literal[3, 4] = 4
    callback_answer_within: str = "2d"
    rain_days: list[date] = Field(default_factory=list)  # days it rained: held leak callbacks fall due
    on_site_within: dict[str, str] = Field(default_factory=dict)
    resolve_within: dict[str, str] = Field(default_factory=dict)
    warranty_months: dict[WarrantyPart, int] = Field(default_factory=dict)
    office_hours: str = "08:00-20:00"
    max_photos: int = Field(10, ge=0, le=10)  # a Telegram album holds 10
    max_description: int = Field(1000, ge=10, le=3500)
    report_time: str = "09:00"  # when the scheduled reports go to the managers' chat
    report_weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    monthly_report_day: int = Field(24, ge=1, le=28)
    contractor_report_day: int = Field(1, ge=1, le=28)
    survey_remind_after: str = "3d"
    survey_reminders: int = Field(2, ge=0, le=10)
    survey_open_for: str = "14d"
    survey_yearly_on: str | None = None  # MM-DD: a survey of every owner starts that day each year
    survey_move_in: bool = False
    survey_move_in_months: int = Field(6, ge=1, le=60)
    retention_years: int = Field(2, ge=2, le=50)  # never less than the 2 years the rules ask

    _rules = field_validator("on_site_within", "resolve_within")(_check_rules)

    @field_validator(*DURATION_KEYS)
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("report_time")
    @classmethod
    def _report_time(cls, value: str) -> str:
        try:
            time.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f'"{value}" is not a time like 09:00') from None
        return value

    @field_validator("survey_yearly_on")
    @classmethod
    def _month_day(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                date.fromisoformat(f"2000-{value}")
            except ValueError:
                raise ValueError(f'"{value}" is not a day of the year like 03-15') from None
        return value

    @field_validator("office_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        opens, closes = _office_hours(value)
        if opens >= closes:
            raise ValueError("office hours must open before they close, like 08:00-20:00")
        return value

    def to_policy(self) -> Policy:
        defaults = Policy()
        opens, closes = _office_hours(self.office_hours)
        return Policy(
            accept_within=parse_duration(self.accept_within),
            on_site_within=defaults.on_site_within | _rules(self.on_site_within),
            resolve_within=defaults.resolve_within | _rules(self.resolve_within),
            warranty_months=defaults.warranty_months | dict(self.warranty_months),
            office_opens=opens,
            office_closes=closes,
            promise_contact_within=parse_duration(self.promise_contact_within),
            max_photos=self.max_photos,
            max_description=self.max_description,
            scheduler_tick=parse_duration(self.scheduler_tick),
            plan_within=parse_duration(self.plan_within),
            remind_before_accept=parse_duration(self.remind_before_accept),
            remind_before_on_site=parse_duration(self.remind_before_on_site),
            remind_before_resolve=parse_duration(self.remind_before_resolve),
            remind_before_visit=parse_duration(self.remind_before_visit),
            confirm_again_after=parse_duration(self.confirm_again_after),
            confirm_silence_after=parse_duration(self.confirm_silence_after),
            escalation=tuple(EscalationStep(step.role, _after(step.after)) for step in self.escalation)
            or defaults.escalation,
            rating_scale=self.rating_scale,
            callback_answer_within=parse_duration(self.callback_answer_within),
            report_time=time.fromisoformat(self.report_time.strip()),
            report_weekday=WEEKDAYS.index(self.report_weekday),
            monthly_report_day=self.monthly_report_day,
            contractor_report_day=self.contractor_report_day,
            survey_remind_after=parse_duration(self.survey_remind_after),
            survey_reminders=self.survey_reminders,
            survey_open_for=parse_duration(self.survey_open_for),
            survey_yearly_on=self.survey_yearly_on,
            survey_move_in=self.survey_move_in,
            survey_move_in_months=self.survey_move_in_months,
            retention_years=self.retention_years,
        )


def _after(text: str) -> timedelta:
    return timedelta(0) if text.strip() in ("0", "0m") else parse_duration(text)


def _rules(value: dict[str, str]) -> dict[str, DeadlineRule]:
    return {code: parse_deadline_rule(text) for code, text in value.items()}


def _office_hours(text: str) -> tuple[time, time]:
    try:
        opens, closes = text.split("-")
        return time.fromisoformat(opens.strip()), time.fromisoformat(closes.strip())
    except ValueError:
        raise ValueError(f'"{text}" is not office hours like 08:00-20:00') from None


class Config(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BAOXIU_", env_nested_delimiter="__", extra="forbid")

    telegram: TelegramSection
    storage: StorageSection = Field(default_factory=StorageSection)
    monitoring: MonitoringSection = Field(default_factory=MonitoringSection)
    logging: LoggingSection = Field(default_factory=LoggingSection)
    property: PropertySection
    blocks: list[BlockSection]
    contractors: list[ContractorSection] = Field(default_factory=list)
    staff: StaffSection = Field(default_factory=StaffSection)
    policy: PolicySection = Field(default_factory=PolicySection)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return env_settings, init_settings  # the environment wins over the file

    # builtins.: inside this class `property` names the [property] section
    @builtins.property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.property.timezone)

    def domain_policy(self) -> Policy:
        return self.policy.to_policy()

    def working_calendar(self) -> WorkingCalendar:
        """Working days: the country's public holidays off, its make-up working days on
        (China's 调休), and the property's own days off."""
        days_off = frozenset(self.property.days_off)
        country = self.property.holidays

        @lru_cache(maxsize=4096)
        def is_working_day(day: date) -> bool:
            return day not in days_off and _holidays(country, day.year).is_working_day(day)

        policy = self.domain_policy()
        return WorkingCalendar(is_working_day, self.tz, policy.office_opens, policy.office_closes)

    def contractor_rules(self) -> list[ContractorRule]:
        return [
            ContractorRule(c.code, frozenset(c.trades), frozenset(c.blocks), c.fallback, c.in_house)
            for c in self.contractors
        ]

    def contractor(self, code: str) -> ContractorSection | None:
        return next((c for c in self.contractors if c.code == code), None)

    def duty_chat(self, moment: time) -> int | None:
        """Where alerts go at this local time: the duty that covers it, else the alert chat."""
        duty = next((d for d in self.staff.duty if d.covers(moment)), None)
        return duty.chat_id if duty else self.staff.alert_chat_id

    def block_codes(self) -> set[str]:
        return {b.code for b in self.blocks}

    def block(self, code: str) -> BlockSection | None:
        return next((b for b in self.blocks if b.code == code), None)


def load_config(path: Path) -> Config:
    """The validated config, or ConfigError naming every problem with its key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such file"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError([f"{path}: not valid TOML: {error}"]) from None
    try:
        config = Config(**data)
    except ValidationError as error:
        raise ConfigError([_describe(e) for e in error.errors()]) from None
    problems = consistency_problems(config)
    if problems:
        raise ConfigError(problems)
    return config


def _describe(error: Any) -> str:
    key = ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in error["loc"])
    key = key.replace(".[", "[")
    message = error["msg"].removeprefix("Value error, ")
    return f"{key}: {message}"


def consistency_problems(config: Config) -> list[str]:
    """What each section is fine alone but wrong together: codes, references, clashes."""
    problems: list[str] = []
    problems += _webhook_problems(config.telegram)
    if config.property.default_language not in config.property.languages:
        problems.append("property.default_language: must be one of property.languages")
    block_codes = [b.code for b in config.blocks]
    if not block_codes:
        problems.append("blocks: at least one block is needed")
    problems += _duplicates("blocks", block_codes)
    contractor_codes = [c.code for c in config.contractors]
    problems += _duplicates("contractors", contractor_codes)
    for i, contractor in enumerate(config.contractors):
        key = f"contractors[{i}]"
        for block in contractor.blocks:
            if block != ANY and block not in block_codes:
                problems.append(f'{key}.blocks: unknown block "{block}"')
        if contractor.fallback and contractor.fallback not in contractor_codes:
            problems.append(f'{key}.fallback: unknown contractor "{contractor.fallback}"')
        if contractor.fallback == contractor.code:
            problems.append(f"{key}.fallback: a contractor cannot be its own fallback")
    if sum(c.in_house for c in config.contractors) > 1:
        problems.append("contractors: only one contractor may be the in-house team (in_house = true)")
    for first, second, trade, block in overlapping(config.contractor_rules()):
        problems.append(f'contractors: "{first}" and "{second}" both cover trade {trade} in block {block}')
    return problems


def _webhook_problems(telegram: TelegramSection) -> list[str]:
    """Webhook mode is closed by default: without a secret anyone could post updates."""
    if telegram.mode != "webhook":
        return []
    if telegram.webhook is None:
        return [
            "telegram.webhook.url: required in webhook mode",
            "telegram.webhook.secret: required in webhook mode",
        ]
    if telegram.webhook.secret is None:
        return ["telegram.webhook.secret: required in webhook mode"]
    return []


def _duplicates(key: str, codes: list[str]) -> list[str]:
    seen, problems = set(), []
    for code in codes:
        if code in seen:
            problems.append(f'{key}: code "{code}" is used twice')
        seen.add(code)
    return problems


@lru_cache(maxsize=64)
def _holidays(country: str, year: int):
    return country_holidays(country, years=year)
