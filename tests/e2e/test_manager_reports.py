"""Managers' reports through the fake Bot API: /report answers a manager with the text, a
chart and a workbook, refuses everyone else, and the clock sends the reports on schedule."""

import io
import sqlite3
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from storage.database import create_engine, session_factory
from tests.conftest import ALERT_CHAT
from tests.e2e.steps import register
from tests.report_history import seed


@pytest.fixture
async def history(running, config_path):
    """The hand-made history of tests/report_history.py, in the running bot's database."""
    database = config_path.parent / "baoxiu.db"
    with sqlite3.connect(database) as db:
        units = {f"{block}-{number}": id for id, block, number in db.execute("select id, block, number from unit")}
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    await seed(session_factory(engine), (units["A-1203"], units["B-0502"]))
    await engine.dispose()


async def report_part(person, chat_id: int | None = None) -> dict:
    """The next message of the report, past any alert the clock posts meanwhile (the history's
    old complaints fall due the moment the clock starts)."""
    while True:
        message = await person.next_message(chat_id)
        if not message.get("text", "").startswith("🚨"):
            return message


def workbook_of(telegram, message: dict):
    return load_workbook(io.BytesIO(telegram.files[message["document"]["file_id"]]))


async def test_a_manager_asks_for_the_monthly_summary(history, people, telegram):
    await people.boss.send("/report month")
    text = await report_part(people.boss)
    assert text["text"].startswith("📊 Monthly summary, 2026-11")
    # the four November tickets of the history: three taken on time, one fixed the first time
    assert "Tickets: 4" in text["text"] and "Taken on time: 3/4 (75%)" in text["text"]
    assert "Fixed the first time: 1/3 (33.3%)" in text["text"]
    chart = await report_part(people.boss)
    assert telegram.files[chart["photo"][0]["file_id"]].startswith(b"\x89PNG")
    document = await report_part(people.boss)
    assert document["document"]["file_name"] == "month-2026-11.xlsx"
    summary = workbook_of(telegram, document).worksheets[0]
    figures = {row[0]: row[1:] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert figures["Tickets"] == (4, None, None)
    assert figures["Taken on time"] == (3, 4, 75.0)


async def test_a_block_a_contractor_and_a_period_narrow_the_report(history, people, telegram):
    await people.boss.send("/report contractor aqua 2026-11")
    text = await report_part(people.boss)
    assert "Contractor: Aqua Plumbing" in text["text"] and "Jobs finished: 2" in text["text"]
    await report_part(people.boss)
    document = await report_part(people.boss)
    assert document["document"]["file_name"] == "contractor-2026-11-aqua.xlsx"
    contractors = workbook_of(telegram, document)["Contractors"]
    assert [cell.value for cell in contractors[2]][:2] == ["Aqua Plumbing", 2]
    await people.boss.send("/report week B 2026-W47")
    assert "Block: B" in (await report_part(people.boss))["text"]


async def test_words_the_report_does_not_know_get_an_explanation(running, people):
    await people.boss.send("/report yearly")
    await people.boss.expect("/report week|month|quarter|contractor", "Blocks: A, B", "aqua, volt, inhouse")
    await people.boss.send("/report month Z9")
    await people.boss.expect("“Z9” is neither a block, a contractor nor a period.")
    await people.boss.send("/report month 2026-11 2026-10")  # two periods: not one silently
    await people.boss.expect("“2026-10” is neither")


async def test_an_owner_is_refused_politely_and_still_reports_repairs(running, people, telegram):
    await people.john.send("/report month")
    await people.john.expect("only the property's managers")
    assert not [r for r in telegram.requests if r.method in ("sendPhoto", "sendDocument")]
    await register(people.john)
    await people.john.send("/report")  # alone: the owner's own command, reporting a repair
    await people.john.press("Leak")


async def test_the_clock_sends_the_reports_due_to_the_managers_chat_once(history, running, people, telegram, clock):
    # Monday 10:00 in Shanghai: last week's complaints
    assert await running.app.clock.reports.send_due() == 1
    assert await running.app.clock.reports.send_due() == 0  # a second process, or a restart
    text = await report_part(people.boss, ALERT_CHAT)
    assert text["text"].startswith("📋 Weekly complaint report, 2026-W47")
    assert (await report_part(people.boss, ALERT_CHAT))["photo"]
    document = await report_part(people.boss, ALERT_CHAT)
    assert document["document"]["file_name"] == "week-2026-W47.xlsx"
    # the 24th: the monthly summary for the month so far
    clock.set(datetime(2026, 11, 24, 1, 0, tzinfo=UTC))
    assert await running.app.clock.reports.send_due() == 1
    text = await report_part(people.boss, ALERT_CHAT)
    assert text["text"].startswith("📊 Monthly summary, 2026-11") and "Tickets: 4" in text["text"]
    await report_part(people.boss, ALERT_CHAT)
    document = await report_part(people.boss, ALERT_CHAT)
    summary = workbook_of(telegram, document).worksheets[0]
    assert summary["A2"].value == "Tickets" and summary["B2"].value == 4
