"""The configuration file (README.md, Configuration): TOML, each key overridable by BAOXIU_<SECTION>__<KEY>."""

import builtins
import tomllib
from datetime import date, time
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from holidays import country_holidays
from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from domain.calendar import WorkingCalendar
from domain.policy import Policy
from domain.routing import ContractorRule, overlapping
from domain.trades import ANY
from settings.policy import PolicySection
from settings.sections import (
    BlockSection,
    ContractorSection,
    LoggingSection,
    MonitoringSection,
    PropertySection,
    StaffSection,
    StorageSection,
    TelegramSection,
)

__all__ = ["Config", "ConfigError", "PolicySection", "load_config"]


class ConfigError(Exception):
    """The config cannot be used; `problems` name each key and what is wrong with it."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


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
