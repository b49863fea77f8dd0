"""Owners report repairs: the conversation, its photos, bad input, restarts."""

import asyncio
import hashlib
import io
import logging
import sqlite3

from PIL import Image

from tests.conftest import ALERT_CHAT, AQUA_GROUP, INHOUSE_GROUP
from tests.e2e.steps import register, report_lamp, report_leak_in_english, ticket_number, up_to_the_description
from tests.fake_telegram.people import GPS_IFD, huge_png, jpeg


def rows(config_path, query, *values):
    database = config_path.parent / "baoxiu.db"
    with sqlite3.connect(database) as db:
        return db.execute(query, values).fetchall()


def exif_of(content: bytes) -> dict:
    with Image.open(io.BytesIO(content)) as image:
        exif = image.getexif()
        return {**dict(exif), **{f"gps.{k}": v for k, v in exif.get_ifd(GPS_IFD).items()}}


async def test_a_leak_reported_in_english_is_filed_with_its_evidence(running, people, telegram, config_path):
    await register(people.john)
    photo = jpeg("red", exif_time="2026:11:23 09:41:07", gps=True)
    await people.john.send("water is dripping from the bathroom ceiling")
    await people.john.press("Yes")
    await people.john.press("unit 0502")
    await people.john.expect("at least one photo")
    await people.john.send_photo(photo)
    await people.john.expect("Photos received: 1 of 10")
    await people.john.press("Done")
    await people.john.press("Tomorrow morning")
    summary = await people.john.expect("Please check your report")
    assert "Block B, unit 0502" in summary["text"] and "Tomorrow morning" in summary["text"]
    assert "Paid service" in summary["text"] and "2023-03-31" in summary["text"]
    await people.john.press("Confirm")
    confirmation = await people.john.expect("is registered")
    assert "A specialist will contact you within 10 minutes" in confirmation["text"]
    number = ticket_number(confirmation)
    assert number == "261123-0001"

    [(path, sha256, size, exif, shared)] = rows(
        config_path, "select path, sha256, size, exif_taken_at, shared_path from ticket_photo"
    )
    assert sha256 == hashlib.sha256(photo).hexdigest() and size == len(photo)
    assert exif == "2026:11:23 09:41:07"
    with open(path, "rb") as kept:
        assert kept.read() == photo  # the evidence is the original, GPS and all
    assert "gps.2" in exif_of(photo)
    await people.ivan.expect("Job №", chat_id=AQUA_GROUP)
    [sent] = telegram.sent("sendPhoto", chat_id=AQUA_GROUP)
    assert isinstance(sent["photo"], bytes) and exif_of(sent["photo"]) == {}  # the group's copy: no EXIF
    with open(shared, "rb") as copy:
        assert copy.read() == sent["photo"]
    [(status, urgency, coverage, contractor)] = rows(
        config_path, "select status, urgency, coverage, contractor_code from ticket"
    )
    assert (status, urgency, coverage, contractor) == ("assigned", "urgent", "paid", "aqua")


async def test_a_report_in_chinese_starts_from_plain_words(running, people, telegram):
    wang = people.wang
    await register(wang, "zh")
    await wang.send("卫生间天花板漏水")
    suggestion = await wang.next_message()
    assert suggestion["text"] == "根据您的描述，问题类型应为：💧 漏水/渗水，对吗？"
    await wang.press("是的")
    await wang.expect("请选择报修位置")
    await wang.press("Block A 1203室")
    await wang.expect("请至少发送一张问题照片")
    await wang.send_album([jpeg("red"), jpeg("blue")])
    await wang.expect("已收到照片：2/10张")
    await wang.press("完成")
    await wang.expect("您希望什么时间上门")
    await wang.send("周六10点以后")
    summary = await wang.expect("请确认您的报修信息")
    assert "问题描述：卫生间天花板漏水" in summary["text"]
    assert "期望上门时间：周六10点以后" in summary["text"]
    assert "🛡 在保修期内（至2029-06-30），免费维修。" in summary["text"]
    await wang.press("确认提交")
    confirmation = await wang.expect("您的报修已受理，单号：")
    assert "我们将安排专人在10分钟内与您联系" in confirmation["text"]
    card = await people.ivan.expect("Job №", chat_id=AQUA_GROUP)
    assert "Owner prefers: 周六10点以后" in card["text"]
    assert len(telegram.sent("sendMediaGroup", chat_id=AQUA_GROUP)[0]["media"]) == 2


async def test_a_photo_with_a_caption_starts_a_report_and_an_album_is_acknowledged_once(running, people, telegram):
    john = people.john
    await register(john)
    await john.send_album([jpeg("red"), jpeg("green"), jpeg("blue")], caption="Ceiling is leaking in the kitchen")
    acknowledgement = await john.next_message()
    assert acknowledgement["text"].startswith("📷 Photos received: 3 of 10.")
    assert "It sounds like: 💧 Leak / seepage" in acknowledgement["text"]
    await asyncio.sleep(0.4)
    assert john.read_all() == []  # one acknowledgement for the whole album
    await john.press("Yes")
    await john.press("unit 0502")
    asked = await john.expect("at least one photo")
    assert "Photos so far: 3." in asked["text"]
    await john.press("Done")
    await john.press("As soon as possible")
    summary = await john.expect("Please check your report")
    assert "Description: Ceiling is leaking in the kitchen" in summary["text"] and "Photos: 3" in summary["text"]


async def test_unexpected_input_gets_a_hint_and_the_step_is_kept(running, people, telegram):
    john = people.john
    await register(john)
    await john.send("/report")
    await john.expect("What kind of problem")
    await john.send_sticker()
    assert "choose the kind of problem with the buttons" in (await john.next_message())["text"]
    await john.send("hm")
    assert "choose the kind of problem" in (await john.next_message())["text"]
    await john.press("Wall crack")
    await john.expect("Category: 🧱 Wall crack")
    await john.press("unit 0502")
    await john.expect("describe the problem")
    await john.send_voice()
    assert "describe the problem in words" in (await john.next_message())["text"]
    await john.send("x" * 5000)
    assert "too long (5000 characters). Please keep it under 1000" in (await john.next_message())["text"]
    await john.send("A crack across the living room wall")
    await john.expect("at least one photo")
    await john.send_document(b"%PDF-1.4", "application/pdf", "scan.pdf")
    assert "I need photos here" in (await john.next_message())["text"]
    await john.send("here it is")
    assert "I need photos here" in (await john.next_message())["text"]
    await john.press("Done")
    await john.expect("needs at least one photo")
    await john.send_document(jpeg("gray"), "image/jpeg", "IMG_0001.jpg")
    await john.expect("Photos received: 1 of 10")
    await john.press("Done")
    await john.expect("When would a visit suit you")
    await john.send("y" * 300)
    assert "Please keep it under 200" in (await john.next_message())["text"]
    await john.press("At the weekend")
    await john.press("Confirm")
    await john.expect("is registered")
    await people.olga.expect("Job №", chat_id=INHOUSE_GROUP)
    assert telegram.sent("sendDocument", chat_id=INHOUSE_GROUP) == []  # never the owner's original file
    [sent] = telegram.sent("sendPhoto", chat_id=INHOUSE_GROUP)
    assert exif_of(sent["photo"]) == {}


async def test_a_report_can_have_no_photos_when_the_category_allows(running, people, telegram):
    await register(people.john)
    await people.john.send("/report")
    await people.john.press("Lighting")
    await people.john.press("unit 0502")
    await people.john.send("The hall lamp flickers")
    ask = await people.john.expect("You can send up to 10 photos")
    assert "No photos" in str(ask["reply_markup"])
    await people.john.press("No photos")
    await people.john.press("Today")
    summary = await people.john.expect("Please check your report")
    assert "Photos: 0" in summary["text"]


async def test_at_most_ten_photos_are_kept(running, people):
    await register(people.john)
    await people.john.send("/report")
    await people.john.press("Leak")
    await people.john.press("unit 0502")
    await people.john.send("Leak under the window")
    await people.john.expect("at least one photo")
    for _index in range(11):
        await people.john.send_photo(jpeg("red"))
    full = await people.john.expect("further photos were not added")
    assert "Photos received: 10 of 10" in full["text"]


async def test_the_summary_can_be_edited_and_cancelled(running, people, telegram, config_path):
    john = people.john
    await register(john)
    await report_lamp(john, "Lamp is broken")
    await john.press("Edit")
    await john.expect("What would you like to change")
    await john.press("Description")
    await john.expect("describe the problem")
    await john.send("Two lamps in the hall are broken")
    summary = await john.expect("Please check your report")
    assert "Description: Two lamps in the hall are broken" in summary["text"]
    assert "Visit: Today" in summary["text"]
    await john.press("Cancel")
    await john.expect("Report cancelled; nothing was sent.")
    assert rows(config_path, "select count(*) from ticket") == [(0,)]


async def test_a_report_survives_a_restart_of_the_bot(running, people, telegram):
    john = people.john
    await register(john)
    await john.send("/report")
    await john.press("Leak")
    await john.press("unit 0502")
    await john.expect("describe the problem")
    await running.restart()
    await john.send("Water on the bathroom floor from the ceiling")
    await john.expect("at least one photo")
    await john.send_photo()
    await john.press("Done")
    await john.press("Today")
    await john.press("Confirm")
    await john.expect("is registered")
    await people.ivan.expect("Water on the bathroom floor", chat_id=AQUA_GROUP)


async def test_two_quick_messages_do_not_race_one_step(running, people, telegram):
    john = people.john
    await register(john)
    await john.send("/report")
    await john.press("Lighting")
    await john.press("unit 0502")
    await john.expect("describe the problem")
    await asyncio.gather(john.send("first words"), john.send("second words"))
    photos_step = await john.next_message()
    assert "You can send up to 10 photos" in photos_step["text"]
    assert "I need photos here" in (await john.next_message())["text"]
    await john.press("No photos")
    await john.press("Today")
    assert "Description: first words" in (await john.expect("Please check your report"))["text"]


async def test_a_second_tap_on_confirm_files_nothing_twice(running, people, telegram, config_path):
    john = people.john
    await register(john)
    summary = await report_lamp(john)
    confirm = john.find_button("Confirm")[1]
    first, second = await asyncio.gather(john.press_data(confirm, summary), john.press_data(confirm, summary))
    await john.expect("is registered")
    assert rows(config_path, "select count(*) from ticket") == [(1,)]
    assert "no longer active" in (first.get("text", "") + second.get("text", ""))


async def test_every_button_is_answered_before_the_work_behind_it(running, people, telegram):
    john = people.john
    await register(john)
    await john.send("/report")
    await john.expect("What kind of problem")
    before = len(telegram.requests)
    await john.press("Lighting")
    await john.expect("Where is the problem?")
    after = [r.method for r in telegram.requests[before:]]
    assert after[0] == "answerCallbackQuery" and after.count("sendMessage") == 2


async def test_a_public_area_report_names_the_spot_and_the_maintenance_fund(running, people, telegram):
    john = people.john
    await register(john)
    await john.send("/report")
    await john.press("Blocked or leaking sink")
    await john.press("Public area, Block B")
    await john.expect("Where exactly in the public area of Block B")
    await john.send("Basement car park, near lift 2")
    await john.send("The floor drain is blocked and water stands")
    await john.press("No photos")
    await john.press("As soon as possible")
    summary = await john.expect("Please check your report")
    assert "Place: Block B, public area: Basement car park, near lift 2" in summary["text"]
    assert "Paid service" not in summary["text"]
    await john.press("Confirm")
    card = await people.ivan.expect("Job №", chat_id=AQUA_GROUP)
    assert "not a warranty repair: paid from the special maintenance fund (B-type work order)" in card["text"]


async def test_an_appliance_for_a_specialist_shop_is_referred_not_dispatched(running, people, telegram):
    john = people.john
    await register(john)
    await john.send("/report")
    await john.press("Appliance for a specialist shop")
    await john.expect("not repaired by the property team")
    await john.press("unit 0502")
    await john.send("The TV set is dead")
    await john.press("No photos")
    await john.press("As soon as possible")
    await john.press("Confirm")
    await john.expect("needs a specialist repair shop")
    await asyncio.sleep(0.2)
    to_groups = [r for r in telegram.requests if r.params.get("chat_id", 0) < 0 and r.method != "getChatMember"]
    assert to_groups == []  # (the start-up's membership checks aside)


async def test_my_lists_the_owners_tickets_and_opens_one_with_its_history(running, people, telegram):
    await register(people.john)
    await people.john.send("/my")
    assert "no requests yet" in (await people.john.next_message())["text"]
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect("Job №", chat_id=AQUA_GROUP)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.john.expect("has taken your request")
    await people.john.send("📋 My requests")
    listing = await people.john.expect("Your requests")
    assert f"№{number} · 💧 Leak / seepage · engineer assigned" in str(listing["reply_markup"])
    await people.john.press(f"№{number}")
    opened = await people.john.expect(f"Request №{number}: engineer assigned")
    assert "request registered" in opened["text"]
    assert "sent to Aqua Plumbing" in opened["text"]
    assert "taken by Ivan (Aqua Plumbing)" in opened["text"]
    await register(people.wang, "zh")
    forged = people.john.find_button(f"№{number}")[1]  # Wang's client sends John's button data
    await people.wang.press_data(forged, telegram.chat_messages(people.wang.id)[-1])
    await people.wang.expect("此按钮已失效")  # not her ticket


async def test_what_is_not_a_photo_is_refused_and_the_step_is_kept(running, people, telegram, config_path):
    john = people.john
    await register(john)
    await john.send_document(b"MZ\x90\x00" + bytes(400), "image/jpeg", "photo.jpg.exe")
    assert "not a photo I can open" in (await john.next_message())["text"]
    await john.send("/report")
    await john.expect("What kind of problem")  # the refused file started nothing
    await john.press("Leak")
    await john.press("unit 0502")
    await john.send("Leak under the sink")
    await john.expect("at least one photo")
    await john.send_document(b"MZ\x90\x00" + bytes(400), "image/jpeg", "IMG_0002.jpg")
    assert "not a photo I can open" in (await john.next_message())["text"]
    await john.send_photo(jpeg("red")[:300])  # cut off on the way
    assert "not a photo I can open" in (await john.next_message())["text"]
    await john.send_document(huge_png(), "image/png", "bomb.png")
    assert "too large to open (more than 40 megapixels)" in (await john.next_message())["text"]
    await john.send_document(huge_png(8000, 6000), "image/png", "panorama.png")
    assert "too large to open" in (await john.next_message())["text"]
    await john.press("Done")
    await john.expect("needs at least one photo")  # still on the photo step, with no photo
    await john.send_photo(jpeg("blue"))
    await john.expect("Photos received: 1 of 10")
    assert rows(config_path, "select count(*) from ticket") == [(0,)]
    assert len(list((config_path.parent / "evidence" / "originals").rglob("*.*"))) == 1


async def test_a_photo_delivered_twice_counts_once(running, people, telegram):
    john = people.john
    await register(john)
    await report_lamp_to_photos(john)
    photo = await john.send_photo(jpeg("red"))
    await john.redeliver(photo)
    await john.expect("Photos received: 1 of 10")
    await john.send_photo(jpeg("blue"))
    await john.expect("Photos received: 2 of 10")
    await john.press("Done")
    await john.press("Today")
    assert "Photos: 2" in (await john.expect("Please check your report"))["text"]


async def report_lamp_to_photos(owner) -> None:
    await owner.send("/report")
    await owner.press("Lighting")
    await owner.press("unit 0502")
    await owner.send("The hall lamp flickers")
    await owner.expect("You can send up to 10 photos")


async def test_a_photo_telegram_cannot_hand_over_is_asked_again_and_the_token_is_not_logged(
    running, people, telegram, caplog
):
    john = people.john
    await register(john)
    await report_lamp_to_photos(john)
    caplog.set_level(logging.WARNING)
    photo = await john.send_photo(jpeg("red"))
    telegram.lost_files.add(photo["photo"][-1]["file_id"])
    await john.redeliver(photo)  # the same photo again, now that Telegram's file server fails
    assert "could not get that photo" in (await john.next_message())["text"]
    assert "could not download photo" in caplog.text
    assert telegram.token not in caplog.text and telegram.token.split(":")[1] not in caplog.text


async def test_confirm_again_after_a_restart_before_the_reply_files_once(running, people, telegram, config_path):
    """The bot stopped after filing but before the conversation moved on: Confirm again
    (or the same update delivered again) finds the ticket filed from this report."""
    john = people.john
    await register(john)
    summary = await report_lamp(john)
    [conversation] = rows(config_path, "select key, state, data from conversation where state is not null")
    confirm = john.find_button("Confirm")[1]
    await john.press_data(confirm, summary)
    number = ticket_number(await john.expect("is registered"))
    await running.stop()
    rows(config_path, "update conversation set state = ?, data = ? where key = ?", *conversation[1:], conversation[0])
    await running.start()
    await john.press_data(confirm, summary)
    await john.send("/report")
    await john.expect("What kind of problem")  # the report was done with: a new one starts
    assert rows(config_path, "select number from ticket") == [(number,)]
    sent = rows(config_path, "select chat_id from outbox where ticket_id = 1 and status = 'sent' order by id")
    assert sent == [(ALERT_CHAT,), (john.id,)]  # nobody's lamp-fixers have a group: the managers are told


async def test_a_report_filed_just_before_a_restart_is_not_offered_again(running, people, telegram, config_path):
    """The bot stopped after filing but before the conversation moved on, and the owner
    starts another report: a new one starts, not the summary of the one already filed."""
    john = people.john
    await register(john)
    summary = await report_lamp(john)
    [conversation] = rows(config_path, "select key, state, data from conversation where state is not null")
    await john.press_data(john.find_button("Confirm")[1], summary)
    number = ticket_number(await john.expect("is registered"))
    await running.stop()
    rows(config_path, "update conversation set state = ?, data = ? where key = ?", *conversation[1:], conversation[0])
    await running.start()
    await john.send("/report")
    await john.expect("What kind of problem")
    said = [params.get("text") or "" for params in telegram.sent("sendMessage", chat_id=john.id)]
    assert not any("in progress" in text for text in said[-2:]), said[-2:]
    assert rows(config_path, "select number from ticket") == [(number,)]


async def test_a_photo_at_the_description_step_keeps_its_caption_as_the_words(running, people):
    await up_to_the_description(people.john)
    await people.john.send_photo(jpeg("red"), caption="Water is dripping from the bathroom ceiling")
    await people.john.expect("Photos so far: 1")
    await people.john.press("Done")
    await people.john.press("Tomorrow morning")
    summary = await people.john.expect("Please check your report")
    assert "Water is dripping from the bathroom ceiling" in summary["text"] and "Photos: 1" in summary["text"]


async def test_a_photo_without_words_at_the_description_step_asks_for_them_again(running, people):
    await up_to_the_description(people.john)
    await people.john.send_photo(jpeg("red"))
    await people.john.expect("Photos received: 1 of 10", "describe the problem")


async def test_a_photo_sent_at_the_summary_is_counted_in_the_summary_shown_again(running, people):
    await register(people.john)
    await report_lamp(people.john)
    await people.john.send_photo(jpeg("red"))
    again = await people.john.expect("Please check your report", "Photos: 1")
    assert people.john.find_button("Confirm") is not None and "reply_markup" in again
