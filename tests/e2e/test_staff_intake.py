"""The front desk (customer service) files reports and complaints for owners, by phone or at
the desk, and for public areas (their check on site: test_public_area_verification.py)."""

import sqlite3

from tests.conftest import ALERT_CHAT, AQUA_GROUP, INHOUSE_GROUP
from tests.e2e.steps import record_work, register, ticket_number
from tests.e2e.test_clock import settle
from tests.e2e.test_command_menus import menu
from tests.fake_telegram.people import jpeg


def db(config_path, query, *values):
    with sqlite3.connect(config_path.parent / "baoxiu.db") as connection:
        return connection.execute(query, values).fetchall()


def buttons(message: dict) -> list[str]:
    return [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]


async def test_a_phone_report_for_a_bound_owner_reaches_the_group_and_the_owner_is_told(
    running, people, telegram, config_path
):
    await register(people.john)
    clara = people.clara
    await clara.send("/file")
    await clara.expect("Who is it for?")
    await clara.press("An owner's unit")
    await clara.expect("block and unit")
    await clara.send("b 502")  # "0502" on the roster
    await clara.expect("Which owner of this unit")
    await clara.press("John")
    await clara.expect("How did the report come in?")
    await clara.press("By phone")
    await clara.expect("What is the problem?")
    await clara.send("the kitchen sink is blocked")
    await clara.expect("It sounds like")
    await clara.press("Yes")
    await clara.expect("Photos, if the owner")
    await clara.press("No photos")
    await clara.press("Tomorrow morning")
    summary = await clara.expect("Please check the report")
    assert "For: John" in summary["text"] and "Came in: 📞 By phone" in summary["text"]
    assert "Block B, unit 0502" in summary["text"]
    await clara.press("Confirm")
    filed = await clara.expect("Filed: request №")
    number = ticket_number(filed)
    told = await people.john.expect(f"Customer service filed your report for you: request №{number}")
    assert "10 minutes" in told["text"]
    card = await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    assert "John" not in card["text"]  # a group never sees the owner's name
    assert db(config_path, "select owner_user_id, channel, filed_by, unit_id is not null from ticket") == [
        (people.john.id, "phone", clara.id, 1)
    ]
    [(actor,)] = db(config_path, "select actor_user_id from ticket_event where kind = 'filed'")
    assert actor == clara.id
    await clara.press("Confirm")  # a second tap files nothing more
    await settle(running)
    assert db(config_path, "select count(*) from ticket") == [(1,)]


async def test_a_walk_in_owner_not_in_telegram_is_filed_and_the_desk_answers_for_him(running, people, config_path):
    clara = people.clara
    await clara.send("/file")
    await clara.press("An owner's unit")
    await clara.send("A 0801")  # Anna's unit: nobody of it is in Telegram yet
    await clara.expect("What is the owner's name?")
    await clara.send("Zhao Lei")
    await clara.expect("The owner's phone number?")
    await clara.send_sticker()
    await clara.expect("That is not a phone number")
    await clara.send("call me maybe")
    await clara.expect("That is not a phone number")
    await clara.send("135 0000 0009")
    await clara.expect("How did the report come in?")
    await clara.press("At the desk")
    await clara.send("the front door lock is broken")  # a lock or a door: the desk chooses
    await clara.expect("What kind of problem is it?")
    await clara.press("🚪 Door / window / cabinet")
    await clara.send_photo(jpeg("green"))
    await clara.expect("Photos received: 1")
    await clara.press("Done")
    await clara.send("after 18:00")
    summary = await clara.expect("Please check the report")
    assert "Zhao Lei, +8613500000009 (not in Telegram" in summary["text"]
    await clara.press("Confirm")
    await clara.expect("Filed: request №")
    assert db(config_path, "select owner_user_id, channel, contact_name, contact_phone from ticket") == [
        (clara.id, "walk_in", "Zhao Lei", "+8613500000009")
    ]
    assert db(config_path, "select name from resident where phone = '+8613500000009'") == [("Zhao Lei",)]
    assert db(config_path, "select count(*) from ticket_photo") == [(1,)]

    # the engineer calls the owner; the desk answers the owner's questions for him
    await people.olga.press("Take the job", chat_id=INHOUSE_GROUP)
    details = await people.olga.expect("Your job")
    assert "Zhao Lei" in details["text"] and "+8613500000009" in details["text"]
    await people.olga.press("Arrived")
    await people.olga.press("Quote the price")
    await people.olga.expect("Send the price")
    await people.olga.send("200 yuan: new lock cylinder")
    await clara.expect("Do you accept", "200 yuan")
    await clara.press("Accept")
    await clara.expect("the engineer can start")
    await record_work(people.olga, "Replaced the lock cylinder", collected="200")
    await clara.expect("Is it fixed?")
    await clara.press("Fixed")
    await clara.expect("Thank you for confirming")
    assert db(config_path, "select status from ticket") == [("closed",)]


async def test_an_unknown_unit_gets_a_hint_and_the_step_stays(running, people):
    clara = people.clara
    await clara.send("/file")
    await clara.press("An owner's unit")
    await clara.send("C 9999")
    await clara.expect("No unit and no owner's phone «C 9999» is known")
    await clara.send_sticker()
    await clara.expect("Please type the block and unit")
    await clara.send("+86 138 0000 0001")  # Wang Fang's phone on the roster
    await clara.expect("How did the report come in?")  # not in Telegram, but her name and phone are known


async def test_a_stranger_or_an_engineer_using_file_is_refused_in_his_language(running, people):
    await register(people.wang, "zh")
    await people.wang.send("/file")
    await people.wang.expect("只有客服和物业管理人员可以代为登记报修")
    await people.ivan.send("/file")
    await people.ivan.expect("Only customer service and the property's managers")
    await people.anna.send("/file")
    await people.anna.expect("Оформлять заявки за других могут только")


async def test_the_desk_and_the_managers_see_file_in_their_menu_and_a_manager_may_file(running, people, telegram):
    assert menu(telegram, people.clara.id, "en")["file"] == "File a report for an owner or a public area"
    assert menu(telegram, people.boss.id, "zh")["file"] == "为业主或公共区域登记报修"
    assert "report" in menu(telegram, people.clara.id, "en")  # the owners' commands stay
    await people.boss.send("/file")
    await people.boss.expect("Who is it for?")


async def test_an_emergency_told_at_the_desk_gets_the_safety_advice_and_the_managers_at_once(running, people):
    clara = people.clara
    await clara.send("/file")
    await clara.press("A public area")
    await clara.press("Block A")
    await clara.send("3rd floor corridor")
    await clara.press("By phone")
    await clara.send("strong smell of gas in the corridor")
    await clara.expect("gas")  # the advice to read to the caller, before anything else
    summary = await clara.expect("Please check the report")
    assert "As soon as possible" in summary["text"]
    await clara.press("Confirm")
    number = ticket_number(await clara.expect("Filed: request №"))
    await people.boss.expect(f"№{number}", chat_id=ALERT_CHAT)


async def test_a_complaint_taken_by_phone_for_an_owner_in_telegram_reaches_the_managers(running, people, config_path):
    await register(people.john)
    clara = people.clara
    await clara.send("/file")
    await clara.press("A complaint for an owner")
    await clara.send("13700000003")  # John's phone
    await clara.expect("How did the report come in?")
    await clara.press("By phone")
    await clara.expect("What is the owner's complaint about?")
    await clara.press("Noise")
    await clara.send("ok")  # too short to be a complaint
    await clara.expect("Please tell us what happened")
    await clara.send("Drilling upstairs every night after 23:00")
    summary = await clara.expect("Please check the complaint")
    assert "For: John" in summary["text"] and "About: Noise" in summary["text"]
    await clara.press("Confirm")
    filed = await clara.expect("Complaint №", "is registered for John")
    number = filed["text"].split("№")[1].split()[0]
    await people.john.expect(f"Customer service registered your complaint №{number}")
    card = await people.boss.expect("Drilling upstairs", chat_id=ALERT_CHAT)
    assert "From: John Smith · 📞 By phone, B-0502" in card["text"]
    assert db(config_path, "select owner_user_id, topic from complaint") == [(people.john.id, "noise")]
    await clara.press("Confirm")  # the summary again: nothing more is filed
    await settle(running)
    assert db(config_path, "select count(*) from complaint") == [(1,)]


async def test_a_complaint_for_an_owner_not_in_telegram_closes_only_when_the_desk_presses_his_agree(
    running, people, config_path
):
    clara = people.clara
    await clara.send("/file")
    await clara.press("A complaint for an owner")
    await clara.send("A 0801")  # nobody of Anna's unit is in Telegram
    await clara.expect("What is the owner's name?")
    await clara.send("Zhao Lei")
    await clara.expect("The owner's phone number?")
    await clara.send("135 0000 0009")
    await clara.press("At the desk")
    await clara.press("Noise")
    await clara.send("Drilling upstairs every night after 23:00")
    summary = await clara.expect("Please check the complaint")
    assert "For: Zhao Lei, +8613500000009 (not in Telegram" in summary["text"]
    await clara.press("Confirm")
    filed = await clara.expect("is filed for Zhao Lei", "read them to the owner by phone")
    number = filed["text"].split("№")[1].split()[0]
    card = await people.boss.expect("Drilling upstairs", chat_id=ALERT_CHAT)
    assert "Zhao Lei, +8613500000009 (not in Telegram)" in card["text"]
    assert db(config_path, "select owner_user_id from complaint") == [(clara.id,)]

    await people.boss.press("Propose a solution", chat_id=ALERT_CHAT)
    await people.boss.send("We spoke to the neighbour upstairs", chat_id=ALERT_CHAT)
    await clara.expect("We spoke to the neighbour upstairs", "Do you agree?")  # the desk reads it to him
    await clara.press("Agree")

    await clara.expect(f"Complaint №{number} is closed")
    assert db(config_path, "select status from complaint") == [("closed",)]


async def test_customer_service_is_greeted_with_the_desks_commands(running, people):
    await people.clara.send("/start")
    greeting = await people.clara.expect("You are customer service at Sunny Gardens")
    assert "/file" in greeting["text"] and "/overdue" not in greeting["text"]


async def test_a_manager_in_the_middle_of_a_desk_report_still_has_his_commands(running, people):
    await people.boss.send("/file")
    await people.boss.press("An owner's unit")
    await people.boss.send("/overdue")
    await people.boss.expect("overdue")
    await people.boss.send("B 0502")
    await people.boss.expect("What is the owner's name?")  # the report waited where it was


async def test_an_appliance_for_a_specialist_shop_taken_at_the_desk_is_referred_not_dispatched(
    running, people, telegram
):
    await register(people.john)
    clara = people.clara
    await clara.send("/file")
    await clara.press("An owner's unit")
    await clara.send("13700000003")
    await clara.press("At the desk")
    await clara.send("His own washing machine from the shop is broken")
    await clara.expect("It sounds like")
    await clara.press("Choose another")
    await clara.press("Appliance for a specialist shop")
    await clara.press("No photos")
    await clara.press("Today")
    await clara.press("Confirm")
    await clara.expect("nobody is sent", "specialist repair shop")
    await people.john.expect("needs a specialist repair shop")
    await settle(running)
    assert not telegram.chat_messages(AQUA_GROUP) and not telegram.chat_messages(INHOUSE_GROUP)
