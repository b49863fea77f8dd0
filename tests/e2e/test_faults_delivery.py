"""Nothing the bot sends is lost or sent twice, whatever Telegram or a proxy in front of it
answers: server errors, proxy pages, broken bodies, dropped connections, 429s, a group
upgraded to a supergroup, a group that removed the bot."""

import asyncio
import dataclasses
import time
from collections import Counter

from sqlmodel import select

from sandbox.faults import Fault
from storage.tables import OutboxRow
from tests.conftest import ALERT_CHAT, AQUA_GROUP, NIGHT_CHAT
from tests.e2e.steps import register, report_leak_in_english, ticket_number
from tests.e2e.test_complaints import complain
from tests.e2e.test_groups import joined
from tests.fake_telegram.people import jpeg

NEW_AQUA = -1001000000777  # the Aqua group after Telegram upgraded it


def texts(telegram, chat_id: int) -> list[str]:
    return [m.get("text") or m.get("caption") or "" for m in telegram.chat_messages(chat_id)]


def failures(telegram, method: str, chat_id: int) -> int:
    return sum(
        r.failed is not None and r.params.get("chat_id") == chat_id for r in telegram.requests if r.method == method
    )


async def mark_card(running, owner_id: int, number: str, note: str) -> None:
    """What the bot does when a job changes: the group card says so (views/notifier.py)."""
    async with running.app.services.unit_of_work() as uow:
        ticket = next(t for t in await uow.tickets.of_owner(owner_id) if t.number == number)
        await running.app.notifier.mark_card(uow, ticket, note)


async def test_a_card_through_a_proxy_that_answers_html_and_garbage_still_arrives_once(running, telegram, people):
    await register(people.john)
    for fault in (
        Fault.html_502(),
        Fault.html_502(status=200),
        Fault.not_json(),
        Fault.dropped(),
        Fault.server_error(),
    ):
        telegram.fail("sendMessage", fault, chat_id=AQUA_GROUP)
    telegram.fail("sendPhoto", Fault.html_502(), chat_id=AQUA_GROUP)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP, timeout=15)
    assert failures(telegram, "sendMessage", AQUA_GROUP) == 5 and failures(telegram, "sendPhoto", AQUA_GROUP) == 1
    await asyncio.sleep(0.3)
    assert sum(f"Job №{number}" in text for text in texts(telegram, AQUA_GROUP)) == 1
    assert len(telegram.sent("sendPhoto", chat_id=AQUA_GROUP)) == 1
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)  # the card works as any other
    await people.ivan.expect(f"№{number}")


async def test_replies_to_an_owner_through_server_errors_arrive_once_and_in_order(running, telegram, people):
    for fault in (Fault.server_error(), Fault.html_502(), Fault.dropped(), Fault.too_many(retry_after=1)):
        telegram.fail("sendMessage", fault, chat_id=people.john.id)
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    assert failures(telegram, "sendMessage", people.john.id) == 4
    said = [text for text in texts(telegram, people.john.id) if text]
    assert len(said) == len(set(said)), Counter(said).most_common(3)  # nothing said twice
    registered = next(i for i, text in enumerate(said) if "You are registered" in text)
    confirmed = next(i for i, text in enumerate(said) if f"№{number}" in text)
    assert registered < confirmed


async def test_a_group_upgraded_to_a_supergroup_gets_its_cards_at_the_new_id_and_the_managers_are_told(
    running, telegram, people
):
    await register(people.john)
    telegram.upgrade_group(AQUA_GROUP, NEW_AQUA)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number}", chat_id=NEW_AQUA, timeout=10)
    assert len(telegram.sent("sendPhoto", chat_id=NEW_AQUA)) == 1
    told = await people.boss.expect("upgraded to a supergroup", str(NEW_AQUA), chat_id=ALERT_CHAT)
    assert "Aqua" in told["text"]
    await people.ivan.press("Take the job", chat_id=NEW_AQUA)  # the contractor's group now
    await people.ivan.expect(f"№{number}")
    number_2 = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number_2}", chat_id=NEW_AQUA)
    assert failures(telegram, "sendPhoto", AQUA_GROUP) == 1  # known from then on: no more tries there
    assert sum("upgraded to a supergroup" in text for text in texts(telegram, ALERT_CHAT)) == 1


async def test_a_card_sent_before_the_upgrade_is_shown_anew_in_the_new_chat_when_it_changes(running, telegram, people):
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    telegram.upgrade_group(AQUA_GROUP, NEW_AQUA)
    number_2 = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number_2}", chat_id=NEW_AQUA)
    await mark_card(running, people.john.id, number, "a manager looked at it")
    await people.ivan.expect(f"Job №{number}", "a manager looked at it", chat_id=NEW_AQUA)
    await mark_card(running, people.john.id, number, "and again")
    await telegram.wait_for(lambda: any("and again" in text for text in texts(telegram, NEW_AQUA)), what="the edit")
    assert sum(f"Job №{number}\n" in text for text in texts(telegram, NEW_AQUA)) == 1  # edited, not sent again


async def test_a_group_that_removed_the_bot_keeps_its_cards_waiting_and_the_managers_hear_once(
    running, telegram, people
):
    sender = running.app.sender
    sender.limits = dataclasses.replace(sender.limits, recheck_interval=0.3)
    await register(people.john)
    telegram.remove_bot(AQUA_GROUP)
    first = ticket_number(await report_leak_in_english(people.john))
    told = await people.boss.expect("cannot post in", chat_id=ALERT_CHAT)
    assert "kicked" in told["text"]
    second = ticket_number(await report_leak_in_english(people.john))
    await telegram.wait_for(lambda: failures(telegram, "sendPhoto", AQUA_GROUP) >= 3, what="a few more tries")
    async with running.app.services.unit_of_work() as uow:
        rows = (await uow.session.exec(select(OutboxRow).where(OutboxRow.chat_id == AQUA_GROUP))).all()
    assert {row.status for row in rows} == {"pending"}
    assert sum("cannot post in" in text for text in texts(telegram, ALERT_CHAT)) == 1
    telegram.add_bot(AQUA_GROUP)
    await people.ivan.expect(f"Job №{first}", chat_id=AQUA_GROUP, timeout=5)
    await people.ivan.expect(f"Job №{second}", chat_id=AQUA_GROUP)
    await people.boss.expect("can post in", "again", chat_id=ALERT_CHAT)


async def test_when_the_managers_chat_refuses_the_bot_they_hear_it_in_another_of_theirs(running, telegram, people):
    telegram.remove_bot(ALERT_CHAT)
    async with running.app.services.unit_of_work() as uow:
        await running.app.notifier.alert(uow, "a repeat repair needs you")
    told = await people.boss.expect("cannot post in", str(ALERT_CHAT), chat_id=NIGHT_CHAT)
    assert "kicked" in told["text"]
    telegram.remove_bot(NIGHT_CHAT)  # and then the night duty's chat too: each manager privately
    async with running.app.services.unit_of_work() as uow:
        await running.app.notifier.say(uow, NIGHT_CHAT, "the night shift starts")
    for manager in (people.boss, people.pm):
        await manager.expect("cannot post in", str(NIGHT_CHAT))


async def test_a_group_that_takes_the_bot_back_gets_what_waited_at_once(running, telegram, people):
    await register(people.john)
    telegram.remove_bot(AQUA_GROUP)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.boss.expect("cannot post in", chat_id=ALERT_CHAT)
    telegram.add_bot(AQUA_GROUP)
    await telegram.push_update(joined(telegram, AQUA_GROUP, people.boss))  # the next try is minutes away
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    await people.ivan.expect("repair bot of Sunny Gardens", chat_id=AQUA_GROUP)  # the greeting, after it


async def test_a_429_for_one_chat_does_not_hold_up_another(running, telegram, people):
    telegram.started.update({people.john.id, people.wang.id})
    telegram.fail("sendMessage", Fault.too_many(retry_after=2), chat_id=people.john.id)
    telegram.fail("sendMessage", Fault.slow(0.5), chat_id=people.john.id)
    began = time.monotonic()
    async with running.app.services.unit_of_work() as uow:
        for index in range(3):
            for person in (people.john.id, people.wang.id):
                await running.app.notifier.say(uow, person, f"note {index}")
    await telegram.wait_for(lambda: texts(telegram, people.wang.id) == ["note 0", "note 1", "note 2"], what="Wang")
    assert time.monotonic() - began < 1.5 and texts(telegram, people.john.id) == []
    await telegram.wait_for(lambda: len(texts(telegram, people.john.id)) == 3, timeout=10, what="John's notes")
    assert texts(telegram, people.john.id) == ["note 0", "note 1", "note 2"]
    assert time.monotonic() - began >= 2


async def test_a_complaint_of_2000_emoji_reaches_the_managers_alert_in_full(running, telegram, people):
    await register(people.john)
    anger = "😡" * 2000  # 4,000 UTF-16 units: with the card's lines, over one message's 4,096
    telegram.fail("sendMessage", Fault.server_error(), chat_id=ALERT_CHAT, skip=1)  # the second part, once
    number = await complain(people.john, "An engineer", anger)
    await people.boss.expect(f"Complaint №{number}", chat_id=ALERT_CHAT)
    await telegram.wait_for(lambda: "From: John" in "".join(texts(telegram, ALERT_CHAT)), what="the whole card")
    card = "".join(texts(telegram, ALERT_CHAT))
    assert card.count("😡") == 2000  # the first part was not sent again with the second
    assert failures(telegram, "sendMessage", ALERT_CHAT) == 1
    assert people.boss.find_button("I'm handling it", chat_id=ALERT_CHAT)  # under the last part


async def test_a_long_reply_straight_from_the_bot_is_split_at_line_breaks(running, telegram, people):
    telegram.started.add(people.john.id)
    lines = [f"line {index} " + "я" * 90 for index in range(100)]  # about 10,000 units
    await running.app.bot.send_message(people.john.id, "\n".join(lines))
    parts = texts(telegram, people.john.id)
    assert len(parts) == 3 and "\n".join(parts) == "\n".join(lines)
    photo = telegram.add_file(jpeg())
    await running.app.bot.send_photo(people.john.id, photo, caption="\n".join(lines[:20]))
    caption, rest = texts(telegram, people.john.id)[3:]
    assert len(caption) < 1024 and f"{caption}\n{rest}" == "\n".join(lines[:20])


async def test_a_card_that_can_no_longer_be_edited_is_sent_anew_and_edited_there(running, telegram, people):
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    card = await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    del telegram.messages[(AQUA_GROUP, card["message_id"])]  # someone deleted it in the group
    await mark_card(running, people.john.id, number, "first note")
    anew = await people.ivan.expect(f"Job №{number}", "first note", chat_id=AQUA_GROUP)
    await mark_card(running, people.john.id, number, "second note")
    await telegram.wait_for(
        lambda: "second note" in telegram.messages[(AQUA_GROUP, anew["message_id"])]["text"], what="the edit"
    )
    assert sum(f"Job №{number}" in text for text in texts(telegram, AQUA_GROUP)) == 1
