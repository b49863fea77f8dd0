"""`mode = "webhook"`: Telegram posts updates to the bot's own web server, and only Telegram,
which knows the secret, gets in."""

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.app import build, serve
from bot.startup import CannotStart
from sandbox.bot_api import FakeTelegram
from settings.config import load_config
from tests.conftest import ALERT_CHAT

SECRET = "s3cret_Webhook-key"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def webhook_config(config_path: Path, port: int, listen: str | None = None) -> None:
    listen_line = f'listen = "{listen}"\n' if listen else ""
    text = config_path.read_text().replace(
        'album_wait = "150ms"',
        f'''album_wait = "150ms"
mode = "webhook"

[telegram.webhook]
url = "https://bot.example.org/telegram"
{listen_line}port = {port}
secret = "{SECRET}"''',
    )
    config_path.write_text(text)


@pytest.fixture
async def webhook(config_path, clock, telegram: FakeTelegram, people) -> AsyncIterator[str]:
    """The bot serving in webhook mode on the default address; yields its URL."""
    port = free_port()
    webhook_config(config_path, port)
    app = build(load_config(config_path), clock)
    task = asyncio.create_task(serve(app, handle_signals=False))
    try:
        await telegram.wait_for(lambda: telegram.sent("setWebhook") or task.done(), what="setWebhook")
        if task.done():
            task.result()
        yield f"http://127.0.0.1:{port}/telegram"
    finally:
        await app.stop()
        await asyncio.wait_for(task, 10)


def command(update_id: int, text: str, chat: dict, sender: dict) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "text": text,
            "chat": chat,
            "from": sender,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


async def post(url: str, update: dict, headers: dict | None = None) -> int:
    async with aiohttp.ClientSession() as session, session.post(url, json=update, headers=headers or {}) as answer:
        return answer.status


async def test_updates_posted_with_the_secret_are_answered(webhook, telegram, people):
    hook = telegram.sent("setWebhook")[0]
    assert hook["url"] == "https://bot.example.org/telegram" and hook["secret_token"] == SECRET
    telegram.started.add(people.john.id)
    chat = {"id": people.john.id, "type": "private", "first_name": "John"}
    assert await post(webhook, command(1, "/start", chat, people.john.user), {HEADER: SECRET}) == 200
    greeting = await people.john.next_message()
    assert "repair desk of Sunny Gardens" in greeting["text"]


async def test_a_forged_update_is_refused_and_has_no_effect(webhook, telegram, people):
    """Someone who found the webhook's address poses as a manager asking for the figures."""
    alert_chat = telegram.chats[ALERT_CHAT].as_dict(telegram.users)
    stats = command(1, "/stats", alert_chat, people.boss.user)
    assert await post(webhook, stats) == 401  # no secret
    assert await post(webhook, {**stats, "update_id": 2}, {HEADER: "guess"}) == 401
    assert await post(webhook, {**stats, "update_id": 3}, {HEADER: SECRET + "x"}) == 401
    assert await post(webhook, {**stats, "update_id": 4}, {HEADER: "сЕкрет"}) == 401  # not ASCII: still a 401
    assert await post(webhook, {**stats, "update_id": 5}, {HEADER: SECRET}) == 200
    await people.boss.expect("Service figures", chat_id=ALERT_CHAT)
    figures = [m for m in telegram.chat_messages(ALERT_CHAT) if "Service figures" in m.get("text", "")]
    assert len(figures) == 1  # only the update that carried the secret was handled


async def test_the_webhook_listens_on_this_machine_only_by_default(webhook):
    # 127.0.0.2 is this machine too, but a server bound to 127.0.0.1 alone does not answer there
    other_address = webhook.replace("127.0.0.1", "127.0.0.2")
    with pytest.raises(aiohttp.ClientConnectionError):
        await post(other_address, {"update_id": 1})


async def test_a_listen_address_in_the_config_is_used(config_path, clock, telegram, people):
    port = free_port()
    webhook_config(config_path, port, listen="127.0.0.2")
    app = build(load_config(config_path), clock)
    task = asyncio.create_task(serve(app, handle_signals=False))
    try:
        await telegram.wait_for(lambda: telegram.sent("setWebhook"), what="setWebhook")
        assert await post(f"http://127.0.0.2:{port}/telegram", {"update_id": 1}) == 401
        with pytest.raises(aiohttp.ClientConnectionError):
            await post(f"http://127.0.0.1:{port}/telegram", {"update_id": 1})
    finally:
        await app.stop()
        await asyncio.wait_for(task, 10)


async def test_a_port_already_taken_is_one_clear_sentence(config_path, clock, telegram, people):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        webhook_config(config_path, port)
        app = build(load_config(config_path), clock)
        with pytest.raises(CannotStart) as refused:
            await asyncio.wait_for(serve(app, handle_signals=False), 10)
    assert str(refused.value).startswith(f"cannot listen on 127.0.0.1:{port} (telegram.webhook.listen and port): ")
    assert not telegram.sent("setWebhook")
