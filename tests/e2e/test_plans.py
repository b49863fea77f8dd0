"""The written repair plan after the survey (docs/rules.md, "Response and resolve times"): the
engineer marks a repair complex or submits its plan from his panel, the owner and the managers
read it, a finish past the resolve-by waits for the owner's Agree, and the clock reminds and
escalates a plan that is late — until it is submitted."""

import sqlite3
from datetime import timedelta

from tests.conftest import ALERT_CHAT, AQUA_GROUP, INHOUSE_GROUP
from tests.e2e.steps import register, report_leak_in_english, ticket_number
from tests.e2e.test_clock import sweep, texts
from tests.fake_telegram.people import jpeg

PLAN = "Membrane under the bathroom tiles is torn: lift the tiles, new membrane (5 m²), re-tile"


async def surveyed_leak(people) -> str:
    """John's leak, taken by Ivan, who is on site at 10:00 on Monday 23 November."""
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    return number


def db(config_path, query):
    with sqlite3.connect(config_path.parent / "baoxiu.db") as connection:
        return connection.execute(query).fetchall()


async def test_000_a_complex_repairs_plan_is_reminded_escalated_then_submitted_and_agreed(
    running, people, telegram, clock, config_path
):
    number = await surveyed_leak(people)
    await people.ivan.press("Complex: plan within 24 h")
    await people.ivan.expect("Marked complex: the written plan is due by 11-24 10:00", "plan due by 11-24 10:00")
    clock.advance(timedelta(hours=23, minutes=51))
    assert await sweep(running) == 1
    await people.ivan.expect("Reminder: the written repair plan is due by 11-24 10:00")
    clock.advance(timedelta(minutes=10))
    assert await sweep(running) == 1
    await people.boss.expect(f"Job №{number}", "missed its repair plan deadline of 11-24 10:00", chat_id=ALERT_CHAT)
    await people.ivan.expect("The repair plan deadline was missed")

    await people.ivan.press("Submit plan")
    await people.ivan.expect("Write the repair plan")
    await people.ivan.send_sticker()
    await people.ivan.expect("Please write the plan as text")
    await people.ivan.send_photo(jpeg("red"), caption=PLAN)
    await people.ivan.expect("When do you expect to finish?")
    await people.ivan.press("12-01 20:00")  # past the leak's resolve-by, 11-25 10:00
    told = await people.john.expect(f"Repair plan for request №{number} from Ivan", PLAN, "finish: 12-01 20:00")
    asked = await people.john.expect("The property management asks to finish by 12-01 20:00", "Do you agree?")
    assert "the repair plan needs more time" in asked["text"]
    await people.boss.expect(PLAN, "past the deadline 11-25 10:00: the owner is asked to agree", chat_id=ALERT_CHAT)
    await people.ivan.expect("Plan submitted. Its finish is past the deadline")
    card = await telegram.wait_for(
        lambda: next((m for m in telegram.chat_messages(AQUA_GROUP) if PLAN in m.get("text", "")), None),
        what="the plan on the group card",
    )
    assert "Expected finish: 12-01 20:00" in card["text"]
    assert db(config_path, "select resolve_by from ticket")[0][0].startswith("2026-11-25")  # not before the Agree
    await people.john.press("Agree")
    await people.john.expect("The new completion date is 12-01 20:00")
    assert db(config_path, "select plan_text, plan_complex, plan_at is not null from ticket") == [(PLAN, 1, 1)]
    assert db(config_path, "select stage, count(*) from ticket_photo group by stage") == [("before", 1), ("plan", 1)]
    assert told

    clock.advance(timedelta(days=1))  # the next rung of the plan's ladder would be due now
    await sweep(running)
    assert len(texts(telegram, ALERT_CHAT, "missed its repair plan deadline")) == 1
    await people.john.send("/my")
    await people.john.press(number)
    history = await people.john.expect("repair plan: " + PLAN)
    assert "marked a complex repair" in history["text"] and "surveyed on site" in history["text"]


async def test_000_a_plan_within_the_deadline_needs_no_agreement_and_only_once(running, people, telegram):
    number = await surveyed_leak(people)
    await people.ivan.press("Submit plan")
    await people.ivan.send_photo(jpeg("blue"))
    await people.ivan.expect("Photo kept. Now write the plan as text.")
    await people.ivan.send("Reseal the shower tray joint, silicone")
    await people.ivan.press("11-24 20:00")
    await people.john.expect(f"Repair plan for request №{number}", "Expected finish: 11-24 20:00")
    panel = await people.ivan.expect("Plan submitted; the owner and the managers have it", "finish 11-24 20:00")
    assert "Submit plan" not in str(panel["reply_markup"])
    assert not texts(telegram, people.john.id, "asks to finish by")


async def test_000_a_plan_is_refused_to_anyone_but_its_engineer_and_before_the_survey(running, people, telegram):
    await register(people.john)
    ticket_number(await report_leak_in_english(people.john))
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    panel = await people.ivan.expect("Your job")
    write = people.ivan.find_button("Arrived")[1].replace("step:arrived", "plan:write")
    assert write.startswith("plan:write:")
    await people.ivan.press_data(write, panel)  # forged: he has not been on site yet
    await people.ivan.expect("That step is not possible for this job now")
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    stranger = {**panel, "chat": {"id": people.petr.id, "type": "private", "first_name": "Petr"}}
    await people.petr.press_data(write, stranger)
    await people.petr.expect("This job is not yours")
    await people.petr.press_data(write.replace("plan:write", "plan:complex"), stranger)
    await people.petr.expect("This job is not yours")
    await people.ivan.press("Submit plan")
    await people.ivan.send("New seal")
    await people.ivan.expect("When do you expect to finish?")
    forged = people.ivan.find_button("11-24 20:00")[1]
    await people.ivan.press_data(forged.replace(forged.split(":")[1], "99999"), panel)
    await people.ivan.expect("This button is no longer active")
    await people.ivan.press("11-24 20:00")
    await people.ivan.expect("Plan submitted")


async def test_000_a_repair_longer_than_3_days_needs_its_plan_within_30_minutes_of_the_survey(
    running, people, telegram, clock
):
    await register(people.john)
    await people.john.send("the load-bearing wall is cracking")
    await people.john.press("Yes")
    await people.john.press("unit 0502")
    await people.john.send_photo(jpeg("green"))
    await people.john.press("Done")
    await people.john.press("As soon as possible")
    await people.john.press("Confirm")
    number = ticket_number(await people.john.expect("is registered"))
    await people.olga.press("Take the job", chat_id=INHOUSE_GROUP)
    await people.olga.expect("Your job")
    clock.advance(timedelta(minutes=5))
    await people.olga.press("Arrived")
    await people.olga.expect("engineer on site", "Written plan due by 11-23 10:35")  # 7 working days to resolve
    clock.advance(timedelta(minutes=21))
    assert await sweep(running) == 1
    await people.olga.expect("Reminder: the written repair plan is due by 11-23 10:35")
    clock.advance(timedelta(minutes=10))
    assert await sweep(running) == 1
    await people.boss.expect(f"Job №{number}", "missed its repair plan deadline of 11-23 10:35", chat_id=ALERT_CHAT)
    await people.olga.press("Submit plan")
    await people.olga.send("Inject epoxy into the crack, check again in a week; epoxy resin, 2 packers")
    await people.olga.press("11-24 20:00")
    await people.john.expect(f"Repair plan for request №{number} from Olga", "Expected finish: 11-24 20:00")
    await people.olga.expect("Plan submitted; the owner and the managers have it")
    clock.advance(timedelta(days=1))
    await sweep(running)
    assert len(texts(telegram, ALERT_CHAT, "missed its repair plan deadline")) == 1
