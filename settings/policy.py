"""The `[policy]` section: every number of the repair rules (docs/rules.md) as a key a
property company may change, checked here and turned into domain/policy.py's Policy."""

from datetime import date, time, timedelta
from typing import Literal

from pydantic import Field, field_validator

from domain.categories import CATEGORIES, WarrantyPart
from domain.durations import DeadlineRule, parse_deadline_rule, parse_duration
from domain.policy import EscalationStep, Policy
from settings.sections import Section, hours_of

CATEGORY_CODES = {c.code for c in CATEGORIES}


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
    "repeat_visit_within",
    "scheduler_tick",
    "accept_within",
    "accept_within_emergency",
    "promise_contact_within",
    "plan_within",
    "plan_within_routine",
    "remind_before_plan",
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
    accept_within_emergency: str = "15m"
    promise_contact_within: str = "10m"
    plan_within: str = "1d"  # a complex repair's plan after the survey
    plan_within_routine: str = "30m"  # any other repair's plan, when it needs one
    remind_before_plan: str = "10m"
    remind_before_accept: str = "5m"
    remind_before_on_site: str = "15m"
    remind_before_resolve: str = "2h"
    remind_before_visit: str = "1h"
    confirm_again_after: str = "1d"
    confirm_silence_after: str = "3d"
    repeat_visit_within: str = "1d"  # the repair manager looks at a repeat repair personally
    escalation: list[LadderStepSection] = Field(default_factory=list)
    emergency_escalation: list[LadderStepSection] = Field(default_factory=list)  # gas, fire, trapped, …
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
        opens, closes = hours_of(value)
        if opens >= closes:
            raise ValueError("office hours must open before they close, like 08:00-20:00")
        return value

    def to_policy(self) -> Policy:
        defaults = Policy()
        opens, closes = hours_of(self.office_hours)
        return Policy(
            accept_within=parse_duration(self.accept_within),
            accept_within_emergency=parse_duration(self.accept_within_emergency),
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
            plan_within_routine=parse_duration(self.plan_within_routine),
            remind_before_plan=parse_duration(self.remind_before_plan),
            remind_before_accept=parse_duration(self.remind_before_accept),
            remind_before_on_site=parse_duration(self.remind_before_on_site),
            remind_before_resolve=parse_duration(self.remind_before_resolve),
            remind_before_visit=parse_duration(self.remind_before_visit),
            confirm_again_after=parse_duration(self.confirm_again_after),
            confirm_silence_after=parse_duration(self.confirm_silence_after),
            escalation=tuple(EscalationStep(step.role, _after(step.after)) for step in self.escalation)
            or defaults.escalation,
            emergency_escalation=tuple(EscalationStep(s.role, _after(s.after)) for s in self.emergency_escalation)
            or defaults.emergency_escalation,
            repeat_visit_within=parse_duration(self.repeat_visit_within),
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
