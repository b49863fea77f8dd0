"""An engineer carries a job to completion in the chat."""

import asyncio
import sqlite3
from datetime import timedelta

from tests.conftest import ALERT_CHAT, AQUA_GROUP
from tests.e2e.steps import quote_accepted, record_work, register, report_leak_in_english, ticket_number


async def taken_leak(people) -> str:
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    await people.john.expect("has taken your request")
    return number


async def agree_visit(people) -> None:
    await people.ivan.press("Propose visit times")
    await people.ivan.expect("Tick one or more times")
    await people.ivan.press("11-23 14:00")
    await people.ivan.press("11-24 09:00")
    await people.ivan.press("Send to owner")
    offer = await people.john.expect("can come for request")
    assert [b["text"] for row in offer["reply_markup"]["inline_keyboard"] for b in row] == [
        "11-23 14:00",
        "11-24 09:00",
        "None of these",
    ]
    await people.ivan.expect("The times were sent to the owner")
    await people.john.press("11-24 09:00")
    await people.john.expect("Agreed: Ivan will come at 11-24 09:00")
    await people.ivan.expect("The owner chose 11-24 09:00")


async def finish_job(people, note: str = "Replaced the cracked pipe seal") -> None:
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    await quote_accepted(people)
    await record_work(people.ivan, note)


def db(config_path, query):
    with sqlite3.connect(config_path.parent / "baoxiu.db") as connection:
        return connection.execute(query).fetchall()


async def test_a_job_from_taking_to_the_owners_fixed(running, people, telegram, config_path):
    number = await taken_leak(people)
    await agree_visit(people)
    await people.ivan.press("On my way")
    await people.john.expect("Ivan is on the way")
    await finish_job(people)
    confirm = await people.john.expect("Ivan finished request", "Replaced the cracked pipe seal", "Is it fixed?")
    assert len(telegram.sent("sendPhoto", chat_id=people.john.id)) == 2  # before and after
    await people.ivan.expect("The owner was asked to confirm")
    await people.john.press("Fixed")
    await people.john.expect("Thank you for confirming")
    await people.ivan.expect("The owner confirmed the repair")
    card = await telegram.wait_for(
        lambda: next((m for m in telegram.chat_messages(AQUA_GROUP) if "📌 closed" in m.get("text", "")), None),
        what="the card closed",
    )
    assert f"Job №{number}" in card["text"]
    assert db(config_path, "select status, done_note, reopen_count from ticket") == [
        ("closed", "Replaced the cracked pipe seal", 0)
    ]
    assert db(config_path, "select stage, count(*) from ticket_photo group by stage order by stage") == [
        ("after", 1),
        ("before", 1),
        ("receipt", 1),
    ]
    assert confirm


async def test_not_fixed_reopens_the_job_to_the_same_engineer_and_is_counted(running, people, config_path):
    await taken_leak(people)
    await people.ivan.press("Arrived")
    await finish_job(people, "Sealed the joint")
    await people.john.expect("Is it fixed?")
    await people.john.press("Not fixed")
    await people.john.expect("What is still wrong?")
    await people.john.send_sticker()
    await people.john.expect("What is still wrong?")
    await people.john.send("Still dripping after an hour")
    await people.john.expect("is open again")
    reopened = await people.ivan.expect("The owner says it is not fixed: «Still dripping after an hour»")
    assert "Arrived" in str(reopened["reply_markup"])
    assert db(config_path, "select status, reopen_count from ticket") == [("taken", 1)]


async def test_nobody_can_skip_a_step_or_act_on_someone_elses_job(running, people, telegram):
    await taken_leak(people)
    panel = telegram.chat_messages(people.ivan.id)[-1]  # the details with the job panel
    finish = people.ivan.find_button("Propose visit")[1].replace("propose_visit", "finish")
    await people.ivan.press_data(finish, panel)
    await people.ivan.expect("That step is not possible for this job now")
    await people.petr.press_data(
        people.ivan.find_button("Arrived")[1],
        {**panel, "chat": {"id": people.petr.id, "type": "private", "first_name": "Petr"}},
    )
    await people.petr.expect("This job is not yours")
    arrived = people.ivan.find_button("Arrived")[1]
    await asyncio.gather(people.ivan.press_data(arrived, panel), people.ivan.press_data(arrived, panel))

    def said(fragment):
        return [m for m in telegram.chat_messages(people.ivan.id) if fragment in m.get("text", "")]

    await telegram.wait_for(
        lambda: said("engineer on site") and len(said("not possible for this job now")) == 2,
        what="one move and one refusal",
    )
    assert len(said("engineer on site")) == 1


async def test_waiting_for_parts_moves_the_date_only_with_consent(running, people, telegram, clock):
    await taken_leak(people)
    await people.ivan.press("Arrived")
    await people.ivan.press("Waiting for parts")
    await people.ivan.expect("What is needed?")
    await people.ivan.send("A new valve, ordered")
    await people.ivan.press("+3 d")
    ask = await people.john.expect("A new valve, ordered", "11-28 10:00", "Do you agree?")
    alert = await people.boss.expect("asks to finish by 11-28 10:00", chat_id=ALERT_CHAT)
    await people.ivan.expect("asked to accept the new date")
    await people.john.press("Don't agree")
    await people.john.expect("A manager will contact you")
    await people.boss.expect("the owner does not agree", chat_id=ALERT_CHAT)
    await people.boss.press("Approve the new date", chat_id=ALERT_CHAT)
    await people.john.expect("approved a new completion date", "11-28 10:00")
    await people.ivan.expect("The new completion date is agreed")
    assert ask and alert


async def test_waiting_for_the_owner_pauses_the_clock_and_the_history_shows_it(running, people, clock, config_path):
    number = await taken_leak(people)
    await people.ivan.press("Waiting for the owner")
    await people.ivan.press("Nobody at home")
    await people.john.expect("waits for you (Nobody at home)")
    await people.ivan.expect("The clock is paused")
    before = db(config_path, "select resolve_by from ticket")[0][0]
    clock.advance(timedelta(hours=5))
    await people.ivan.press("Resume")
    await people.john.expect("continues")
    after = db(config_path, "select resolve_by from ticket")[0][0]
    assert before.startswith("2026-11-25 02:00") and after.startswith("2026-11-25 07:00")
    await people.john.send("/my")
    await people.john.press(f"№{number}")
    history = await people.john.expect(f"Request №{number}")
    assert "clock paused: waiting for the owner" in history["text"]
    assert "clock running again (paused 300 min)" in history["text"]


async def test_handing_over_puts_the_job_back_in_the_group(running, people, telegram):
    number = await taken_leak(people)
    await people.ivan.press("Hand over")
    await people.ivan.expect("back in your team's group")
    await people.john.expect("is being passed to another engineer")
    cards = [m for m in telegram.chat_messages(AQUA_GROUP) if f"Job №{number}" in m.get("text", "")]
    await telegram.wait_for(
        lambda: len([m for m in telegram.chat_messages(AQUA_GROUP) if f"Job №{number}" in m.get("text", "")]) == 2,
        what="a second card",
    )
    await people.petr.press("Take the job", chat_id=AQUA_GROUP)
    await people.john.expect("Petr of Aqua Plumbing has taken your request")
    assert cards


async def test_paid_work_starts_only_after_the_owner_accepts_the_price(running, people, telegram, config_path):
    number = await taken_leak(people)  # John's unit is out of warranty: paid work
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    done = people.ivan.find_button("Done")
    await people.ivan.press_data(done[1], done[0])
    await people.ivan.expect("quote the price first")
    await people.ivan.press("Quote the price")
    await people.ivan.send("480 yuan: new drain seal")
    await people.john.expect("Do you accept", "480 yuan: new drain seal")
    await people.john.press("Dispute the price")
    await people.boss.expect(f"The owner of №{number} disputes Ivan's price", chat_id=ALERT_CHAT)
    await people.ivan.expect("Do not start yet")
    await people.ivan.press("Quote the price")
    await people.ivan.send("400 yuan: new drain seal")
    await people.john.expect("400 yuan")
    await people.john.press("Decline")
    await people.john.expect("no work will be done and nothing is charged")
    await people.ivan.expect("declined the price")
    assert db(config_path, "select status, quote_status from ticket") == [("cancelled", "declined")]


async def test_a_visit_time_picker_older_than_two_days_is_answered_as_no_longer_active(running, people, telegram):
    await taken_leak(people)
    await people.ivan.press("Propose visit times")
    picker = await people.ivan.expect("Tick one or more times")
    slot = people.ivan.find_button("11-23 14:00")[1]
    # Telegram no longer shows the bot a message this old: the ticks cannot be read back
    too_old = {"chat": picker["chat"], "message_id": picker["message_id"], "date": 0}
    await people.ivan.press_data(slot, too_old)
    await people.ivan.expect("This button is no longer active")
    assert telegram.messages[(people.ivan.id, picker["message_id"])]["reply_markup"] == picker["reply_markup"]
