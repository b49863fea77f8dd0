"""What an operator watches and keeps: /healthz and /metrics on the monitoring port, JSON
log lines, and `baoxiu backup` / `restore` from the command line."""

import asyncio
import json
import os
import signal

import aiohttp

from bot import cli
from sandbox.faults import Fault
from tests.conftest import AQUA_GROUP, RunningBot
from tests.e2e.test_run_command import BAOXIU, closed_port


async def test_a_running_bot_answers_healthz_and_metrics_and_logs_json(config_path, telegram, people):
    port = closed_port()
    env = {**os.environ, "BAOXIU_MONITORING__PORT": str(port), "BAOXIU_LOGGING__FORMAT": "json"}
    process = await asyncio.create_subprocess_exec(
        str(BAOXIU), "run", "--config", str(config_path), env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        await people.john.send("/start")
        await people.john.next_message(timeout=60)  # a loaded machine starts slowly
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                assert (health.status, await health.text()) == (200, "ok\n")
            async with http.get(f"http://127.0.0.1:{port}/metrics") as page:
                metrics = await page.text()
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, output.decode()
    assert 'baoxiu_updates_total{kind="message"} 1.0' in metrics
    assert "baoxiu_outbox_depth " in metrics and "baoxiu_handler_seconds_count 1.0" in metrics
    lines = [json.loads(line) for line in output.decode().splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert telegram.token.split(":")[1] not in output.decode()


def test_backup_and_restore_from_the_command_line(config_path, tmp_path, capsys):
    target = tmp_path / "backup-1"
    assert cli.main(["backup", "--config", str(config_path), str(target)]) == 0
    assert "and checked" in capsys.readouterr().out
    assert cli.main(["restore", "--config", str(config_path), str(target)]) == 0
    assert "restored from" in capsys.readouterr().out
    (target / "evidence.tar.gz").write_bytes(b"not a tar")
    assert cli.main(["restore", "--config", str(config_path), str(target)]) == 2
    assert "missing or damaged" in capsys.readouterr().err
    assert cli.main(["backup", "--config", str(config_path), str(target)]) == 2  # not an empty directory


async def scrape(port: int) -> dict[str, float]:
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as page:
        text = await page.text()
    samples = (line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {name: float(value) for name, value in samples}


async def test_429_answers_and_the_sweeps_are_counted_on_the_metrics_page(config_path, clock, telegram, people):
    port = closed_port()
    with config_path.open("a", encoding="utf-8") as config:
        config.write(f"\n[monitoring]\nport = {port}\n")
    running = RunningBot(config_path, clock, telegram)
    await running.start()
    try:
        before = await scrape(port)
        telegram.fail("sendMessage", Fault.too_many(retry_after=1), chat_id=people.john.id)  # a direct reply
        telegram.fail("sendMessage", Fault.too_many(retry_after=1), chat_id=AQUA_GROUP)  # the outbox's
        await people.john.send("/start")
        await people.john.next_message(timeout=30)
        async with running.app.services.unit_of_work() as uow:
            await running.app.notifier.say(uow, AQUA_GROUP, "a note for the engineers")
        await telegram.wait_for(lambda: telegram.sent("sendMessage", chat_id=AQUA_GROUP), timeout=10, what="the note")
        await running.app.clock.sweep()
        after = await scrape(port)
    finally:
        await running.stop()
    assert before.get("baoxiu_telegram_429_total") == 0.0
    assert after["baoxiu_telegram_429_total"] == 2.0
    assert after["baoxiu_sweep_seconds_count"] >= before["baoxiu_sweep_seconds_count"] + 1
    assert after["baoxiu_sweep_seconds_sum"] > before["baoxiu_sweep_seconds_sum"]
