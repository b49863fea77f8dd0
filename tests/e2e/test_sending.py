"""Sending that loses nothing: the outbox and the sender against a misbehaving Telegram."""

import asyncio
import dataclasses
from collections import Counter

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from delivery.limits import LimitBook
from delivery.sender import OutboxSender, SendLimits, utcnow
from sandbox.faults import Fault
from sandbox.spec import BadRequest
from tests.conftest import AQUA_GROUP, VOLT_GROUP
from tests.e2e.steps import register, report_leak_in_english, ticket_number
from tests.fake_telegram.people import jpeg


async def queue_notes(app, people_ids, count):
    async with app.services.unit_of_work() as uow:
        for index in range(count):
            for person in people_ids:
                await app.notifier.say(uow, person, f"note {index} for {person}")


def texts(telegram, chat_id):
    return [m["text"] for m in telegram.chat_messages(chat_id) if m.get("text", "").startswith("note")]


async def all_delivered(telegram, chats, count):
    await telegram.wait_for(
        lambda: all(len(texts(telegram, c)) == count for c in chats), timeout=15, what="every note to arrive"
    )


async def test_429_and_server_errors_for_a_while_lose_nothing_and_keep_the_order(running, telegram, people):
    chats = [people.john.id, people.wang.id, AQUA_GROUP]
    telegram.started.update(chats)
    telegram.faults = (
        [BadRequest("Too Many Requests: retry after 1", 429, retry_after=1)]
        + [BadRequest("Internal Server Error", 500)] * 3
        + [BadRequest("Bad Gateway", 502)] * 2
    )
    await queue_notes(running.app, chats, 5)
    await all_delivered(telegram, chats, 5)
    for chat in chats:
        assert texts(telegram, chat) == [f"note {i} for {chat}" for i in range(5)]
    stats = running.app.sender.stats
    for _ in range(50):  # the sender notes its sends in batches, a moment after they went
        if stats.sent == 15:
            break
        await asyncio.sleep(0.1)
    assert (stats.throttled, stats.retried, stats.sent) == (1, 5, 15)


async def test_what_could_not_be_sent_before_a_restart_is_sent_after_it_once(running, telegram, people):
    chats = [people.john.id, people.wang.id]
    telegram.started.update(chats)
    telegram.down = True
    await queue_notes(running.app, chats, 3)
    await telegram.wait_for(lambda: sum(r.failed == "Bad Gateway" for r in telegram.requests) >= 2, what="502s")
    await running.stop()
    telegram.down = False
    await running.start()
    await all_delivered(telegram, chats, 3)
    await asyncio.sleep(0.3)
    for chat in chats:
        assert texts(telegram, chat) == [f"note {i} for {chat}" for i in range(3)]


async def test_two_bot_processes_on_one_database_send_each_message_once(running, telegram, people):
    chats = [people.john.id, people.wang.id, people.anna.id, AQUA_GROUP]
    telegram.started.update(chats)
    server = TelegramAPIServer.from_base(telegram.url)
    other_bot = Bot(telegram.token, session=AiohttpSession(api=server))
    other = OutboxSender(
        other_bot,
        running.app.services.sessions,
        SendLimits(private_interval=0.001, group_messages=10_000, overall_messages=1000),
    )
    other_run = asyncio.create_task(other.run())
    try:
        await queue_notes(running.app, chats, 10)
        other.wake()
        await all_delivered(telegram, chats, 10)
        await asyncio.sleep(0.3)
    finally:
        await other.stop()
        await other_run
        await other_bot.session.close()
    sent = Counter(r.params["text"] for r in telegram.requests if r.method == "sendMessage" and r.failed is None)
    notes = {text: n for text, n in sent.items() if text.startswith("note")}
    assert len(notes) == 40 and set(notes.values()) == {1}
    assert other.stats.sent + running.app.sender.stats.sent == 40  # claims decided who sent what


async def test_an_owner_who_blocked_the_bot_is_noted_on_the_ticket(running, telegram, people):
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    telegram.blocked.add(people.john.id)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await telegram.wait_for(
        lambda: any(r.failed == "Forbidden: bot was blocked by the user" for r in telegram.requests), what="the 403"
    )
    telegram.blocked.discard(people.john.id)
    await asyncio.sleep(0.2)
    await people.john.send("/my")
    await people.john.press(f"№{number}")
    opened = await people.john.expect(f"Request №{number}")
    assert "a message could not be delivered (the person blocked the bot)" in opened["text"]


async def test_queued_edits_of_a_card_coalesce_into_one(running):
    async with running.app.services.unit_of_work() as uow:
        for version in range(5):
            await uow.outbox.add(
                -100, "editCard", {"params": {"text": f"v{version}"}}, utcnow(), coalesce_key="card-edit:1"
            )
    async with running.app.services.unit_of_work() as uow:
        from sqlmodel import select

        from storage.tables import OutboxRow

        rows = (await uow.session.exec(select(OutboxRow).where(OutboxRow.coalesce_key == "card-edit:1"))).all()
    assert [row.payload for row in rows] == ['{"params": {"text": "v4"}}']


def accepted(telegram, chat_id, method=None):
    return [
        r
        for r in telegram.requests
        if r.params.get("chat_id") == chat_id
        and r.failed is None
        and r.method in ((method,) if method else ("sendMessage", "sendMediaGroup"))
    ]


async def test_an_album_counts_each_photo_in_the_groups_minute(running, telegram):
    """Three 7-photo albums to one group: 21 photos, one more than its minute holds (the
    minute shortened to 3 s here, on both sides), so the third waits for the first to leave."""
    telegram.enforce_limits = True
    telegram.private_limit, telegram.group_limit, telegram.overall_limit = (200, 1.0), (20, 3.0), (1000, 1.0)
    sender = running.app.sender
    sender.gate.book = LimitBook(dataclasses.replace(sender.limits, group_messages=20, group_window=3.0))
    albums = [[telegram.add_file(jpeg(color)) for _ in range(7)] for color in ("red", "green", "blue")]
    async with running.app.services.unit_of_work() as uow:
        for album in albums:
            media = [{"type": "photo", "media": file} for file in album]
            await uow.outbox.add(AQUA_GROUP, "sendMediaGroup", {"params": {"media": media}}, utcnow())
        await uow.outbox.add(AQUA_GROUP, "sendMessage", {"params": {"text": "after the albums"}}, utcnow())
    sender.wake()
    await telegram.wait_for(lambda: accepted(telegram, AQUA_GROUP, "sendMessage"), timeout=10, what="the text")
    sent = accepted(telegram, AQUA_GROUP)
    assert [r.method for r in sent] == ["sendMediaGroup"] * 3 + ["sendMessage"]
    assert [r.params["media"][0]["media"] for r in sent[:3]] == [album[0] for album in albums]
    assert telegram.too_many == 0
    assert sent[1].at - sent[0].at < 1.5  # 14 photos fit in the minute at once
    assert sent[2].at - sent[0].at >= 3.0  # the 15th to 21st only once the first seven have left it


async def test_a_429_for_one_group_holds_only_that_group(running, telegram, people):
    others = [people.john.id, people.wang.id, VOLT_GROUP]
    telegram.started.update(others)
    telegram.fail("sendMessage", Fault.too_many(retry_after=3), chat_id=AQUA_GROUP)
    await queue_notes(running.app, [AQUA_GROUP, *others], 3)
    await all_delivered(telegram, [AQUA_GROUP, *others], 3)
    refused = next(r for r in telegram.requests if r.params.get("chat_id") == AQUA_GROUP and r.failed)
    aqua = [r for r in accepted(telegram, AQUA_GROUP) if r.params["text"].startswith("note")]
    rest = [r for chat in others for r in accepted(telegram, chat) if r.params["text"].startswith("note")]
    assert max(r.at for r in rest) < min(r.at for r in aqua)  # nobody else waited for Aqua's 3 s
    assert min(r.at for r in aqua) - refused.at >= 3.0 - 0.05
    assert texts(telegram, AQUA_GROUP) == [f"note {i} for {AQUA_GROUP}" for i in range(3)]
    assert running.app.sender.stats.throttled == 1
