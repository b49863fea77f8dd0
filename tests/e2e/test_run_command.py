"""`baoxiu run` as an operator starts it: a process that answers owners and stops cleanly."""

import asyncio
import logging
import os
import signal
import socket
import sys
import time
from pathlib import Path

from bot.app import build, serve
from settings.config import load_config
from tests.conftest import ALERT_CHAT, AQUA_GROUP, RunningBot

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
        greeting = await people.john.next_message(timeout=60)  # a loaded machine starts slowly
        assert "repair desk of Sunny Gardens (env)" in greeting["text"]
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), 60)
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


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens there once the probe is closed


async def lines_until(stream: asyncio.StreamReader, done, timeout: float = 60) -> list[str]:
    """The lines a process writes until `done(lines)` holds."""
    lines: list[str] = []
    async with asyncio.timeout(timeout):
        while not done(lines):
            line = await stream.readline()
            assert line, "the process ended: " + "".join(lines)
            lines.append(line.decode())
    return lines


async def test_without_network_baoxiu_run_says_so_retries_and_stops_on_sigterm(config_path, telegram):
    api_base = f"http://127.0.0.1:{closed_port()}"
    process = await asyncio.create_subprocess_exec(
        str(BAOXIU),
        "run",
        "--config",
        str(config_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env={**os.environ, "BAOXIU_TELEGRAM__API_BASE": api_base},
    )
    retries = [f"cannot reach Telegram at {api_base}: connection refused; retrying in {n} s" for n in (1, 2)]
    lines: list[str] = []
    try:
        lines = await lines_until(process.stdout, lambda lines: retries[1] in "".join(lines))
    finally:
        process.send_signal(signal.SIGTERM)
        rest, _ = await asyncio.wait_for(process.communicate(), 60)
    said = [line.rstrip().split(' msg="', 1)[1].removesuffix('"') for line in lines if "cannot reach" in line]
    assert said == retries  # one line each, waiting longer each time
    output = "".join(lines) + rest.decode()
    assert process.returncode == 0, output
    assert "Traceback" not in output and telegram.token not in output
    assert not telegram.requests  # it never got through


async def test_a_token_telegram_rejects_stops_baoxiu_run_with_exit_2_and_one_line(config_path, telegram):
    wrong = "123456:NOT-THE-TOKEN"
    process = await asyncio.create_subprocess_exec(
        str(BAOXIU),
        "run",
        "--config",
        str(config_path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "BAOXIU_TELEGRAM__TOKEN": wrong},
    )
    output, errors = await asyncio.wait_for(process.communicate(), 60)
    text = output.decode() + errors.decode()
    assert process.returncode == 2, text
    rejected = [line for line in text.splitlines() if "rejected the bot token" in line]
    assert rejected == [
        f"Telegram at {telegram.url} rejected the bot token (Unauthorized): copy the token from @BotFather "
        "into telegram.token (or BAOXIU_TELEGRAM__TOKEN) and start again"
    ]
    assert "Traceback" not in text and wrong not in text and "NOT-THE-TOKEN" not in text


async def test_webhook_mode_without_a_secret_does_not_start(config_path):
    config_path.write_text(
        config_path.read_text().replace(
            'album_wait = "150ms"',
            'album_wait = "150ms"\nmode = "webhook"\n\n[telegram.webhook]\nurl = "https://bot.example.org/telegram"',
        )
    )
    process = await asyncio.create_subprocess_exec(
        str(BAOXIU), "run", "--config", str(config_path), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    output, errors = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert errors.decode().splitlines() == ["config problem: telegram.webhook.secret: required in webhook mode"]
    assert not output


async def test_a_stop_while_telegram_does_not_answer_ends_start_up_at_once(config_path, clock, telegram):
    """A network that swallows requests: the stop does not wait for getMe to time out."""
    silent = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    config_path.write_text(config_path.read_text().replace(telegram.url, f"http://127.0.0.1:{port}"))
    app = build(load_config(config_path), clock)
    serving = asyncio.create_task(serve(app, handle_signals=False))
    try:
        await asyncio.sleep(0.5)
        assert not serving.done()
        started = time.monotonic()
        await app.stop()
        await asyncio.wait_for(serving, 5)
        assert time.monotonic() - started < 2
    finally:
        silent.close()


async def refused_start(config_path, database_url: str) -> list[str]:
    """What `baoxiu run` writes when it will not start on that database (exit 2)."""
    process = await asyncio.create_subprocess_exec(
        str(BAOXIU), "run", "--config", str(config_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "BAOXIU_STORAGE__DATABASE_URL": database_url},
    )  # fmt: skip
    output, errors = await asyncio.wait_for(process.communicate(), 60)
    text = output.decode() + errors.decode()
    assert process.returncode == 2, text
    assert "Traceback" not in text
    return errors.decode().splitlines()


async def test_a_database_in_a_folder_that_does_not_exist_stops_the_start_with_one_line(config_path, tmp_path):
    folder = tmp_path / "no-such-folder"
    lines = await refused_start(config_path, f"sqlite+aiosqlite:///{folder}/baoxiu.db")
    assert (
        f"storage.database_url: the folder {folder} does not exist; create it or point storage.database_url elsewhere"
    ) in lines


async def test_a_file_that_is_not_a_database_stops_the_start_with_one_line(config_path, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list: tape, a new tap\n" * 100)
    lines = await refused_start(config_path, f"sqlite+aiosqlite:///{notes}")
    assert (
        f"storage.database_url: {notes} is not a SQLite database; "
        "restore a backup (baoxiu restore) or name another file"
    ) in lines
    assert notes.read_text().startswith("shopping list")  # left as it was


async def test_a_postgresql_server_that_refuses_stops_the_start_naming_the_host(config_path):
    port = closed_port()
    lines = await refused_start(config_path, f"postgresql+asyncpg://baoxiu:secret@127.0.0.1:{port}/baoxiu")
    assert (
        f"storage.database_url: PostgreSQL at 127.0.0.1:{port} refused the connection; "
        "is the database server running and listening there?"
    ) in lines
    assert not any("secret" in line for line in lines)


async def test_configured_chats_without_the_bot_are_warned_of_and_the_bot_serves(
    config_path, clock, telegram, people, caplog
):
    telegram.chats[AQUA_GROUP].members[telegram.bot["id"]] = "kicked"
    del telegram.chats[ALERT_CHAT]
    running = RunningBot(config_path, clock, telegram)
    caplog.set_level(logging.WARNING, logger="bot.preflight")
    await running.start()
    try:
        await people.john.send("/start")
        await people.john.next_message()  # the bot serves while it checks
        await telegram.wait_for(
            lambda: (
                len(  # the bot's own membership: a /start also asks whether its sender is an engineer
                    [
                        r
                        for r in telegram.requests
                        if r.method == "getChatMember" and r.params.get("user_id") == telegram.bot["id"]
                    ]
                )
                == 4
            ),
            what="a check of each configured chat",
        )
    finally:
        await running.stop()
    warnings = [record.getMessage() for record in caplog.records if record.name == "bot.preflight"]
    assert warnings == [
        f'contractors "aqua" chat_id = {AQUA_GROUP}: the bot is not in this chat (its status: kicked); '
        "add the bot to it, or correct the setting",
        f"staff.alert_chat_id = {ALERT_CHAT}: the bot is not in this chat (Telegram: Bad Request: chat not found); "
        "add the bot to it, or correct the setting",
    ]
