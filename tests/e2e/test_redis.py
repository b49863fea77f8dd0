"""Conversations in Redis (storage.redis_url), as several bot workers would share them."""

import asyncio
import os
import shutil
import socket
import subprocess

import pytest
from redis.asyncio import Redis

from tests.conftest import RunningBot

REDIS = shutil.which("redis-server")


@pytest.fixture
async def redis_url():
    if REDIS is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed: .ci/run installs it")
        pytest.skip("redis-server is not installed here")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = Redis.from_url(url)
    for _ in range(100):
        try:
            await client.ping()
            break
        except Exception:
            await asyncio.sleep(0.05)
    yield url, client
    await client.aclose()
    server.terminate()
    server.wait(5)


async def test_a_report_in_progress_lives_in_redis_and_survives_a_restart(
    redis_url, config_path, clock, telegram, people, monkeypatch
):
    url, client = redis_url
    monkeypatch.setenv("BAOXIU_STORAGE__REDIS_URL", url)
    bot = RunningBot(config_path, clock, telegram)
    await bot.start()
    try:
        john = people.john
        await john.send("/start")
        await john.share_contact()
        await john.expect("You are registered")
        await john.send("/report")
        await john.press("Lighting")
        await john.press("unit 0502")
        await john.expect("describe the problem")
        keys = [key.decode() for key in await client.keys("fsm:*")]
        assert any(str(john.id) in key for key in keys)
        await bot.restart()
        await john.send("The hall lamp is dead")
        await john.expect("You can send up to 10 photos")
    finally:
        await bot.stop()
