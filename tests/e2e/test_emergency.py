"""Emergencies first (seed 000: 紧急情况下…房修工程师应在15分钟内赶到; 突发事件应迅速报告领导):
John smells gas. He is told at once how to stay safe and whom to call, is asked only where,
and the staff on duty and the managers know within the same moment; the ladder then climbs
in minutes."""

from datetime import timedelta

from tests.conftest import ALERT_CHAT, AQUA_GROUP, INHOUSE_GROUP, MANAGER_ID, NIGHT_CHAT, PROJECT_MANAGER_ID
from tests.e2e.steps import register, ticket_number, up_to_the_description
from tests.e2e.test_clock import settle, sweep, texts
from tests.fake_telegram.people import jpeg

PHONE = "13700000003"


async def report_gas(people) -> dict:
    await register(people.john)
    await people.john.send("I smell gas in the kitchen")
    advice = await people.john.expect("This is an emergency")
    await people.john.expect("Where is the problem?")
    await people.john.press("unit 0502")
    filed = await people.john.expect("Emergency №")
    return {"advice": advice["text"], "filed": filed["text"]}


async def test_000_a_smell_of_gas_is_filed_at_once_and_the_duty_staff_are_alerted(running, people, telegram, clock):
    said = await report_gas(people)
    assert "call 119 / 110 / 120 first" in said["advice"]
    assert "do not use a lighter" in said["advice"]
    assert "0755-8888 0000" in said["advice"]
    assert "0755-8888 0000" in said["filed"]
    number = ticket_number({"text": said["filed"]})
    await settle(running)
    asked = " ".join(m.get("text", "") for m in telegram.chat_messages(people.john.id))
    assert "one by one" not in asked  # both ways of asking for photos say it
    assert "When would a visit suit you?" not in asked and "Please check your report" not in asked
    card = await people.olga.expect(f"Job №{number}", chat_id=INHOUSE_GROUP)
    assert "🚨 Emergency" in card["text"] and "Take by 11-23 10:15 · on site by 11-23 10:15" in card["text"]
    assert not any(PHONE in m.get("text", "") for m in telegram.chat_messages(INHOUSE_GROUP))
    alert = await people.boss.expect("EMERGENCY", chat_id=ALERT_CHAT)
    assert PHONE in alert["text"] and "unit 0502" in alert["text"] and f"№{number}" in alert["text"]
    assert texts(telegram, MANAGER_ID, "EMERGENCY") and texts(telegram, PROJECT_MANAGER_ID, "EMERGENCY")
    assert not texts(telegram, NIGHT_CHAT, "EMERGENCY")  # 10:00: the day's chat is on duty


async def test_000_at_night_the_night_duty_is_alerted(running, people, telegram, clock):
    clock.advance(timedelta(hours=12))  # 22:00
    await report_gas(people)
    await people.boss.expect("EMERGENCY", PHONE, chat_id=NIGHT_CHAT)


async def test_000_an_emergency_nobody_reaches_in_15_minutes_climbs_the_ladder_in_minutes(
    running, people, telegram, clock
):
    number = ticket_number({"text": (await report_gas(people))["filed"]})
    await people.olga.press("Take the job", chat_id=INHOUSE_GROUP)
    await settle(running)
    clock.advance(timedelta(minutes=16))  # 10:16: the on-site deadline of 10:15 is missed
    await sweep(running)
    alert = await people.boss.expect(f"Job №{number}", "Escalated to: supervisor", chat_id=ALERT_CHAT)
    assert "on site" in alert["text"]
    clock.advance(timedelta(minutes=15))  # 10:31: a quarter of an hour later, the project manager
    await sweep(running)
    await people.boss.expect(f"Job №{number}", "Escalated to: project manager", chat_id=ALERT_CHAT)
    assert texts(telegram, PROJECT_MANAGER_ID, "Escalated to: project manager")
    await people.boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    history = await people.boss.expect(f"Job №{number}", "History:", chat_id=ALERT_CHAT)
    assert "escalated to the supervisor: the on site deadline was missed" in history["text"]
    assert "escalated to the project manager: the on site deadline was missed" in history["text"]


async def test_000_the_emergency_button_asks_what_is_happening_and_needs_no_photo(running, people, telegram):
    await register(people.john)
    await people.john.send("🚨 Emergency")
    await people.john.expect("What is happening?")
    await people.john.press("People stuck in a lift")
    advice = await people.john.expect("This is an emergency")
    assert "alarm button" in advice["text"] and "119 / 110 / 120" in advice["text"]
    await people.john.press("unit 0502")
    await people.john.expect("Emergency №")


async def test_000_a_burst_pipe_in_a_public_area_in_russian_goes_to_the_plumbers(running, people, telegram):
    await register(people.anna, "ru")
    await people.anna.send("Прорвало трубу, затопило подвал")
    advice = await people.anna.expect("Это авария")
    assert "вводной кран" in advice["text"] and "119 / 110 / 120" not in advice["text"]
    await people.anna.press("Общая зона")
    await people.anna.expect("Где именно в общей зоне")
    await people.anna.send("подвал, 1 подъезд")
    number = ticket_number(await people.anna.expect("Аварийная заявка №"))
    card = await people.ivan.expect(f"№{number}", "подвал, 1 подъезд", chat_id=AQUA_GROUP)
    assert "+7 916" not in card["text"] and "79161234567" not in card["text"]
    await people.boss.expect("EMERGENCY", "Anna", chat_id=ALERT_CHAT)


async def test_000_an_emergency_told_once_the_place_is_known_is_filed_at_once(running, people, telegram):
    """A report that turns out to be an emergency at its description is filed there and
    then: no photos, no visit time, no summary to confirm."""
    await up_to_the_description(people.john, "Blocked or leaking")
    await people.john.send("A pipe burst under the sink, the kitchen is flooding")
    await people.john.expect("This is an emergency")
    filed = await people.john.expect("Emergency №")
    number = ticket_number(filed)
    await people.boss.expect("EMERGENCY", f"№{number}", chat_id=ALERT_CHAT)
    await settle(running)
    asked = " ".join(m.get("text", "") for m in telegram.chat_messages(people.john.id))
    assert "Please check your report" not in asked and "When would a visit suit you?" not in asked


async def test_000_the_emergency_button_once_the_place_is_known_files_at_once(running, people):
    await up_to_the_description(people.john)
    await people.john.send("🚨 Emergency")
    await people.john.press("Smell of gas")
    await people.john.expect("This is an emergency")
    number = ticket_number(await people.john.expect("Emergency №"))
    await people.boss.expect("EMERGENCY", f"№{number}", chat_id=ALERT_CHAT)


async def test_000_a_long_message_about_an_emergency_is_not_sent_back(running, people):
    """The length limit of a description never turns an emergency away: it is kept, cut."""
    await register(people.john)
    await people.john.send("I smell gas in the kitchen. " + "It is getting stronger. " * 60)
    await people.john.expect("This is an emergency")
    await people.john.expect("Where is the problem?")
    await people.john.press("unit 0502")
    await people.john.expect("Emergency №")


async def test_000_an_emergency_told_in_a_photo_caption_is_one(running, people):
    """A photo captioned "burst pipe" is an emergency like the words alone, and the photo is kept."""
    await register(people.john)
    await people.john.send_photo(jpeg("blue"), "Burst pipe, the bathroom is flooding")
    await people.john.expect("This is an emergency")
    await people.john.expect("Where is the problem?")
    await people.john.press("unit 0502")
    number = ticket_number(await people.john.expect("Emergency №"))
    card = await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    assert "🚨 Emergency" in card["text"] and "Photos: 1" in card["text"]


async def test_000_an_emergency_in_a_photo_caption_at_the_description_is_filed_at_once(running, people):
    await up_to_the_description(people.john)
    await people.john.send_photo(jpeg("blue"), "The pipe burst, the kitchen is flooding")
    await people.john.expect("This is an emergency")
    number = ticket_number(await people.john.expect("Emergency №"))
    await people.boss.expect("EMERGENCY", f"№{number}", chat_id=ALERT_CHAT)
