"""A satisfaction survey through the chat: a manager sends it, owners answer in a few taps
(or stop half-way and continue, or never answer), the clock reminds and closes it, and the
managers get the figures per block, a chart and a workbook."""

import io
import sqlite3
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.conftest import ALERT_CHAT
from tests.e2e.steps import register
from tests.e2e.test_clock import settle, sweep
from tests.e2e.test_managers import PrivacyMode


async def shown(person, fragment: str, chat_id: int | None = None) -> dict:
    """A message in the chat that holds the fragment, new or edited in place."""
    chat = chat_id or person.id
    return await person.tg.wait_for(
        lambda: next((m for m in person.tg.chat_messages(chat) if fragment in m.get("text", "")), None), what=fragment
    )


def db(config_path, query: str) -> list[tuple]:
    with sqlite3.connect(config_path.parent / "baoxiu.db") as connection:
        return connection.execute(query).fetchall()


async def answer(owner, button: str, question: str) -> None:
    """Wait for the question to be on screen, then tap."""
    await owner.tg.wait_for(
        lambda: (found := owner.find_button(button)) and question in found[0]["text"], what=question
    )
    await owner.press(button)


async def send_survey(boss) -> None:
    await boss.send("/survey")
    await boss.expect("New satisfaction survey")
    await boss.press("Next")
    await shown(boss, "Send the closing date")
    await boss.send("30.11.2026")
    await boss.expect("That is not a date")
    await boss.send("2026-11-22")
    await boss.expect("must be after today")
    await boss.send("9999-12-31")
    await boss.expect("at most a year", "2027-11-23")
    await boss.send("2026-11-30")
    await boss.expect("The survey goes to 3 owners")
    await boss.press("Send the survey")
    await shown(boss, "Survey №1 is on its way to 3 owners")


async def test_a_survey_reaches_every_owner_once_and_counts_each_block(running, people, telegram, clock, config_path):
    john, anna, wang = people.john, people.anna, people.wang
    await register(wang, "zh")
    await register(anna, "ru")
    await register(john)
    await send_survey(people.boss)

    # John answers every question, the last one not satisfied, and makes a suggestion
    for step in (1, 2, 3):
        await answer(john, "🙂 Satisfied", f"Question {step} of 4")
    await answer(john, "Not very satisfied", "Question 4 of 4")
    await shown(john, "Anything we could do better?")
    await john.send("Please clean the stairs more often")
    await john.expect("Thank you for answering the survey")
    await people.pm.expect("Please call back", "survey №1", "B-0502", "Not very satisfied")  # customer service
    await shown(people.boss, "Survey №1: an owner of B-0502 is not satisfied", chat_id=ALERT_CHAT)

    # a second answer changes nothing
    recipient = db(config_path, "select id from survey_recipient where owner_user_id = 1004")[0][0]
    message = await shown(john, "Thank you for answering the survey")
    await john.press_data(f"sv:{recipient}:0:4", message)
    await shown(john, "You have answered this survey already")
    scores = "select score from survey_answer where recipient_id = {} order by question_id"
    assert db(config_path, scores.format(recipient)) == [(2,), (2,), (2,), (3,)]

    # Anna stops after two questions
    await answer(anna, "🙂 Доволен", "Вопрос 1 из 4")
    await answer(anna, "🙂 Доволен", "Вопрос 2 из 4")
    await shown(anna, "Вопрос 3 из 4")

    assert await sweep(running) == 0
    progress = await shown(people.boss, "📊 Survey №1, open until", chat_id=ALERT_CHAT)
    await telegram.wait_for(
        lambda: "Block A: reached 2 of 2 units (100%), returned 0 (0%)" in progress["text"], what="Block A's figures"
    )
    assert "✅ Block B: reached 1 of 1 units (100%), returned 1 (100%)" in progress["text"]
    assert "All blocks: reached 3 of 3 units (100%), returned 1 (33.3%)" in progress["text"]
    assert len([m for m in telegram.chat_messages(ALERT_CHAT) if "📊 Survey №1" in m.get("text", "")]) == 1

    # three days on: the silent and the half-way are reminded; Anna continues where she stopped
    clock.advance(timedelta(days=3, minutes=1))
    assert await sweep(running) == 2
    await anna.expect("Напоминание", "Вопрос 3 из 4")
    await answer(anna, "🙂 Доволен", "Вопрос 3 из 4")
    await answer(anna, "🙂 Доволен", "Вопрос 4 из 4")
    await anna.press("Пропустить")
    await shown(anna, "Спасибо, что ответили на опрос")

    clock.advance(timedelta(days=3))
    assert await sweep(running) == 1  # Wang's second and last reminder
    clock.advance(timedelta(days=3))
    wang_asked = db(config_path, "select id from survey_recipient where owner_user_id = 1001")[0][0]
    reminder = [m for m in telegram.chat_messages(wang.id) if m.get("reply_markup")][-1]
    asked_text = reminder["text"]
    await wang.press_data(f"sv:{wang_asked}:0:1", reminder)  # too late: past the closing day
    await telegram.wait_for(lambda: reminder["text"] != asked_text, what="Wang's answer refused")
    assert "reply_markup" not in reminder
    assert db(config_path, f"select count(*) from survey_answer where recipient_id = {wang_asked}") == [(0,)]
    assert await sweep(running) == 1  # closed; no third reminder
    assert db(config_path, "select reminders, returned_at from survey_recipient where owner_user_id = 1001") == [
        (2, None)
    ]
    assert db(config_path, "select status from survey") == [("closed",)]

    await shown(people.boss, "Results of survey №1: reached 3 of 3 occupied units, 2 answered", chat_id=ALERT_CHAT)
    results = await shown(people.boss, "Results of survey №1", chat_id=ALERT_CHAT)
    assert "4. service overall: 50% (1 of 2 satisfied)" in results["text"]
    assert "1. timeliness: 100% (2 of 2 satisfied)" in results["text"]
    await telegram.wait_for(lambda: telegram.sent("sendDocument", chat_id=ALERT_CHAT), what="the workbook")
    assert telegram.sent("sendPhoto", chat_id=ALERT_CHAT)
    chart = telegram.sent("sendPhoto", chat_id=ALERT_CHAT)[0]["photo"]  # uploaded: its bytes
    assert bytes(chart).startswith(b"\x89PNG")
    await settle(running)
    assert "Survey №1, closed" in progress["text"]
    assert "⚠️ Block A: reached 2 of 2 units (100%), returned 1 (50%)" in progress["text"]
    assert "inline_keyboard" not in str(progress.get("reply_markup", {})) or not progress["reply_markup"].get(
        "inline_keyboard"
    )

    book = load_workbook(io.BytesIO(bytes(telegram.sent("sendDocument", chat_id=ALERT_CHAT)[0]["document"])))
    answers = book["Answers"]
    assert answers.freeze_panes == "A2"
    assert answers.auto_filter.ref == answers.dimensions
    header = [cell.value for cell in answers[1]]
    assert header[:4] == ["Owner", "Units", "Asked", "Returned"] and header[-1] == "Suggestion"
    rows = {row[1]: row for row in answers.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"A-1203", "A-0801", "B-0502"}
    assert isinstance(rows["B-0502"][3], datetime) and rows["A-1203"][3] is None
    assert rows["B-0502"][4:] == ("🙂 Satisfied",) * 3 + ("😕 Not very satisfied", "Please clean the stairs more often")
    assert answers.column_dimensions["I"].width == 40  # the suggestion
    summary = [row for row in book["Summary"].iter_rows(values_only=True)]
    assert ("A", 2, 2, 100, 1, 50) in summary
    assert ("service overall", 1, 2, 50, None, None) in summary


async def test_a_manager_picks_blocks_and_questions_and_closes_it_early(running, people, telegram, config_path):
    john, anna, boss = people.john, people.anna, people.boss
    await register(john)
    await register(anna, "ru")
    await boss.send("/survey")
    await boss.expect("New satisfaction survey")
    await boss.press("Block B")
    await telegram.wait_for(lambda: boss.find_button("✅ Block B"), what="Block B chosen")
    await boss.press("engineer's skill")
    await telegram.wait_for(lambda: boss.find_button("▫️ engineer's skill"), what="skill left out")
    await boss.press("Suggestion")
    await telegram.wait_for(lambda: boss.find_button("▫️ Suggestion"), what="no suggestion")
    await boss.press("Next")
    await shown(boss, "Send the closing date")
    await boss.send("2026-12-15")
    await boss.expect("The survey goes to 1 owner.", "timeliness, attitude, service overall")
    await boss.press("Send the survey")
    await shown(boss, "Survey №1 is on its way to 1 owners")

    for step in (1, 2, 3):
        await answer(john, "Very satisfied", f"Question {step} of 3")
    await shown(john, "Thank you for answering the survey")  # no suggestion asked
    assert not [m for m in telegram.chat_messages(anna.id) if "Вопрос" in m.get("text", "")]  # Block A: not asked

    await boss.press("Close now", chat_id=ALERT_CHAT)
    await shown(boss, "Results of survey №1: reached 1 of 1 occupied units, 1 answered", chat_id=ALERT_CHAT)
    await telegram.wait_for(lambda: telegram.sent("sendDocument", chat_id=ALERT_CHAT), what="the workbook")
    book = load_workbook(io.BytesIO(bytes(telegram.sent("sendDocument", chat_id=ALERT_CHAT)[0]["document"])))
    assert [row[1] for row in book["Answers"].iter_rows(min_row=2, values_only=True)] == ["B-0502"]
    await shown(boss, "Survey №1, closed", chat_id=ALERT_CHAT)
    recipient = db(config_path, "select id from survey_recipient")[0][0]
    await john.press_data(f"sv:{recipient}:0:4", await shown(john, "Thank you for answering the survey"))
    await shown(john, "This survey is closed")
    assert db(config_path, "select count(*) from survey_answer") == [(3,)]


async def test_a_survey_is_set_up_in_the_managers_chat_with_privacy_mode(running, people, telegram):
    """The closing date and every re-prompt after a date that would not do are asked with a
    forced reply for the manager who pressed Next, so he can answer with privacy mode on."""
    await register(people.john)
    boss = people.boss
    private = PrivacyMode(telegram, boss, ALERT_CHAT)
    await private.command("/survey")
    await shown(boss, "New satisfaction survey", ALERT_CHAT)
    await boss.press("Next", chat_id=ALERT_CHAT)
    await private.answer("Send the closing date", "30.11.2026")
    await private.answer("That is not a date", "2026-11-22")
    await private.answer("must be after today", "2026-11-30")
    await shown(boss, "The survey goes to 1 owner.", ALERT_CHAT)
    draft = await shown(boss, "New satisfaction survey", ALERT_CHAT)
    assert not draft.get("reply_markup")  # the draft's buttons went with its step
    await boss.press("Send the survey", chat_id=ALERT_CHAT)
    await shown(boss, "Survey №1 is on its way to 1 owners", ALERT_CHAT)
    await shown(people.john, "Question 1 of 4")


@pytest.fixture
def yearly_on_tuesday(monkeypatch):
    monkeypatch.setenv("BAOXIU_POLICY__SURVEY_YEARLY_ON", "11-24")


async def test_the_yearly_survey_starts_by_itself_once(yearly_on_tuesday, running, people, clock, config_path):
    await register(people.john)
    assert await sweep(running) == 0
    clock.advance(timedelta(days=1))
    assert await sweep(running) == 1
    await people.john.expect("would like to know how satisfied", "Question 1 of 4")
    assert await sweep(running) == 0
    assert db(config_path, "select kind, status, closes_at from survey") == [
        ("yearly", "open", "2026-12-08 15:59:00.000000")  # two weeks, to the end of the day in Shanghai
    ]
