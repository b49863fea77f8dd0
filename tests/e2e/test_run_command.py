"""`baoxiu run` as an operator starts it: a process that answers owners and stops cleanly."""

import asyncio
import os
import signal
import sys
from pathlib import Path

BAOXIU = Path(sys.executable).parent / "baoxiu"


async def test_baoxiu_run_serves_until_sigterm_then_exits_0(config_path, telegram, people):
    process = await asyncio.create_subprocess_exec(
        str(BAOXIU),
        "run",
        "--config",
        str(config_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "BAOXIU_PROPERTY__NAME": "Sunny Gardens (env)"},
    )
    try:
        await people.john.send("/start")
        greeting = await people.john.next_message(timeout=20)
        assert "repair desk of Sunny Gardens (env)" in greeting["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 20)
    assert process.returncode == 0, output.decode()
    assert b"Traceback" not in output


async def test_baoxiu_run_with_a_broken_config_says_why_in_one_sentence(tmp_path):
    config = tmp_path / "broken.toml"
    config.write_text(
        '[telegram]\ntoken = "1:x"\n[property]\nname = "X"\ntimezone = "Nowhere/Land"\n', encoding="utf-8"
    )
    process = await asyncio.create_subprocess_exec(
        str(BAOXIU), "run", "--config", str(config), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    _, errors = await process.communicate()
    assert process.returncode == 2
    assert b'property.timezone: unknown time zone "Nowhere/Land"' in errors
    assert b"blocks: Field required" in errors
    assert b"Traceback" not in errors
