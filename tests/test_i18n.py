"""Every user-facing text exists in zh, en and ru, with the same placeholders."""

import re
import string
from pathlib import Path

import pytest

from bot.commands import GROUP, MANAGERS, PRIVATE, STAFF
from domain.categories import CATEGORIES, WarrantyPart
from domain.complaints import Severity, Topic
from domain.escalation import NoticeKind
from domain.job import ENGINEER_ACTIONS
from domain.policy import DEFAULT_LADDER, UNHAPPY_LADDER
from domain.roles import Duty
from domain.satisfaction import SCALES, Dimension
from domain.tickets import EventKind, TicketStatus
from domain.trades import Trade
from domain.warranty import Coverage
from domain.work_record import ANY_TRADE_FAULTS, COMMON_FAULTS
from handlers.engineer.job import AWAY_REASONS, Finishing
from handlers.manager.tickets import TICKET_ACTIONS
from handlers.owner.complaint import Complaining
from handlers.owner.states import Report
from services.job_flow import Refusal
from services.quotes import ANSWERS
from views.i18n import Catalogs, Plural, Text, pick_language
from views.keyboards import EDITABLE_STEPS, SUMMARY_ACTIONS
from views.render import VISIT_CODES
from views.report_labels import report_message_ids

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = Catalogs()
PREFIXES = sorted({key.split(".")[0] for key in CATALOGS.messages("en")})
# any string literal that looks like one of our message ids, wherever the code keeps it
KEY_STRING = re.compile(r"""["']((?:{})\.[a-z_]+)["']""".format("|".join(PREFIXES)))


def used_ids() -> set[str]:
    found = set()
    for folder in ("bot", "clock", "delivery", "handlers", "services", "settings", "views"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            found |= set(KEY_STRING.findall(text))
    found |= {f"category.{c.code}" for c in CATEGORIES} | {f"trade.{t}" for t in Trade}
    found |= {f"urgency.{c.urgency}" for c in CATEGORIES} | {f"coverage.{c}" for c in Coverage}
    found |= {f"status.{s}" for s in TicketStatus} | {f"history.{k}" for k in EventKind}
    found |= {f"visit.{code}" for code in VISIT_CODES}
    found |= {f"hint.{state.state.split(':')[1]}" for state in Report.__states__}
    found |= {f"command.{name}" for name in PRIVATE + GROUP + MANAGERS + STAFF}
    found |= {f"clock.{kind}" for kind in (NoticeKind.REMIND_ON_SITE, NoticeKind.REMIND_RESOLVE)}
    found |= {f"deadline.{name}" for name in ("on_site", "resolve")} | {f"role.{s.role}" for s in DEFAULT_LADDER}
    found |= {f"clock.{NoticeKind.REMIND_PLAN}", "deadline.plan"}
    ticket_duties = (d for d in Duty if d not in (Duty.COMPLAINT, Duty.FILE, Duty.VERIFY))  # the desk's: no button
    found |= {f"button.manager_{action}" for action in (*TICKET_ACTIONS, *ticket_duties)}
    found |= {f"clock.missed_{name}" for name in ("on_site", "resolve", "plan")}
    found |= {f"manager.ask_{action}" for action in ("extend", "cancel")}
    found |= {f"dimension.{d}" for d in Dimension} | {
        f"scale.{level}" for levels in SCALES.values() for level in levels
    }
    found |= {f"role.{step.role}" for step in UNHAPPY_LADDER} | {"role.customer_service_manager"}
    found |= {f"part.{part}" for part in WarrantyPart}
    found |= {f"topic.{topic}" for topic in Topic} | {f"severity.{severity}" for severity in Severity}
    found |= {f"complaint.hint.{state.state.split(':')[1]}" for state in Complaining.__states__}
    found |= {f"complaint.deadline.{name}" for name in ("first_handling", "answer", "solution", "resolve")}
    found |= {f"field.{step}" for step in EDITABLE_STEPS} | {f"button.{action}" for action in SUMMARY_ACTIONS}
    found |= {f"action.{action}" for action in ENGINEER_ACTIONS} | {f"job.refused.{r}" for r in Refusal}
    found |= {f"owner.quote_{choice}" for choice in ANSWERS} | {f"button.quote_{choice}" for choice in ANSWERS}
    found |= {"action.quote", "by.owner", "by.manager", "by.phone"}
    found |= {f"away.{reason}" for reason in AWAY_REASONS}
    found |= {f"finish.hint.{state.state.split(':')[1]}" for state in Finishing.__states__}
    found |= report_message_ids()
    found |= {f"fault.{code}" for codes in (*COMMON_FAULTS.values(), ANY_TRADE_FAULTS) for code in codes}
    return found


def test_all_three_languages_are_there():
    assert CATALOGS.languages == {"zh", "en", "ru"}


@pytest.mark.parametrize("language", ["zh", "en", "ru"])
def test_every_message_the_code_uses_is_translated(language):
    missing = used_ids() - set(CATALOGS.messages(language))
    assert not missing, f"{language} lacks {sorted(missing)}"


def test_no_catalog_keeps_a_message_nothing_uses():
    assert set(CATALOGS.messages("en")) - used_ids() == set()


def test_the_catalogs_hold_the_same_messages_with_the_same_placeholders():
    english = CATALOGS.messages("en")
    for language in ("zh", "ru"):
        other = CATALOGS.messages(language)
        assert set(other) == set(english), language
        for key, text in english.items():
            assert placeholders(other[key]) == placeholders(text), (language, key)


def forms(text: Text) -> tuple[str, ...]:
    return text.forms if isinstance(text, Plural) else (text,)


def placeholders(text: Text) -> set[str]:
    """The placeholders of a message; every plural form must have the same ones."""
    found = [{name for _, name, _, _ in string.Formatter().parse(form) if name} for form in forms(text)]
    assert all(names == found[0] for names in found), text
    return found[0]


@pytest.mark.parametrize(("language", "count"), [("zh", 1), ("en", 2), ("ru", 3)])
def test_plural_messages_have_as_many_forms_as_the_language_has(language, count):
    plurals = [text for text in CATALOGS.messages(language).values() if isinstance(text, Plural)]
    assert plurals
    assert {len(text.forms) for text in plurals} == {count}
    english = CATALOGS.messages("en")
    for key, text in CATALOGS.messages(language).items():
        assert isinstance(text, Plural) == isinstance(english[key], Plural), (language, key)


def test_the_number_picks_the_form_each_language_asks_for():
    en, ru, zh = (CATALOGS.translator(language) for language in ("en", "ru", "zh"))
    assert "1 callback held" in en("manager.rain", count=1)
    assert "2 callbacks held" in en("manager.rain", count=2)
    assert "1 обзвон," in ru("manager.rain", count=1)
    assert "3 обзвона," in ru("manager.rain", count=3)
    assert "5 обзвонов," in ru("manager.rain", count=5)
    assert "11 обзвонов," in ru("manager.rain", count=11)
    assert "21 обзвон," in ru("manager.rain", count=21)
    assert "在10分钟内" in zh("ticket.filed", number="1", minutes=10)


def test_a_message_missing_a_value_fails_instead_of_printing_blank():
    with pytest.raises(KeyError):
        CATALOGS.translator("en")("ticket.filed", number="261123-0001")


def test_the_language_is_the_owners_choice_then_telegrams_then_the_property_default():
    supported = ["zh", "en", "ru"]
    assert pick_language("ru", "en-US", supported, "zh") == "ru"
    assert pick_language(None, "en-US", supported, "zh") == "en"
    assert pick_language(None, "de", supported, "zh") == "zh"
    assert pick_language(None, None, ["zh", "en"], "en") == "en"
