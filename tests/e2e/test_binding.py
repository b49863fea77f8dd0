"""Owners prove who they are with their own contact; the rest ask a manager."""

from tests.conftest import ALERT_CHAT, MANAGER_ID
from tests.e2e.steps import register
from tests.fake_telegram.people import Person


async def test_start_greets_in_the_telegram_language_and_asks_for_the_contact(running, people, telegram):
    await people.wang.send("/start")
    greeting = await people.wang.next_message()
    assert "报修服务" in greeting["text"]
    assert telegram.keyboards[people.wang.id]["keyboard"][0][0] == {
        "text": "📱 分享我的手机号",
        "request_contact": True,
    }
    await people.anna.send("/start")
    assert "служба ремонта Sunny Gardens" in (await people.anna.next_message())["text"]


async def test_own_contact_binds_the_owner_to_their_units(running, people, telegram):
    await people.wang.send("/start")
    await people.wang.share_contact("8613800000001")
    bound = await people.wang.expect("您已登记的房屋")
    assert "A-1203" in bound["text"]
    assert telegram.keyboards[people.wang.id]["keyboard"][0][0]["text"] == "📝 报修"
    await people.wang.send("/start")
    await people.wang.expect("欢迎回来")


async def test_the_roster_language_is_used_after_binding(running, telegram):
    # Li Wei's roster row names no language; Anna's says ru while her app is English
    anna_en = Person(telegram, 1005, "Anna", None, "en", phone="+79161234567")
    await anna_en.send("/start")
    assert "Hello!" in (await anna_en.next_message())["text"]
    await anna_en.share_contact()
    assert "Вы зарегистрированы: A-0801" in (await anna_en.next_message())["text"]


async def test_someone_elses_contact_is_refused(running, people):
    await people.stranger.send("/start")
    await people.stranger.next_message()
    await people.stranger.share_contact(of=people.john)
    refusal = await people.stranger.next_message()
    assert "not your own contact" in refusal["text"]
    await people.stranger.send("/my")
    assert "please confirm that you are an owner" in (await people.stranger.next_message())["text"]


async def test_typing_a_number_is_refused_with_a_way_to_get_help(running, people):
    await people.john.send("/start")
    await people.john.next_message()
    await people.john.send("13700000003")
    assert "Typing the number is not enough" in (await people.john.next_message())["text"]
    assert "Ask the management" in str((await people.john.next_message())["reply_markup"])


async def test_an_unknown_number_asks_a_manager_who_approves(running, people, telegram):
    stranger = people.stranger
    await stranger.send("/start")
    await stranger.share_contact()
    await stranger.expect("not in the owners' list")
    await stranger.press("Ask the management")
    await stranger.expect("Which block")
    await stranger.press("Block B")
    await stranger.expect("type your unit number")
    await stranger.send_sticker()
    await stranger.expect("as text")
    await stranger.send("9999")
    await stranger.expect("There is no unit «9999» in Block B")
    await stranger.send("0502")
    await stranger.expect("sent to the management")
    alert = await people.boss.expect("Owner registration request", chat_id=ALERT_CHAT)
    assert "+8613999999999" in alert["text"] and "B-0502" in alert["text"]

    answer = await people.ivan.press_data(people.boss.find_button("Approve", ALERT_CHAT)[1], alert)
    assert answer["text"] == "Sorry, only the property's managers can do this."
    await people.boss.press("Approve", chat_id=ALERT_CHAT)
    await stranger.expect("The management confirmed you", "B-0502")
    assert "Approved by Boss" in telegram.messages[(ALERT_CHAT, alert["message_id"])]["text"]
    await stranger.send("/my")
    assert "no requests yet" in (await stranger.next_message())["text"]


async def test_a_manager_can_reject_and_a_second_request_waits_for_the_first(running, people, telegram):
    stranger = people.stranger
    await stranger.send("/start")
    await stranger.share_contact()
    await stranger.expect("not in the owners' list")
    await stranger.press("Ask the management")
    await stranger.expect("Which block")
    await stranger.press("Block A")
    await stranger.send("1203")
    await stranger.expect("sent to the management")
    await stranger.press("Ask the management")
    await stranger.expect("already with the management")
    await people.boss.expect("Owner registration request", chat_id=ALERT_CHAT)
    await people.boss.press("Reject", chat_id=ALERT_CHAT)
    await stranger.expect("could not confirm you")
    await stranger.send("/report")
    assert "please confirm that you are an owner" in (await stranger.next_message())["text"]


async def test_a_registered_owner_is_registered_once(running, people):
    await register(people.john)
    await people.john.share_contact()
    await people.john.press("Yes")
    await people.john.expect("You are registered for: B-0502")
    await people.john.send("/start")
    assert "Your units: B-0502." in (await people.john.expect("Welcome back"))["text"]
    assert MANAGER_ID  # managers are not owners: nothing is asked of them here


async def test_a_registered_owner_is_asked_before_registering_again(running, people, telegram):
    await register(people.john)
    await people.john.share_contact()
    question = await people.john.expect("You are already registered for: B-0502. Register again?")
    assert [b["text"] for row in question["reply_markup"]["inline_keyboard"] for b in row] == ["✅ Yes", "No"]
    await people.john.press("No")
    await people.john.expect("your registration stays as it is: B-0502")
    await people.john.share_contact()
    again = await people.john.expect("Register again?")
    yes = people.john.find_button("Yes")[1]
    await people.john.press("Yes")
    await people.john.expect("You are registered for: B-0502")
    assert people.john.find_button("Yes") is None  # the answered question keeps no buttons
    await people.john.press_data(yes, again)  # an old client still shows them
    await people.john.expect("This button is no longer active")  # and registers nothing twice


async def test_a_registered_owner_asking_for_help_again_is_asked_first(running, people, telegram):
    await register(people.john)
    last = telegram.chat_messages(people.john.id)[-1]
    await people.john.press_data("help", last)  # «Ask the management», from before he was registered
    await people.john.expect("You are already registered for: B-0502")
    await people.john.press("Yes")
    await people.john.expect("Which block")


async def test_an_approval_on_an_alert_older_than_two_days_is_posted_as_a_new_message(running, people, telegram):
    stranger = people.stranger
    await stranger.send("/start")
    await stranger.share_contact()
    await stranger.expect("not in the owners' list")
    await stranger.press("Ask the management")
    await stranger.expect("Which block")
    await stranger.press("Block B")
    await stranger.expect("type your unit number")
    await stranger.send("0502")
    alert = await people.boss.expect("Owner registration request", chat_id=ALERT_CHAT)
    approve = people.boss.find_button("Approve", ALERT_CHAT)[1]
    # Telegram no longer shows the bot a message this old: only its chat and number come
    too_old = {"chat": alert["chat"], "message_id": alert["message_id"], "date": 0}
    await people.boss.press_data(approve, too_old)
    await stranger.expect("The management confirmed you", "B-0502")
    assert "Approved by Boss" in (await people.boss.expect("Approved by Boss", chat_id=ALERT_CHAT))["text"]
    assert "Approved by Boss" not in telegram.messages[(ALERT_CHAT, alert["message_id"])]["text"]


async def test_someone_not_registered_who_smells_gas_is_told_how_to_stay_safe(running, people):
    await people.john.send("I smell gas in the kitchen")
    advice = await people.john.expect("call 119 / 110 / 120 first")
    assert "0755-8888 0000" in advice["text"] and "being alerted" not in advice["text"]
    await people.john.expect("Share my phone number")


async def test_registering_again_with_a_number_not_in_the_roster_keeps_the_registration(running, people):
    await register(people.john)
    await people.john.share_contact(phone="8613911112222")
    await people.john.expect("Register again?")
    await people.john.press("Yes")
    await people.john.expect("Your registration stays as it was: B-0502")
    await people.john.send("/start")
    await people.john.expect("Welcome back", "B-0502")
