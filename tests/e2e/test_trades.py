"""Plumbing or waterproofing (docs/rules.md, "Categories and trades"; "Warranty periods"): water
from a tap or a pipe goes to the plumbing contractor under the 2-year warranty of water pipes,
water through a ceiling to the waterproofing contractor under 5 years, and words that name
neither make the bot ask the owner to choose — in each owner's language."""

import re
from pathlib import Path

import pytest

from bot import cli
from tests.conftest import AQUA_GROUP, ROSTER, write_config
from tests.e2e.steps import register
from tests.fake_telegram.people import jpeg
from views.i18n import Catalogs

SEAL_GROUP = -1001000000005
CATALOGS = Catalogs()
NUMBER = re.compile(r"\d{6}-\d{4}")
SEAL = """
[[contractors]]
code = "seal"
name = "Seal Waterproofing"
trades = ["waterproofing"]
blocks = ["*"]
chat_id = {chat}
fallback = "inhouse"
"""


@pytest.fixture
def config_path(tmp_path, telegram, people) -> Path:
    """Aqua does the plumbing only; Seal, with a group of its own, the waterproofing."""
    path = write_config(tmp_path, telegram)
    text = path.read_text(encoding="utf-8").replace('trades = ["plumbing", "waterproofing"]', 'trades = ["plumbing"]')
    path.write_text(text + SEAL.format(chat=SEAL_GROUP), encoding="utf-8")
    telegram.add_group(SEAL_GROUP, "Seal engineers", [people.olga.id])
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert cli.main(["import-units", "--config", str(path), str(roster)]) == 0
    return path


async def file_by_words(owner, language: str, words: str, category: str, unit: str, coverage: str) -> str:
    """The owner's words, `category` proposed and accepted, up to the number; the summary
    must show `coverage` (the warranty verdict)."""
    t = CATALOGS.translator(language)
    await owner.send(words)
    await owner.expect(t("report.suggest", category=t(f"category.{category}")))
    await owner.press(t("button.yes"))
    await owner.press(unit)
    await owner.send_photo(jpeg("red"))
    await owner.press(t("button.photos_done"))
    await owner.press(t("visit.asap"))
    summary = await owner.expect(t("summary.title"))
    assert coverage in summary["text"], summary["text"]
    await owner.press(t("button.confirm"))
    confirmation = await owner.expect("✅")
    return NUMBER.search(confirmation["text"]).group()


def cards(telegram, chat_id: int, number: str) -> list[dict]:
    return [m for m in telegram.chat_messages(chat_id) if number in m.get("text", "")]


async def test_003_a_dripping_tap_and_a_leaking_pipe_are_plumbing_with_a_2_year_warranty(running, people, telegram):
    await register(people.john)  # B-0502, handed over 2018-03-31
    number = await file_by_words(people.john, "en", "tap is dripping", "blocked_drain", "0502", "ended on 2020-03-31")
    card = await people.ivan.expect(f"№{number}", chat_id=AQUA_GROUP)
    assert "(plumbing)" in card["text"]
    await register(people.wang, "zh")  # A-1203, handed over 2024-06-30: two years ended 2026-06-30
    number = await file_by_words(people.wang, "zh", "水管漏水", "blocked_drain", "1203", "2026-06-30")
    await people.ivan.expect(f"№{number}", chat_id=AQUA_GROUP)
    assert not cards(telegram, SEAL_GROUP, number)


async def test_003_water_through_the_bathroom_ceiling_is_waterproofing_with_5_years(running, people, telegram):
    await register(people.anna, "ru")  # A-0801, handed over 2024-06-30: five years run to 2029-06-30
    number = await file_by_words(people.anna, "ru", "Протечка с потолка в ванной", "leak", "0801", "2029-06-30")
    card = await people.olga.expect(f"№{number}", chat_id=SEAL_GROUP)
    assert "(waterproofing)" in card["text"]
    assert not cards(telegram, AQUA_GROUP, number)


async def test_003_words_that_name_no_trade_make_the_owner_choose(running, people):
    await register(people.john)
    await people.john.send("something is wrong in the kitchen")
    ask = await people.john.expect(CATALOGS.translator("en")("report.ask_category"))
    labels = [b["text"] for row in ask["reply_markup"]["inline_keyboard"] for b in row]
    assert len(labels) > 5  # the categories to choose from, none proposed
