"""What an operator watches and keeps: /healthz and /metrics on the monitoring port, JSON
log lines, and `baoxiu backup` / `restore` from the command line."""

import asyncio
import json
import os
import signal

import aiohttp

from bot import cli
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
