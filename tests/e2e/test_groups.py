"""The bot in groups: joining, /bind, and the command menus."""

import time
from datetime import timedelta

from tests.conftest import ALERT_CHAT, AQUA_GROUP, VOLT_GROUP
from tests.e2e.steps import register, report_leak_in_english, ticket_number
from tests.e2e.test_clock import settle


def joined(telegram, chat_id: int, by) -> dict:
    bot = telegram.bot
    return {
        "my_chat_member": {
            "chat": telegram.chats[chat_id].as_dict(telegram.users),
            "from": by.user,
            "date": int(time.time()),
            "old_chat_member": {"status": "left", "user": bot},
            "new_chat_member": {"status": "member", "user": bot},
        }
    }


async def test_a_new_group_is_registered_and_told_how_to_bind_it(running, people, telegram):
    group = telegram.add_group(-1001000000777, "Lift masters", [people.boss.id])
    await telegram.push_update(joined(telegram, group.id, people.boss))
    hello = await people.boss.expect("repair bot of Sunny Gardens", chat_id=group.id)
    assert "/bind <code>" in hello["text"] and "aqua (Aqua Plumbing)" in hello["text"]
    alert = await people.boss.expect("I was added to the group «Lift masters»", chat_id=ALERT_CHAT)
    assert "-1001000000777" in alert["text"]


async def test_only_managers_bind_a_group_and_only_to_a_known_contractor(running, people, telegram):
    telegram.chats[VOLT_GROUP].members.update({people.boss.id: "member", people.ivan.id: "member"})
    await people.ivan.send("/bind volt", chat_id=VOLT_GROUP)
    assert "only the property's managers" in (await people.ivan.next_message(VOLT_GROUP))["text"]
    await people.boss.send("/bind", chat_id=VOLT_GROUP)
    usage = await people.boss.expect("Send /bind followed by a contractor code", chat_id=VOLT_GROUP)
    assert "volt (Volt Electric)" in usage["text"]
    await people.boss.send("/bind nobody", chat_id=VOLT_GROUP)
    await people.boss.expect("Send /bind followed by a contractor code", chat_id=VOLT_GROUP)
    await people.boss.send("/bind volt", chat_id=VOLT_GROUP)
    await people.boss.expect("now receives the task cards of Volt Electric", chat_id=VOLT_GROUP)
    await people.boss.send("/bind volt")
    await people.boss.expect("in the engineers' group you want to bind")


async def test_command_menus_are_set_per_chat_type_and_language(running, telegram):
    private = {c["command"] for c in telegram.commands[("all_private_chats", "")]}
    assert {"report", "my", "complain", "language", "help", "cancel", "start"} == private
    groups = {c["command"] for c in telegram.commands[("all_group_chats", "zh")]}
    assert groups == {"bind", "help"}
    russian = {c["command"]: c["description"] for c in telegram.commands[("all_private_chats", "ru")]}
    assert russian["report"] == "Сообщить о неисправности"


async def test_an_owner_can_change_the_language(running, people):
    await people.john.send("/language")
    await people.john.press("中文")
    assert "我将使用中文" in (await people.john.expect("中文"))["text"]
    await people.john.send("/help")
    assert "我们24小时受理报修" in (await people.john.next_message())["text"]


async def test_an_unknown_command_is_answered(running, people):
    await register(people.john)
    await people.john.send("/frobnicate")
    assert "Send /help" in (await people.john.next_message())["text"]


async def test_an_engineer_who_leaves_the_group_gives_his_jobs_back(running, people, telegram, clock):
    assert "chat_member" in running.app.dispatcher.resolve_used_update_types()  # Telegram sends it only if asked
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    old_panel = people.ivan.find_button("Arrived")
    people.petr.read_all(AQUA_GROUP)
    clock.advance(timedelta(minutes=30))  # 10:30 in Shanghai
    await telegram.change_member(AQUA_GROUP, people.ivan.id, "kicked", by=people.boss.id)
    alert = await people.boss.expect("Ivan left the group of Aqua Plumbing", chat_id=ALERT_CHAT)
    assert f"№{number}" in alert["text"]
    card = await people.petr.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    assert "11-23 10:45" in card["text"]  # a fresh take-by, 15 minutes from now
    await people.ivan.expect(f"job №{number} went back to the group")
    await people.john.expect(f"Request №{number} is being passed to another engineer")
    await people.ivan.press_data(old_panel[1], old_panel[0])
    await people.ivan.expect("This job is not yours")
    await people.petr.press("Take the job", chat_id=AQUA_GROUP)
    await people.petr.expect("Your job", f"№{number}")
    await people.john.expect("Petr")


async def test_someone_without_jobs_leaving_changes_nothing(running, people, telegram):
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    polls = telegram.polls
    await telegram.change_member(AQUA_GROUP, people.petr.id, "left")
    await telegram.wait_for(lambda: telegram.polls >= polls + 2, what="the change to be fetched")
    await settle(running)
    assert not [m for m in telegram.chat_messages(ALERT_CHAT) if "left the group" in m.get("text", "")]
    await people.ivan.press("Arrived")  # Ivan's job is still his
    await people.ivan.expect(f"№{number}", "engineer on site")


async def test_binding_a_group_that_serves_another_contractor_is_confirmed_first(running, people, telegram):
    boss = people.boss
    telegram.chats[AQUA_GROUP].members[boss.id] = "member"
    await boss.send("/bind aqua", chat_id=AQUA_GROUP)
    await boss.expect("already receives the task cards of Aqua Plumbing", chat_id=AQUA_GROUP)
    await boss.send("/bind volt", chat_id=AQUA_GROUP)
    question = await boss.expect("Bind it to Volt Electric instead?", chat_id=AQUA_GROUP)
    assert "already receives the task cards of Aqua Plumbing" in question["text"]
    forged = await people.ivan.press_data(boss.find_button("Yes", AQUA_GROUP)[1], question)
    assert forged["text"] == "Sorry, only the property's managers can do this."
    await boss.press("No, keep Aqua Plumbing", chat_id=AQUA_GROUP)
    await telegram.wait_for(
        lambda: "The group stays with Aqua Plumbing" in telegram.messages[(AQUA_GROUP, question["message_id"])]["text"],
        what="the group kept",
    )
    await boss.send("/bind volt", chat_id=AQUA_GROUP)
    await boss.expect("Bind it to Volt Electric instead?", chat_id=AQUA_GROUP)
    await boss.press("Yes, bind to Volt Electric", chat_id=AQUA_GROUP)
    await telegram.wait_for(
        lambda: any(
            "now receives the task cards of Volt Electric" in m.get("text", "")
            for m in telegram.chat_messages(AQUA_GROUP)
        ),
        what="the group bound",
    )
    await boss.send("/bind volt", chat_id=AQUA_GROUP)
    await boss.expect("already receives the task cards of Volt Electric", chat_id=AQUA_GROUP)


async def test_a_group_upgraded_is_followed_when_telegram_says_so(running, people, telegram):
    """Telegram's service message of the upgrade moves the group at once: a card waiting
    in it is taken from the supergroup, and the managers are told, before any send fails."""
    new_aqua = -1001000000501
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    card, take = await telegram.wait_for(lambda: people.ivan.find_button("Take the job", AQUA_GROUP), what="the card")
    telegram.upgrade_group(AQUA_GROUP, new_aqua)
    await telegram.announce_upgrade(AQUA_GROUP)
    told = await people.boss.expect("upgraded to a supergroup", str(new_aqua), chat_id=ALERT_CHAT)
    assert "Aqua" in told["text"]
    in_the_supergroup = card | {"chat": telegram.chats[new_aqua].as_dict(telegram.users)}
    await people.ivan.press_data(take, in_the_supergroup)
    await people.ivan.expect("Your job", f"№{number}")


async def test_the_managers_hear_at_once_when_the_bot_is_removed_from_a_contractors_group(running, people, telegram):
    telegram.remove_bot(AQUA_GROUP)
    left = joined(telegram, AQUA_GROUP, people.boss)
    change = left["my_chat_member"]
    kicked = {"status": "kicked", "user": telegram.bot, "until_date": 0}
    change["old_chat_member"], change["new_chat_member"] = change["new_chat_member"], kicked
    await telegram.push_update(left)
    await people.boss.expect("Aqua", "the bot was removed from the group", chat_id=ALERT_CHAT)
