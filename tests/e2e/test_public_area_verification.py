"""Public-area repairs are checked on site by customer service within 3 days of completion:
Verified, or Not fixed (back to the engineer); not checked in time, the managers are told."""

from datetime import timedelta

from tests.conftest import ALERT_CHAT, AQUA_GROUP
from tests.e2e.steps import record_work, register, ticket_number
from tests.e2e.test_clock import sweep
from tests.e2e.test_staff_intake import buttons, db


async def public_drain(people) -> str:
    clara = people.clara
    await clara.send("/file")
    await clara.press("A public area")
    await clara.expect("Which block")
    await clara.press("Block B")
    await clara.expect("Where exactly in the public area of Block B?")
    await clara.send("car park, level -1")
    await clara.press("By phone")
    await clara.send("the floor drain is blocked")
    await clara.press("Yes")
    await clara.press("No photos")
    await clara.press("As soon as possible")
    summary = await clara.expect("Please check the report")
    assert "For: a public area" in summary["text"] and "Block B, public area: car park, level -1" in summary["text"]
    await clara.press("Confirm")
    number = ticket_number(await clara.expect("Filed: request №"))
    card = await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    assert "maintenance fund" in card["text"].lower() or "B-type" in card["text"]
    return number


async def finished(people, number: str) -> None:
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    await record_work(people.ivan, "Cleared the drain", paid=False)
    await people.ivan.expect("The owner was asked to confirm")


async def test_a_public_area_repair_is_verified_on_site_by_customer_service(running, people, clock, config_path):
    number = await public_drain(people)
    await finished(people, number)
    assert await sweep(running) == 1
    task = await people.clara.expect(f"Request №{number} is done", "car park, level -1", "check it on site")
    assert buttons(task) == ["✅ Verified", "❌ Not fixed"]
    await people.clara.press("❌ Not fixed")
    await people.clara.expect(f"Request №{number}: sent back to the engineer")
    await people.ivan.expect("Customer service checked on site: not fixed")
    assert db(config_path, "select status, reopen_count, done_at is null from ticket") == [("taken", 1, 1)]
    clock.advance(timedelta(hours=2))
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    await record_work(people.ivan, "Cleared it again, deeper", paid=False)
    assert await sweep(running) == 1  # the redo is checked afresh
    await people.clara.press("✅ Verified")
    await people.clara.expect(f"Request №{number}: verified on site")
    assert db(config_path, "select status, verified_by, verified_at is not null from ticket") == [
        ("closed", people.clara.id, 1)
    ]
    assert await sweep(running) == 0


async def test_a_public_area_repair_not_verified_in_3_days_goes_to_the_managers(
    running, people, telegram, clock, config_path
):
    number = await public_drain(people)
    await finished(people, number)
    assert await sweep(running) == 1
    clock.advance(timedelta(days=3) - timedelta(minutes=5))
    await sweep(running)
    assert not [m for m in telegram.chat_messages(ALERT_CHAT) if "within 3 days" in m.get("text", "")]
    clock.advance(timedelta(minutes=10))
    await sweep(running)
    alert = await people.boss.expect(f"Request №{number}", "not checked it on site within 3 days", chat_id=ALERT_CHAT)
    assert "car park" in alert["text"]
    await people.boss.expect(f"Request №{number}", "within 3 days")  # privately too
    assert await sweep(running) == 0  # once
    assert db(config_path, "select count(*) from notice where key like 'unverified:%'") == [(1,)]


async def test_an_owners_own_public_area_report_is_verified_too_after_he_confirmed_it(running, people, config_path):
    john = people.john
    await register(john)
    await john.send("/report")
    await john.press("Blocked or leaking sink")
    await john.press("Public area, Block B")
    await john.send("Basement car park, near lift 2")
    await john.send("The floor drain is blocked and water stands")
    await john.press("No photos")
    await john.press("As soon as possible")
    await john.expect("Please check your report")
    await john.press("Confirm")
    number = ticket_number(await john.expect("is registered"))
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    await record_work(people.ivan, "Cleared the drain", paid=False)
    await john.expect("Is it fixed?")
    await john.press("Fixed")
    await john.expect("Thank you for confirming")
    assert await sweep(running) == 1  # closed by the owner, still owed its check on site
    await people.clara.expect(f"Request №{number} is done", "Basement car park")
    await people.clara.press("✅ Verified")
    await people.clara.expect(f"Request №{number}: verified on site")
    assert db(config_path, "select status, verified_by from ticket") == [("closed", people.clara.id)]
    assert db(config_path, "select kind from ticket_event where kind like '%verified'") == [("verified",)]
