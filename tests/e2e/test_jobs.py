"""Task cards in the contractor's group and taking the job."""

import asyncio

from tests.conftest import ALERT_CHAT, AQUA_GROUP, INHOUSE_GROUP, VOLT_GROUP, RunningBot, write_config
from tests.e2e.steps import register, report_lamp, report_leak_in_english, ticket_number
from tests.fake_telegram.people import Person


async def filed_leak(people, photos: int = 2) -> tuple[str, dict]:
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john, photos=photos))
    card = await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    return number, card


async def edited_card(telegram, card: dict, fragment: str) -> dict:
    key = (card["chat"]["id"], card["message_id"])
    return await telegram.wait_for(
        lambda: fragment in telegram.messages[key]["text"] and telegram.messages[key],
        what=f"the card to say {fragment}",
    )


async def test_the_card_shows_the_job_but_not_the_owner(running, people, telegram):
    _number, card = await filed_leak(people)
    text = card["text"]
    assert "Urgency: 🟠 URGENT" in text
    assert "Take by 11-23 10:15 · on site by 11-23 10:30 · resolve by 11-25 10:00" in text
    assert "Place: Block B, unit 0502" in text and "Photos: 2" in text
    assert "John" not in text and "13700000003" not in text
    [album] = telegram.sent("sendMediaGroup", chat_id=AQUA_GROUP)
    assert [item["type"] for item in album["media"]] == ["photo", "photo"]
    buttons = [b["text"] for row in card["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons == ["🙋 Take the job", "🚫 Can't take"]


async def test_of_two_engineers_tapping_at_once_exactly_one_gets_the_job(running, people, telegram):
    _number, card = await filed_leak(people)
    take = people.ivan.find_button("Take the job", AQUA_GROUP)[1]
    answers = await asyncio.gather(people.ivan.press_data(take, card), people.petr.press_data(take, card))
    texts = sorted(answer["text"] for answer in answers)
    winner = "Ivan" if "yours" in answers[0]["text"] else "Petr"
    assert texts[0].startswith("Already taken by ") and texts[1].startswith("The job is yours")
    assert texts[0] == f"Already taken by {winner}."
    edited = await edited_card(telegram, card, f"✅ Taken by {winner} at 11-23 10:00")
    assert "reply_markup" not in edited
    owner_note = await people.john.expect("has taken your request")
    assert f"{winner} of Aqua Plumbing" in owner_note["text"]
    late = await people.petr.press_data(take, card)
    assert late["text"] == f"Already taken by {winner}." and late["show_alert"]


async def test_the_engineer_gets_the_owners_contact_privately(running, people, telegram):
    number, _ = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    details = await people.ivan.expect("Your job")
    assert f"Job №{number}" in details["text"] and "Owner: John Smith, +8613700000003" in details["text"]
    assert not any("13700000003" in m.get("text", "") for m in telegram.chat_messages(AQUA_GROUP))


async def test_an_engineer_who_never_started_the_bot_is_asked_to_and_keeps_the_job(running, people, telegram):
    telegram.started.discard(people.petr.id)
    _number, _ = await filed_leak(people)
    answer = await people.petr.press("Take the job", chat_id=AQUA_GROUP)
    assert answer["text"].startswith("The job is yours")
    prompt = await people.petr.expect("open a private chat with me", chat_id=AQUA_GROUP)
    link = prompt["text"].split("https://t.me/baoxiu_test_bot?start=")[1]
    await people.petr.send(f"/start {link}")
    details = await people.petr.expect("Your job")
    assert "Owner: John Smith" in details["text"]
    await people.ivan.send(f"/start {link}")
    assert "not assigned to you" in (await people.ivan.expect("not assigned")).get("text")
    assert people.ivan.find_button("Take the job", AQUA_GROUP) is None  # the card lost its buttons


async def test_someone_outside_the_group_changes_nothing(running, people, telegram, config_path):
    _number, card = await filed_leak(people)
    telegram.chats[AQUA_GROUP].members[people.petr.id] = "left"  # Petr left the team
    take = people.ivan.find_button("Take the job", AQUA_GROUP)[1]
    refused = await people.petr.press_data(take, card)
    assert refused["text"] == "Sorry, only engineers of the contractor's group can take this job."
    forwarded = {**card, "chat": telegram.chats[INHOUSE_GROUP].as_dict(telegram.users)}  # a copy elsewhere
    refused = await people.olga.press_data(take, forwarded)
    assert refused["text"] == "Sorry, this job can't be taken from here."
    forged = await people.ivan.press_data("job:take:999", card)
    assert forged["text"] == "Sorry, this job can't be taken from here."
    garbage = await people.ivan.press_data("job:take:abc", card)
    assert garbage["text"] == "This button is no longer active."
    assert "reply_markup" in telegram.messages[(AQUA_GROUP, card["message_id"])]  # still open
    assert (await people.ivan.press("Take the job", chat_id=AQUA_GROUP))["text"].startswith("The job is yours")


async def test_cant_take_passes_the_job_to_the_fallback_contractor(running, people, telegram):
    number, card = await filed_leak(people)
    answer = await people.petr.press("Can't take", chat_id=AQUA_GROUP)
    assert answer["text"] == "Noted: the job is passed on."
    await edited_card(telegram, card, "Aqua Plumbing can't take this job; passed to In-house team.")
    new_card = await people.olga.expect(f"Job №{number}", chat_id=INHOUSE_GROUP)
    assert "Take the job" in str(new_card["reply_markup"])
    assert len(telegram.sent("sendMediaGroup", chat_id=INHOUSE_GROUP)) == 1
    assert people.ivan.find_button("Take", AQUA_GROUP) is None  # the old card has no buttons left
    await people.olga.press("Take the job", chat_id=INHOUSE_GROUP)
    await people.john.expect("Olga of In-house team has taken your request")


async def test_a_contractor_without_a_group_sends_the_job_to_the_managers_to_assign(running, people, telegram):
    await register(people.john)
    await people.john.send("No power in the whole flat")
    await people.john.press("Yes")
    await people.john.press("unit 0502")
    await people.john.press("No photos")
    await people.john.press("As soon as possible")
    await people.john.press("Confirm")
    await people.john.expect("is registered")
    alert = await people.boss.expect("Volt Electric has no engineer group bound", chat_id=ALERT_CHAT)
    assert "Urgency: 🔴 EMERGENCY" in alert["text"]
    refused = await people.ivan.press_data(people.boss.find_button("In-house", ALERT_CHAT)[1], alert)
    assert refused["text"] == "Sorry, only the property's managers can do this."
    await people.boss.press("Assign to In-house team", chat_id=ALERT_CHAT)
    await people.olga.expect("Job №", chat_id=INHOUSE_GROUP)
    await edited_card(telegram, alert, "Assigned to In-house team by Boss")


async def test_with_no_contractor_at_all_the_managers_assign_by_hand(tmp_path, telegram, people, clock):
    path = write_config(tmp_path, telegram)
    text = path.read_text().replace("in_house = true", "")
    text = text.replace('trades = ["electrical"]\nblocks = ["*"]', 'trades = ["electrical"]\nblocks = ["A"]')
    path.write_text(text)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "block,unit,owner_name,phone,handover_date,language\nB,0502,John Smith,13700000003,2018-03-31,en\n"
    )
    from bot.cli import main

    assert await asyncio.to_thread(main, ["import-units", "--config", str(path), str(roster)]) == 0
    bot = RunningBot(path, clock, telegram)
    await bot.start()
    try:
        await register(people.john)
        await report_lamp(people.john)
        await people.john.press("Confirm")
        await people.john.expect("is registered")
        alert = await people.boss.expect("No contractor is configured for this job", chat_id=ALERT_CHAT)
        assert "Assign to Volt Electric" in str(alert["reply_markup"])
    finally:
        await bot.stop()


async def test_a_bound_group_receives_the_cards_of_its_contractor(running, people, telegram):
    telegram.chats[VOLT_GROUP].members[people.boss.id] = "member"
    vasya = Person(telegram, 2004, "Vasya", None, "ru")
    telegram.chats[VOLT_GROUP].members[vasya.id] = "member"
    await people.boss.send("/bind volt", chat_id=VOLT_GROUP)
    await people.boss.expect("This group now receives the task cards of Volt Electric", chat_id=VOLT_GROUP)
    await register(people.john)
    await people.john.send("The bulb in the hall is dead")
    await people.john.press("Yes")
    await people.john.press("unit 0502")
    await people.john.press("No photos")
    await people.john.press("Today")
    await people.john.press("Confirm")
    await vasya.expect("Job №", chat_id=VOLT_GROUP)
    answer = await vasya.press("Take the job", chat_id=VOLT_GROUP)  # the card speaks the property's language
    assert answer["text"].startswith("Заявка ваша")  # the answer speaks his own


async def test_a_report_can_be_moved_to_another_trade_by_its_engineer_or_a_manager(running, people, telegram):
    number, _ = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    trades = people.ivan.find_button("Another trade")
    in_petrs_chat = {**trades[0], "chat": {"id": people.petr.id, "type": "private", "first_name": "Petr"}}
    await people.petr.press_data(trades[1].replace("trades", "trade") + ":civil", in_petrs_chat)  # not his job
    await people.petr.expect("Only the engineer holding the job or a manager")
    await people.ivan.press("Another trade")
    await people.ivan.expect("Which trade does this job belong to?")
    await people.ivan.press("civil works")
    await people.ivan.expect(f"Job №{number} moved to civil works: now with In-house team")
    card = await people.olga.expect(f"Job №{number}", chat_id=INHOUSE_GROUP)
    assert "(civil works)" in card["text"]
    await people.boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    await people.boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    await people.boss.press("Another trade", chat_id=ALERT_CHAT)
    await people.boss.press("plumbing", chat_id=ALERT_CHAT)
    await people.boss.expect("now with Aqua Plumbing", chat_id=ALERT_CHAT)
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)


async def test_what_the_bot_tells_an_engineer_unasked_is_in_his_apps_language(running, people):
    """The job's details and panel come in the language of the app he took it from, not
    the property's default, so one chat does not mix two languages."""
    people.ivan.user["language_code"] = "ru"
    await register(people.john)
    await report_leak_in_english(people.john)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Ваша заявка")


async def test_an_administrator_of_the_group_takes_a_job_like_any_engineer(running, people, telegram):
    telegram.chats[AQUA_GROUP].members[people.petr.id] = "administrator"
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.petr.press("Take the job", chat_id=AQUA_GROUP)
    await people.petr.expect("Your job", f"№{number}")
