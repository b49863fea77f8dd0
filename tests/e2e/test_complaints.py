"""Complaints: filed with words and photos, classified, answered within 2 hours and handled to
their severity's deadlines, closed only with the owner's agreement (silence escalates), and
always called back (docs/rules.md, "Complaints")."""

from datetime import timedelta

from tests.conftest import ALERT_CHAT
from tests.e2e.steps import register
from tests.e2e.test_callbacks import db, shown
from tests.e2e.test_clock import settle, sweep
from tests.fake_telegram.people import jpeg


async def complain(owner, topic: str, text: str, photos: int = 0) -> str:
    await owner.send("📣 Complaint")
    await owner.expect("What is the complaint about?")
    await owner.press(topic)
    await owner.expect("tell us what happened")
    await owner.send(text)
    await owner.expect("You may add photos now")
    for count in range(1, photos + 1):
        await owner.send_photo()
        await owner.expect(f"Photos: {count}.")
    await owner.press("Send the complaint")
    filed = await owner.expect("Your complaint №")
    return filed["text"].split("№")[1].split()[0]


async def test_an_important_complaint_meets_its_deadlines_and_closes_with_agreement(
    running, people, telegram, clock, config_path
):
    await register(people.john)
    number = await complain(people.john, "An engineer", "The engineer was rude and left a mess", photos=1)
    filed = [m for m in telegram.chat_messages(people.john.id) if number in m.get("text", "")][-1]
    assert "(important)" in filed["text"] and "answer by 11-23 12:00 and resolve it by 11-26 10:00" in filed["text"]
    card = await people.boss.expect(f"Complaint №{number}", chat_id=ALERT_CHAT)
    assert "From: John, B-0502" in card["text"]
    assert len(telegram.sent("sendPhoto", chat_id=ALERT_CHAT)) == 1
    await people.boss.expect(f"Complaint №{number}")  # the supervisor, personally
    await people.boss.press("I'm handling it", chat_id=ALERT_CHAT)
    await people.john.expect(f"Boss is now handling your complaint №{number}")
    clock.advance(timedelta(hours=2))
    assert await sweep(running) == 0  # taken in hand within the hour, so answered: no alert
    await people.boss.press("Propose a solution", chat_id=ALERT_CHAT)
    await people.boss.expect("Write the solution", chat_id=ALERT_CHAT)
    await people.boss.send("We apologise; the engineer will come back to clean up today", chat_id=ALERT_CHAT)
    await people.boss.expect("The solution was sent", chat_id=ALERT_CHAT)
    await people.john.expect("we propose: We apologise", "Do you agree?")
    await people.john.press("Don't agree")
    await people.john.expect("stays open")
    await people.boss.expect("does not agree with the solution", chat_id=ALERT_CHAT)
    await people.boss.press("Propose a solution", chat_id=ALERT_CHAT)
    await people.boss.send("A free cleaning service and a written apology", chat_id=ALERT_CHAT)
    await people.john.expect("A free cleaning service")
    await people.john.press("Agree")
    await people.john.expect(f"Complaint №{number} is closed")
    clock.advance(timedelta(days=1))
    await sweep(running)
    await people.john.expect(f"We are checking back on your complaint №{number}")
    await people.john.press("Unsatisfied")
    await shown(people.john, "Thank you for your answers")
    await people.boss.expect(f"complaint №{number} is not satisfied", chat_id=ALERT_CHAT)
    assert db(config_path, "select status, callback_answer from complaint") == [("closed", "unsatisfied")]


async def test_000_a_major_complaint_reaches_the_general_manager_and_alerts_once_per_missed_deadline(
    running, people, telegram, clock
):
    await register(people.john)
    number = await complain(people.john, "Management", "Gas smell in the stairwell for days, it is dangerous")
    filed = [m for m in telegram.chat_messages(people.john.id) if number in m.get("text", "")][-1]
    assert "(major)" in filed["text"] and "answer by 11-23 12:00 and resolve it by 12-03 10:00" in filed["text"]
    await people.boss.expect(f"Complaint №{number} · Management · major", chat_id=ALERT_CHAT)
    await people.pm.expect(f"Complaint №{number}")  # the project director the same day
    await people.gm.expect(f"Complaint №{number}")  # and the general manager
    clock.advance(timedelta(hours=1, minutes=59))
    assert await sweep(running) == 0
    clock.advance(timedelta(minutes=2))
    assert await sweep(running) == 1  # nobody answered the owner within 2 hours
    alert = await people.boss.expect(f"Complaint №{number} missed its answer deadline", chat_id=ALERT_CHAT)
    assert "For: project manager" in alert["text"]
    clock.advance(timedelta(hours=13))  # past midnight: first handling missed
    assert await sweep(running) == 1
    await people.boss.expect(f"Complaint №{number} missed its first handling deadline", chat_id=NIGHT)
    assert await sweep(running) == 0
    clock.advance(timedelta(days=2))
    assert await sweep(running) == 1  # no solution proposed in 2 days
    await people.boss.expect(f"Complaint №{number} missed its solution deadline", chat_id=NIGHT)
    clock.advance(timedelta(days=8))
    assert await sweep(running) == 1  # the resolution: to the general manager
    await people.gm.expect(f"Complaint №{number} missed its resolve deadline")
    assert await sweep(running) == 0


async def test_004_a_complaint_the_owner_never_agrees_to_escalates_and_never_closes_by_silence(
    running, people, telegram, clock, config_path
):
    await register(people.john)
    number = await complain(people.john, "Noise", "The neighbour's dog barks at night")
    await people.boss.expect(f"Complaint №{number} · Noise · minor", chat_id=ALERT_CHAT)
    await people.boss.press("important", chat_id=ALERT_CHAT)  # one tap changes the severity
    await people.john.expect(f"Your complaint №{number} was reviewed")
    await people.boss.press("Propose a solution", chat_id=ALERT_CHAT)
    await people.boss.send("We spoke to the neighbour", chat_id=ALERT_CHAT)
    await people.john.expect("We spoke to the neighbour")
    clock.advance(timedelta(days=3) - timedelta(minutes=1))
    assert await sweep(running) == 0
    clock.advance(timedelta(minutes=2))
    assert await sweep(running) == 2  # its 3 days to resolve are over, and the owner has not agreed
    await people.john.expect(f"We have not heard from you about complaint №{number}", "stays open until you do")
    await people.pm.expect(f"Complaint №{number} missed its resolve deadline")
    alert = await people.pm.expect(f"The owner has not agreed to the solution of complaint №{number}")
    assert "goes up to: project manager" in alert["text"]
    assert db(config_path, "select status, severity from complaint") == [("proposed", "important")]
    assert await sweep(running) == 0  # asked and escalated once for this silence
    clock.advance(timedelta(days=3))
    assert await sweep(running) == 1  # still silent three days later: one rung higher
    again = await people.gm.expect(f"The owner has not agreed to the solution of complaint №{number}")
    assert "goes up to: general manager" in again["text"]
    assert db(config_path, "select status from complaint") == [("proposed",)]
    assert not [m for m in telegram.chat_messages(people.john.id) if "so it is closed" in m.get("text", "")]
    await people.john.press("Agree")
    await people.john.expect(f"Complaint №{number} is closed")
    assert db(config_path, "select status from complaint") == [("closed",)]
    await settle(running)


NIGHT = -1001000000098


async def test_an_important_complaint_nobody_takes_in_an_hour_goes_to_the_supervisor(running, people, clock):
    await register(people.john)
    number = await complain(people.john, "Service", "Nobody came although I called twice")
    await people.boss.expect(f"Complaint №{number} · Service · important", chat_id=ALERT_CHAT)
    clock.advance(timedelta(minutes=59))
    assert await sweep(running) == 0
    clock.advance(timedelta(minutes=2))
    assert await sweep(running) == 1
    alert = await people.boss.expect(f"Complaint №{number} missed its first handling deadline", chat_id=ALERT_CHAT)
    assert "For: supervisor" in alert["text"]


async def test_a_minor_complaint_unresolved_in_two_days_is_escalated(running, people, clock):
    await register(people.john)
    number = await complain(people.john, "A neighbour", "The neighbour parks in my space")
    await people.boss.expect(f"Complaint №{number} · A neighbour · minor", chat_id=ALERT_CHAT)
    await people.boss.press("I'm handling it", chat_id=ALERT_CHAT)
    clock.advance(timedelta(days=2, minutes=1))
    assert await sweep(running) == 1  # the resolve-by (taken in hand at once, so it was answered)
    await people.boss.expect(f"Complaint №{number} missed its resolve deadline", chat_id=ALERT_CHAT)


async def test_the_emergency_button_and_start_leave_a_complaint_being_written(running, people, config_path):
    """A complaint half written never holds up an emergency, nor /start."""
    await register(people.john)
    await people.john.send("/complain")
    await people.john.expect("What is the complaint about?")
    await people.john.press("An engineer")
    await people.john.expect("tell us what happened")
    await people.john.send("🚨 Emergency")
    await people.john.expect("What is happening?")
    await people.john.send("/complain")  # the report under way is not dropped unasked
    await people.john.expect("You have a report in progress")
    await people.john.send("/cancel")
    await people.john.expect("cancelled")
    await people.john.send("/complain")
    await people.john.expect("What is the complaint about?")
    await people.john.press("An engineer")
    await people.john.send("He was late")
    await people.john.expect("You may add photos now")
    await people.john.send("/start")
    await people.john.expect("Welcome back")
    assert db(config_path, "select count(*) from complaint") == [(0,)]


async def test_an_album_in_a_complaint_is_acknowledged_once(running, people, telegram):
    await register(people.john)
    await people.john.send("📣 Complaint")
    await people.john.press("An engineer")
    await people.john.expect("tell us what happened")
    await people.john.send("He left a mess")
    await people.john.expect("You may add photos now")
    await people.john.send_album([jpeg("red"), jpeg("blue"), jpeg("green")])
    await people.john.expect("Photos: 3.")
    await settle(running)
    assert sum("Photos:" in m.get("text", "") for m in telegram.chat_messages(people.john.id)) == 1
