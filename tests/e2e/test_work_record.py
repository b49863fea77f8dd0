"""The work record: what the engineer found, used and collected, recorded step by step in
his chat before the job is done, and shown to the owner and the managers."""

import sqlite3

from tests.conftest import ALERT_CHAT, AQUA_GROUP
from tests.e2e.steps import quote_accepted, register, report_leak_in_english, ticket_number
from tests.fake_telegram.people import jpeg


async def on_site_paid_leak(people) -> str:
    """John's leak taken by Ivan, Ivan on site, the owner's accepted price 350 yuan."""
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    await quote_accepted(people)
    return number


async def up_to_the_receipt(ivan) -> None:
    await ivan.press("Done")
    await ivan.expect("What did you find")
    await ivan.send("Cracked seal on the riser joint")
    await ivan.expect("What materials did you use?")
    await ivan.press("No materials")
    await ivan.expect("at least one photo of the result")
    await ivan.send_photo(jpeg("white"))
    await ivan.expect("Photos of the result: 1")
    await ivan.press("Done")
    await ivan.expect("photo of the receipt", "350 yuan: new seal and fitting")


def db(config_path, query):
    with sqlite3.connect(config_path.parent / "baoxiu.db") as connection:
        return connection.execute(query).fetchall()


def ticket_id(config_path) -> int:
    return db(config_path, "select id from ticket")[0][0]


async def test_the_engineer_records_fault_materials_and_photos_and_the_owner_and_managers_see_them(
    running, people, telegram, config_path
):
    number = await on_site_paid_leak(people)
    ivan = people.ivan
    await ivan.press("Done")
    choices = await ivan.expect("What did you find")
    offered = [b["text"] for row in choices["reply_markup"]["inline_keyboard"] for b in row]
    assert "Failed waterproof membrane" in offered and "Normal wear and tear" in offered  # the leak's trade
    await ivan.press("Failed waterproof membrane")
    await ivan.expect("Fault: Failed waterproof membrane", "What materials did you use?")
    await ivan.send("waterproof coating 2 kg 80\nsealant 1 tube 25\nsome tape")
    shown = await ivan.expect("«some tape»: I could not read it")
    assert "• waterproof coating — 2 kg — ¥80\n• sealant — 1 tube — ¥25\nTotal: ¥105" in shown["text"]
    await ivan.press("Materials done")
    await ivan.expect("at least one photo of the result")
    await ivan.send_photo(jpeg("white"))
    await ivan.send_photo(jpeg("green"))
    await ivan.expect("Photos of the result: 2")
    await ivan.press("Done")
    await ivan.expect("photo of the receipt")
    await ivan.send_photo(jpeg("gray"), media_group_id="receipt")  # the receipt's front and back, as an album
    await ivan.send_photo(jpeg("black"), media_group_id="receipt")
    await ivan.expect("How much did you collect", "¥350")
    await ivan.send("350")
    summary = await ivan.expect("Please check the work record")
    for line in ("Fault found: Failed waterproof membrane", "Materials total: ¥105", "Collected: ¥350"):
        assert line in summary["text"]
    assert "Photos of the result: 2" in summary["text"] and "Receipt photos: 2" in summary["text"]
    asked = [m for m in telegram.chat_messages(ivan.id) if "How much did you collect" in m.get("text", "")]
    assert len(asked) == 1  # one question for the album
    await ivan.press("Confirm")

    done = await people.john.expect("Ivan finished request", "Is it fixed?")
    for line in ("Failed waterproof membrane", "• waterproof coating — 2 kg — ¥80", "Materials total: ¥105"):
        assert line in done["text"]
    assert "Collected: ¥350" in done["text"]
    await ivan.expect("The owner was asked to confirm")
    assert db(config_path, "select fault_code, paid, quoted_fen, collected_fen from work_record") == [
        ("failed_membrane", 1, 35000, 35000)
    ]
    assert db(config_path, "select name, quantity, unit, cost_fen from work_material order by position") == [
        ("waterproof coating", "2", "kg", 8000),
        ("sealant", "1", "tube", 2500),
    ]
    assert db(config_path, "select stage, count(*) from ticket_photo group by stage order by stage") == [
        ("after", 2),
        ("before", 1),
        ("receipt", 2),
    ]
    await people.boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    card = await people.boss.expect(f"№{number}", "work record", chat_id=ALERT_CHAT)
    assert "waterproof coating 2 kg ¥80; sealant 1 tube ¥25 (total ¥105); collected ¥350" in card["text"]


async def test_paid_work_without_a_receipt_is_refused_with_a_hint_and_the_step_kept(running, people, config_path):
    await on_site_paid_leak(people)
    ivan = people.ivan
    await up_to_the_receipt(ivan)
    await ivan.send("the owner has no need of a receipt")
    hint = await ivan.expect("Paid work needs a photo of the receipt given to the owner")
    # a summary's Confirm from elsewhere (an old message, a forged button) cannot skip it
    await ivan.press_data(f"wrec:{ticket_id(config_path)}:1", hint)
    refusal = await ivan.expect("The work record is not complete yet")
    assert "paid work needs a photo of the receipt" in refusal["text"]
    assert db(config_path, "select status from ticket") == [("on_site",)]
    await ivan.send_photo(jpeg("gray"))
    await ivan.expect("How much did you collect")
    await ivan.send("300")
    await ivan.expect("¥300 is not the accepted price ¥350")
    await ivan.send("300 the owner kept the old fitting")
    summary = await ivan.expect("Please check the work record")
    assert "Collected: ¥300" in summary["text"] and "the owner kept the old fitting" in summary["text"]
    await ivan.press("Confirm")
    await people.john.expect("Is it fixed?", "Collected: ¥300")
    assert db(config_path, "select collected_fen, collected_reason from work_record") == [
        (30000, "the owner kept the old fitting")
    ]


async def test_every_material_line_not_recorded_is_named_with_why_within_one_message(running, people, config_path):
    await on_site_paid_leak(people)
    ivan = people.ivan
    await ivan.press("Done")
    await ivan.expect("What did you find")
    await ivan.send("Cracked seal on the riser joint")
    await ivan.expect("What materials did you use?")
    await ivan.send("PPR pipe 2 m 30\nvalve 1 pcs 1000001\nglue 99999999999999999999999 tube 5\n-3 x 5\nseal 0 2")
    shown = (await ivan.expect("Not recorded:", "Total: ¥30"))["text"]
    for named in (
        "• «valve 1 pcs 1000001»: the cost must be at most ¥1000000",
        "• «glue 99999999999999999999999 tube 5»: the quantity must be more than 0 and at most 10000",
        "• «-3 x 5»: I could not read it",
        "• «seal 0 2»: the quantity must be more than 0 and at most 10000",
    ):
        assert named in shown
    assert "glue —" not in shown  # not recorded, so not in the list so far
    await ivan.send("sealant")
    await ivan.expect("«sealant»: how much was used")
    await ivan.send("0 tubes 40")
    await ivan.expect("«sealant 0 tubes 40»: the quantity must be more than 0", "Please write the quantity")
    await ivan.send("1 tube 25")
    await ivan.expect("• PPR pipe — 2 m — ¥30\n• sealant — 1 tube — ¥25\nTotal: ¥55")
    # a pasted page of lines none of which is a material: as many named as one message holds
    await ivan.send("\n".join(f"no price here {index}" for index in range(200)))
    answer = (await ivan.expect("Not recorded:", "Total: ¥55"))["text"]
    assert len(answer) <= 4096 and "• «no price here 0»: I could not read it" in answer
    named = answer.count("• «no price here")
    assert f"• and {200 - named} more lines" in answer
    assert db(config_path, "select count(*) from work_material") == [(0,)]


async def test_a_negative_or_impossible_amount_collected_is_refused_and_asked_again(running, people, config_path):
    await on_site_paid_leak(people)
    ivan = people.ivan
    await up_to_the_receipt(ivan)
    await ivan.send_photo(jpeg("gray"))
    await ivan.expect("How much did you collect")
    await ivan.send("-200")
    await ivan.expect("The amount collected cannot be negative")
    await ivan.send("1000001")
    await ivan.expect("The amount collected can be at most ¥1000000")
    await ivan.send("350")
    summary = await ivan.expect("Please check the work record")
    assert "Collected: ¥350" in summary["text"]


async def test_a_quote_without_a_price_in_figures_is_asked_again(running, people, config_path):
    await register(people.john)
    await report_leak_in_english(people.john)
    ivan = people.ivan
    await ivan.press("Take the job", chat_id=AQUA_GROUP)
    await ivan.expect("Your job")
    await ivan.press("Arrived")
    await ivan.expect("engineer on site")
    await ivan.press("Quote the price")
    await ivan.expect("Send the price")
    await ivan.send("about two hundred")
    await ivan.expect("The price is missing: please write it in figures")
    await ivan.send("about two hundred yuan")
    await ivan.expect("The price is missing: please write it in figures")
    await ivan.send("-200 yuan: new seal")
    await ivan.expect("That price cannot be right")
    assert db(config_path, "select quote, quote_status from ticket") == [(None, None)]  # nothing went to the owner
    await ivan.send("200 yuan: new seal")
    await people.john.expect("Do you accept", "200 yuan: new seal")


async def test_a_sticker_or_stray_text_at_a_button_step_gets_a_hint_and_keeps_the_step(running, people, config_path):
    await on_site_paid_leak(people)
    ivan = people.ivan
    await ivan.press("Done")
    await ivan.expect("What did you find")
    await ivan.send_sticker()
    await ivan.expect("Please choose the fault with a button or write it as text")
    await ivan.press("Normal wear and tear")
    await ivan.expect("What materials did you use?")
    await ivan.send_sticker()
    await ivan.expect("Please send the materials as text")
    await ivan.send("sealant")  # named alone: asked step by step
    await ivan.expect("«sealant»: how much was used, and what did it cost?")
    await ivan.send_sticker()
    await ivan.expect("Please write the quantity with its unit and the cost")
    await ivan.send("1 tube 25")
    await ivan.expect("• sealant — 1 tube — ¥25\nTotal: ¥25")
    await ivan.send("seal 2 pcs 15")
    await ivan.expect("Total: ¥40")
    await ivan.press("Materials done")
    await ivan.expect("at least one photo of the result")
    await ivan.send("done")
    await ivan.expect("Please send a photo of the result")
    await ivan.press("Done")  # the job panel's Done, tapped again, asks the same step again
    await ivan.expect("at least one photo of the result")
    await ivan.send_photo(jpeg("white"))
    await ivan.expect("Photos of the result: 1")
    await ivan.press("Done")
    await ivan.expect("photo of the receipt")
    await ivan.send_photo(jpeg("gray"))
    await ivan.send("three hundred fifty")
    await ivan.expect("Please write the amount collected as a number")
    await ivan.send("350")
    await ivan.expect("Please check the work record")
    await ivan.send("ok")
    await ivan.expect("Please press «Confirm» to finish the job")
    await ivan.send_sticker()
    await ivan.expect("Please press «Confirm» to finish the job")
    assert db(config_path, "select status from ticket") == [("on_site",)]
    await ivan.press("Confirm")
    await people.john.expect("Is it fixed?", "Normal wear and tear", "• seal — 2 pcs — ¥15")


async def test_a_button_of_the_record_pressed_by_another_engineer_is_refused(running, people, config_path):
    await on_site_paid_leak(people)
    ivan, petr = people.ivan, people.petr
    await up_to_the_receipt(ivan)
    await ivan.send_photo(jpeg("gray"))
    await ivan.expect("How much did you collect")
    await ivan.send("350")
    summary = await ivan.expect("Please check the work record")
    confirm = ivan.find_button("Confirm")
    assert confirm is not None
    forged = {**summary, "chat": {"id": petr.id, "type": "private", "first_name": "Petr"}}
    await petr.press_data(confirm[1], forged)
    await petr.expect("This job is not yours")
    await petr.press_data(f"fault:{ticket_id(config_path)}:worn_seal", forged)
    await petr.expect("This job is not yours")
    assert db(config_path, "select status from ticket") == [("on_site",)]
    assert db(config_path, "select count(*) from work_record") == [(0,)]
    await ivan.press("Confirm")
    await ivan.expect("The owner was asked to confirm")
    await ivan.press_data(confirm[1], summary)  # the same tap again changes nothing
    await ivan.expect("That step is not possible for this job now")
    assert db(config_path, "select count(*) from work_record") == [(1,)]


async def test_the_record_survives_a_restart_mid_way(running, people, config_path):
    await on_site_paid_leak(people)
    ivan = people.ivan
    await ivan.press("Done")
    await ivan.expect("What did you find")
    await ivan.send("Cracked seal on the riser joint")
    await ivan.expect("What materials did you use?")
    await ivan.send("PPR pipe 2 m 30")
    await ivan.expect("Total: ¥30")
    await running.restart()
    await ivan.send("seal 2 pcs 15")
    await ivan.expect("• PPR pipe — 2 m — ¥30\n• seal — 2 pcs — ¥15\nTotal: ¥45")
    await ivan.press("Materials done")
    await ivan.send_photo(jpeg("white"))
    await ivan.expect("Photos of the result: 1")
    await running.restart()
    await ivan.press("Done")
    await ivan.send_photo(jpeg("gray"))
    await ivan.send("350")
    summary = await ivan.expect("Please check the work record")
    assert "Fault found: Cracked seal on the riser joint" in summary["text"]
    assert "Materials total: ¥45" in summary["text"] and "Photos of the result: 1" in summary["text"]
    await ivan.press("Confirm")
    await people.john.expect("Cracked seal on the riser joint", "Materials total: ¥45", "Is it fixed?")


async def test_a_command_at_a_typed_step_is_a_command_and_cancel_drops_the_step(running, people, config_path):
    await register(people.john)
    await report_leak_in_english(people.john)
    ivan = people.ivan
    await ivan.press("Take the job", chat_id=AQUA_GROUP)
    await ivan.expect("Your job")
    await ivan.press("Arrived")
    await ivan.expect("engineer on site")
    await ivan.press("Quote the price")
    await ivan.expect("Send the price")
    await ivan.send("/language")
    await ivan.expect("Choose your language")  # not read as a price without figures
    await ivan.send("/cancel")
    await ivan.expect("Cancelled: nothing of what you were entering was kept")
    await ivan.send("/cancel")
    await ivan.expect("There is nothing to cancel")
    assert db(config_path, "select quote from ticket") == [(None,)]
    await ivan.press("Quote the price")
    await ivan.expect("Send the price")
