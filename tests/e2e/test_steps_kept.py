"""A screen waiting for a tap keeps its step: stray messages get a hint, not a new report;
an unhappy rating is reported with the last tap, comment or not."""

from datetime import timedelta

from tests.conftest import ALERT_CHAT, AQUA_GROUP
from tests.e2e.steps import register
from tests.e2e.test_callbacks import db, fixed_leak, shown
from tests.e2e.test_clock import settle, sweep
from tests.e2e.test_complaints import complain
from tests.e2e.test_groups import joined


async def rate_all(john, score_text: str) -> None:
    await john.press("Yes, it is still fine")
    for step in range(1, 6):  # John's repair was paid work: price is asked too
        await john.tg.wait_for(
            lambda step=step: (
                john.find_button(score_text) and f"Question {step} of 5" in john.find_button(score_text)[0]["text"]
            ),
            what=f"rating question {step}",
        )
        await john.press(score_text)
    await john.tg.wait_for(lambda: john.find_button("Skip"), what="the comment question")


async def test_003_not_satisfied_without_a_comment_alerts_the_station_head_at_once(
    running, people, telegram, clock, config_path
):
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    await sweep(running)
    await people.john.expect(f"We are checking back on request №{number}")
    await rate_all(people.john, "Not very satisfied")  # and never comments
    alert = await people.boss.expect(f"The owner of №{number} is not satisfied", chat_id=ALERT_CHAT)
    assert "For: supervisor" in alert["text"]
    assert db(config_path, "select status, comment from callback order by id limit 1") == [("answered", None)]
    assert db(config_path, "select count(*) from ticket_event where kind = 'callback_answered'") == [(1,)]
    await people.john.send("The engineer left a mess")  # a comment after all: the ratings stay
    await people.john.expect("Thank you for your answers")
    await shown(people.boss, "adds: The engineer left a mess", ALERT_CHAT)
    assert db(config_path, "select score from rating order by id") == [(3,)] * 5
    assert db(config_path, "select comment from callback order by id limit 1") == [("The engineer left a mess",)]
    await settle(running)
    alerts = [m for m in telegram.chat_messages(ALERT_CHAT) if "is not satisfied" in m.get("text", "")]
    assert len(alerts) == 1  # the comment did not raise the alert again


async def test_text_during_the_callback_question_keeps_the_question(running, people, clock, config_path):
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    await sweep(running)
    await people.john.expect(f"We are checking back on request №{number}")
    await people.john.send("Hello, what should I do?")
    await people.john.expect("is the repair still holding?")
    await people.john.send_photo()
    await people.john.expect("is the repair still holding?")
    assert db(config_path, "select count(*) from ticket") == [(1,)]
    await people.john.press("Yes, it is still fine")
    await shown(people.john, "Question 1 of 5")  # the question, edited in place


async def test_a_sticker_during_the_rating_keeps_the_question(running, people, clock, config_path):
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    await sweep(running)
    await people.john.expect(f"We are checking back on request №{number}")
    await people.john.press("Yes, it is still fine")
    await shown(people.john, "Question 1 of 5")
    await people.john.send_sticker()
    await people.john.expect("tap one of the answers above")
    await people.john.send("water drips from the ceiling")
    await people.john.expect("tap one of the answers above")
    assert db(config_path, "select count(*) from ticket") == [(1,)]
    await people.john.send("/report")  # a new report is still one command away
    await people.john.expect("What kind of problem")


async def test_staff_who_start_the_bot_get_their_roles_help(running, people):
    await people.ivan.send("/start")
    engineer = await people.ivan.expect("You are an engineer of Aqua Plumbing")
    assert "share" not in engineer["text"].lower()
    await people.boss.send("/start")
    await people.boss.expect("You are on the staff of Sunny Gardens", "/overdue")
    await people.gm.send("/start")  # on the ladder, not a manager: no commands he would be refused
    ladder = await people.gm.expect("escalation ladder of Sunny Gardens", "general manager")
    assert "/overdue" not in ladder["text"]
    await people.john.send("/start")  # not staff: the owners' greeting as before
    greeting = await people.john.next_message()
    assert "staff" not in greeting["text"] and "engineer of" not in greeting["text"]


async def test_a_configured_group_is_not_told_to_bind(running, people, telegram):
    await telegram.push_update(joined(telegram, AQUA_GROUP, people.boss))
    hello = await people.ivan.expect("This group takes the jobs of Aqua Plumbing", chat_id=AQUA_GROUP)
    assert "/bind" not in hello["text"]
    await settle(running)
    assert not [m for m in telegram.chat_messages(ALERT_CHAT) if "I was added" in m.get("text", "")]


async def test_an_answered_category_keyboard_is_no_longer_current(running, people, telegram):
    await register(people.john)
    await people.john.send("/report")
    await people.john.expect("What kind of problem")
    asked, data = people.john.find_button("Blocked or leaking sink")
    await people.john.press_data(data, asked)
    await people.john.expect("Where is the problem?")
    again = await people.john.press_data(data, asked)  # the same keyboard, tapped once more
    assert "no longer" in again.get("text", "")
    assert "inline_keyboard" not in str(telegram.messages[(people.john.id, asked["message_id"])].get("reply_markup"))


async def test_a_reopened_repeat_gets_fresh_deadlines_and_its_own_visit_clock(
    running, people, telegram, clock, config_path
):
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1, minutes=1))
    assert await sweep(running) == 1
    await people.john.expect(f"We are checking back on request №{number}")
    clock.advance(timedelta(days=3))  # the leak's first deadlines are long gone by now
    await people.john.press("No, it came back")
    await shown(people.john, "open again as a repeat repair")
    await people.boss.expect(f"Repeat repair №{number}", chat_id=ALERT_CHAT)
    await sweep(running)
    clock.advance(timedelta(hours=23))
    await sweep(running)
    await settle(running)
    assert db(config_path, "select count(*) from ticket_event where kind = 'escalated'") == [(0,)]
    clock.advance(timedelta(hours=1))  # a day without the manager's look: the ladder's first rung
    await sweep(running)
    missed = await people.boss.expect(f"Job №{number}", "personal look at the repeat repair", chat_id=ALERT_CHAT)
    assert "Escalated to: supervisor" in missed["text"]
    await people.boss.press("I looked personally", chat_id=ALERT_CHAT)
    await people.ivan.expect(f"Job №{number}", "REPEAT REPAIR", chat_id=AQUA_GROUP)
    await sweep(running)
    await settle(running)
    assert db(config_path, "select deadline_kind from (select json_extract(detail, '$.deadline') as deadline_kind "
              "from ticket_event where kind = 'escalated')") == [("repeat_visit",)]  # fmt: skip


async def test_a_voice_message_while_a_solution_waits_for_agreement_keeps_the_question(running, people, config_path):
    await register(people.john)
    number = await complain(people.john, "An engineer", "The engineer was rude and left a mess")
    await people.boss.press("I'm handling it", chat_id=ALERT_CHAT)
    await people.boss.press("Propose a solution", chat_id=ALERT_CHAT)
    await people.boss.expect("Write the solution", chat_id=ALERT_CHAT)
    await people.boss.send("We apologise; the engineer will come back to clean up today", chat_id=ALERT_CHAT)
    await people.john.expect("we propose: We apologise", "Do you agree?")
    await people.john.send_voice()
    await people.john.expect("whether you agree with the proposed solution")
    await people.john.send("the sink is blocked")
    await people.john.expect("whether you agree with the proposed solution")
    assert db(config_path, "select count(*) from ticket") == [(0,)]
    await people.john.press("Agree")
    await people.john.expect(f"№{number}")
