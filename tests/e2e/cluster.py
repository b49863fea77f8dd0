"""Two or more real `baoxiu run` workers in webhook mode, as Telegram and a reverse proxy
see them: the processes (forked from one parent that imported the bot once, as in
tests/e2e/test_kill.py), a round-robin proxy in front of them, and Telegram's webhook
delivery, which posts each update until a worker takes it."""

import asyncio
import contextlib
import itertools
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from sandbox.bot_api import FakeTelegram
from tests.e2e.test_kill import ZYGOTE
from tests.e2e.test_webhook import SECRET, free_port

TWIN_EVERY = 3  # every third update is also delivered straight to each worker
PATIENCE = 60.0  # seconds a request may take: the workers and the test share a busy machine


class Workers:
    """`baoxiu run` processes forked from one parent that imported the bot once (as in
    tests/e2e/test_kill.py), each with its own config: the same database, another port."""

    def __init__(self, folder: Path, configs: list[Path]):
        self.folder = folder
        self.configs = configs
        self.ports = [free_port() for _ in configs]
        self.pids: list[int] = []
        self.zygote: asyncio.subprocess.Process | None = None

    async def start_all(self) -> None:
        self.zygote = await asyncio.create_subprocess_exec(
            sys.executable, "-c", ZYGOTE, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
        )
        assert self.zygote.stdin is not None and self.zygote.stdout is not None
        for index, config in enumerate(self.configs):
            self.zygote.stdin.write(f"{config} {self.log(index)}\n".encode())
        await self.zygote.stdin.drain()
        for _ in self.configs:
            self.pids.append(int(await asyncio.wait_for(self.zygote.stdout.readline(), 120)))

    def log(self, index: int) -> Path:
        return self.folder / f"worker-{index + 1}.log"

    def output(self, index: int) -> str:
        path = self.log(index)
        return path.read_text(errors="replace") if path.exists() else ""

    def alive(self, index: int) -> bool:
        try:
            os.kill(self.pids[index], 0)
        except ProcessLookupError:
            return False
        return True

    async def kill(self, index: int) -> None:
        os.kill(self.pids[index], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while self.alive(index) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert not self.alive(index)

    async def close(self) -> None:
        for index, pid in enumerate(self.pids):
            if self.alive(index):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while any(self.alive(i) for i in range(len(self.pids))) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        if self.zygote is not None and self.zygote.stdin is not None:
            self.zygote.stdin.close()
            await asyncio.wait_for(self.zygote.wait(), 10)


class Proxy:
    """The one public URL: each request goes to the next worker in turn; a worker that does
    not answer is skipped, and a request cut off mid-way is a 502 (Telegram will retry)."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self._next = itertools.cycle(range(len(ports)))
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._client = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/telegram", self._forward)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}/telegram"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    async def _forward(self, request: web.Request) -> web.Response:
        body, headers = await request.read(), {"Content-Type": "application/json"}
        headers[SECRET_HEADER] = request.headers.get(SECRET_HEADER, "")
        assert self._client is not None
        for _ in self.ports:
            port = self.ports[next(self._next)]
            try:
                async with self._client.post(f"http://127.0.0.1:{port}/telegram", data=body, headers=headers) as answer:
                    return web.Response(status=answer.status, body=await answer.read())
            except aiohttp.ClientConnectorError:
                continue  # not listening (dead or not started): the next one
            except aiohttp.ClientError:
                return web.Response(status=502)
        return web.Response(status=502)


SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class Delivery:
    """Telegram's side of a webhook: every update is posted to the URL until it is taken."""

    def __init__(self, telegram: FakeTelegram, url: str, ports: list[int]):
        self.telegram = telegram
        self.url = url
        self.ports = ports
        self.delivered: set[int] = set()  # update ids a worker answered 200 to
        self.twins = 0
        self._tasks: set[asyncio.Task] = set()
        self._pulling: asyncio.Task | None = None
        self._client: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=PATIENCE))
        self._pulling = asyncio.create_task(self._pull())

    async def stop(self) -> None:
        if self._pulling is not None:
            self._pulling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pulling
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.close()

    async def _pull(self) -> None:
        offset = 0
        while True:
            # the fake's own queue of updates, read as its getUpdates would
            updates = await self.telegram._getupdates({"offset": offset, "timeout": 0.25})
            for update in updates:
                offset = update["update_id"] + 1
                self._spawn(self._post(self.url, update, until_taken=True))
                if update["update_id"] % TWIN_EVERY == 0:  # and to each worker at the same moment
                    self.twins += 1
                    for port in self.ports:
                        self._spawn(self._post(f"http://127.0.0.1:{port}/telegram", update, until_taken=False))

    def _spawn(self, work) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post(self, url: str, update: dict, until_taken: bool) -> None:
        assert self._client is not None
        while True:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with self._client.post(url, json=update, headers={SECRET_HEADER: SECRET}) as answer:
                    if answer.status == 200:
                        self.delivered.add(update["update_id"])
                        return
            if not until_taken:
                return
            await asyncio.sleep(0.5)
