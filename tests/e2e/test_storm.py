"""Many owners at the same moment, and updates Telegram delivers twice."""

import asyncio
import logging
import sqlite3

import pytest

from bench.owners import Owner, StormTelegram, write_roster
from bot import cli
from tests.conftest import AQUA_GROUP
from tests.e2e.steps import register

OWNERS = 50


@pytest.fixture
async def telegram():
    """The fake server, with an inbox per private chat: fifty people waiting on the shared
    one would rescan every message on every change."""
    server = StormTelegram()
    await server.start()
    yield server
    await server.stop()
    assert not server.problems, server.problems


def rows(config_path, query):
    with sqlite3.connect(config_path.parent / "baoxiu.db") as db:
        return db.execute(query).fetchall()


async def test_fifty_owners_reporting_at_once_are_all_answered_and_filed_once(
    running, telegram, config_path, tmp_path, caplog
):
    caplog.set_level(logging.WARNING)
    roster = ["import-units", "--config", str(config_path), str(write_roster(tmp_path, OWNERS))]
    assert await asyncio.to_thread(cli.main, roster) == 0
    owners = [Owner(telegram, i, timeout=90) for i in range(OWNERS)]

    numbers = await asyncio.gather(*(owner.report_a_leak() for owner in owners))

    assert len(set(numbers)) == OWNERS
    assert rows(config_path, "select count(*), count(distinct number) from ticket") == [(OWNERS, OWNERS)]
    assert rows(config_path, "select count(*) from handled_update") == [(OWNERS * 9,)]

    def cards() -> list[str]:
        return [
            m.get("caption") or m.get("text") or ""
            for m in telegram.chat_messages(AQUA_GROUP)
            if "Job №" in (m.get("caption") or m.get("text") or "")
        ]

    await telegram.wait_for(lambda: len(cards()) >= OWNERS, timeout=60, what="every job card in the group")
    for number in numbers:
        assert sum(number in card for card in cards()) == 1, number
    troubles = [r for r in caplog.records if r.levelno >= logging.ERROR or "locked" in r.getMessage()]
    assert not troubles, [r.getMessage() for r in troubles]


async def deliver_twice(telegram, payload: dict) -> dict:
    """The same update twice in one batch, as Telegram sends it again when the first went
    unconfirmed: the bot handles both at the same moment."""
    update = await telegram.push_update(payload)
    async with telegram._changed:
        telegram._updates.append(dict(update))
        telegram._changed.notify_all()
    return update


def text_update(person, text: str) -> dict:
    chat = telegram_chat(person)
    message_id = person.tg.next_message_id(person.id)
    return {"message": {"message_id": message_id, "date": 0, "chat": chat, "from": person.user, "text": text}}


def telegram_chat(person) -> dict:
    return person.tg.chats[person.id].as_dict(person.tg.users)


async def test_an_update_delivered_twice_is_handled_once(running, people, telegram):
    john = people.john
    await register(john)

    update = await deliver_twice(telegram, text_update(john, "water is dripping from the bathroom ceiling"))
    await john.expect("It sounds like: 💧 Leak / seepage")
    await asyncio.sleep(0.5)  # time for a second answer, were the twin handled
    assert john.read_all() == []

    # after a restart the same update again (the offset never reached Telegram): still once
    await running.restart()
    async with telegram._changed:
        telegram._updates.append(dict(update))
        telegram._changed.notify_all()
    await telegram.wait_for(lambda: update not in telegram._updates, what="the bot to take the update")
    await asyncio.sleep(0.5)
    assert john.read_all() == []


async def test_a_button_press_delivered_twice_is_handled_once(running, people, telegram, config_path):
    """A press's silent answer goes before its record is written (bot/answers.py), so both
    twins answer it; only one moves the report on."""
    john = people.john
    await register(john)
    await john.send("water is dripping from the bathroom ceiling")
    await john.expect("It sounds like: 💧 Leak / seepage")
    message, data = john.find_button("Yes")
    query = {"id": "cq-twin", "from": john.user, "chat_instance": "ci", "data": data, "message": message}

    update = await deliver_twice(telegram, {"callback_query": query})
    await john.expect("Where is the problem?")
    await asyncio.sleep(0.5)  # time for a second answer, were the twin handled
    assert john.read_all() == []
    assert rows(config_path, f"select count(*) from handled_update where update_id = {update['update_id']}") == [(1,)]
