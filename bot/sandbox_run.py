"""`baoxiu sandbox`: the real bot (bot/app.py) polling the sandbox's own Bot API server,
with the demo property's config and roster in a fresh folder and the page beside it."""

import asyncio
import contextlib
import logging
import shutil
import signal
import socket
import sys
import tempfile
import webbrowser
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.app import App, build, serve
from sandbox import demo
from sandbox.bot_api import FakeTelegram
from sandbox.clock import SettableClock
from sandbox.page import Playground
from settings.config import Config

HOST = "127.0.0.1"


@dataclass
class Sandbox:
    folder: Path
    port: int
    config_path: Path
    roster_path: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def prepare(port: int | None) -> Sandbox:
    """A fresh folder with the demo's config (pointing the bot at our server) and roster."""
    port = port or _free_port()
    folder = Path(tempfile.mkdtemp(prefix="baoxiu-sandbox-"))
    config_path = demo.write_config(folder, f"http://{HOST}:{port}")
    return Sandbox(folder, port, config_path, demo.write_roster(folder))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def run(sandbox: Sandbox, config: Config, open_browser: bool) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return asyncio.run(_serve(sandbox, config, open_browser))
    except KeyboardInterrupt:  # Ctrl-C while starting, before our own handler is in place
        return 0
    finally:
        shutil.rmtree(sandbox.folder, ignore_errors=True)


async def _serve(sandbox: Sandbox, config: Config, open_browser: bool) -> int:
    telegram = FakeTelegram(demo.TOKEN, demo.BOT_USERNAME)
    telegram.url = sandbox.url
    demo.populate(telegram)
    clock = SettableClock()
    app = build(config, clock)
    web_app = web.Application(client_max_size=64 * 1024 * 1024)
    telegram.mount(web_app)
    Playground(telegram, clock, lambda moved: _clock_moved(app, clock, moved)).mount(web_app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    try:
        await web.TCPSite(runner, HOST, sandbox.port).start()
    except OSError as error:
        await runner.cleanup()
        await app.close()
        print(f"cannot listen on {sandbox.url}: {error.strerror}", file=sys.stderr)
        return 1
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stopping.set)
    bot = asyncio.create_task(serve(app, handle_signals=False))
    print("baoxiu sandbox: Sunny Gardens, with a Telegram of its own. Open")
    print(f"{sandbox.url}/", flush=True)
    print("and press Ctrl-C to stop.", flush=True)
    if open_browser:
        webbrowser.open(f"{sandbox.url}/")
    await asyncio.wait([bot, asyncio.create_task(stopping.wait())], return_when=asyncio.FIRST_COMPLETED)
    if not bot.done():
        try:
            await app.stop()
        except RuntimeError:  # stopped before the first poll: the start-up is cut short instead
            bot.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(bot, 30)
    await runner.cleanup()
    return 0


async def _clock_moved(app: App, clock: SettableClock, moved: timedelta) -> None:
    """What the scheduler would have done while the time passed: the sweep of deadlines and
    callbacks, and the morning jobs when the office opened in between (clock/scheduler.py)."""
    await app.clock.sweep()
    now = clock.now()
    if _office_opened(now - moved, now, app):
        await app.clock.morning_digest()
        await app.clock.remind_warranty_endings()


def _office_opened(before: datetime, after: datetime, app: App) -> bool:
    tz, opens = app.services.tz, app.services.policy.office_opens
    day = before.astimezone(tz).date()
    while (moment := datetime.combine(day, opens, tz)) <= after:
        if moment > before:
            return True
        day += timedelta(days=1)
    return False
