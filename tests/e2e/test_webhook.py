"""`mode = "webhook"`: Telegram posts updates to the bot's own web server."""

import asyncio
import socket
import time

import aiohttp

from bot.app import build, serve
from settings.config import load_config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_updates_posted_to_the_webhook_are_answered(config_path, clock, telegram, people):
    port = free_port()
    text = config_path.read_text().replace(
        'album_wait = "150ms"',
        f'''album_wait = "150ms"
mode = "webhook"

[telegram.webhook]
url = "https://bot.example.org/telegram"
listen = "127.0.0.1"
port = {port}
secret = "s3cret"''',
    )
    config_path.write_text(text)
    app = build(load_config(config_path), clock)
    task = asyncio.create_task(serve(app, handle_signals=False))
    try:
        hook = await telegram.wait_for(lambda: telegram.sent("setWebhook"), what="setWebhook")
        assert hook[0]["url"] == "https://bot.example.org/telegram" and hook[0]["secret_token"] == "s3cret"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "text": "/start",
                "chat": {"id": people.john.id, "type": "private", "first_name": "John"},
                "from": people.john.user,
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        telegram.started.add(people.john.id)
        async with aiohttp.ClientSession() as session:
            forged = await session.post(f"http://127.0.0.1:{port}/telegram", json=update)
            assert forged.status == 401  # no secret: not Telegram
            sent = await session.post(
                f"http://127.0.0.1:{port}/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            )
            assert sent.status == 200
        greeting = await people.john.next_message()
        assert "repair desk of Sunny Gardens" in greeting["text"]
    finally:
        await app.stop()
        await asyncio.wait_for(task, 10)
