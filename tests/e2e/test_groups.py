"""The bot in groups: joining, /bind, and the command menus (issue 2, point 9)."""

import time

from tests.conftest import ALERT_CHAT, VOLT_GROUP
from tests.e2e.steps import register


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
    assert "我24小时受理报修" in (await people.john.next_message())["text"]


async def test_an_unknown_command_is_answered(running, people):
    await register(people.john)
    await people.john.send("/frobnicate")
    assert "Send /help" in (await people.john.next_message())["text"]
