"""Benchmark: the sender against a fake Bot API server that enforces Telegram's limits, beside
a peer sending the same load the usual way (an aiogram Bot behind aiolimiter limiters).

Two loads, each queued at once, each sent first by the real OutboxSender (with its default
limits, through the outbox in SQLite) and then by the peer, each against a fresh server in a process of its own:

- mixed: 1,500 messages to 300 private chats and 20 groups, some of the groups' messages
  albums of 2 to 7 photos;
- large: 5,000 text messages, one in five to a group (the rest to the private chats).

For each it prints the elapsed time (from the start to the last message Telegram accepted),
the limit-bound optimum, ratio = optimum / elapsed, the 429s received and in how many chats
the messages arrived in the order they were queued.

The optimum is a lower bound on any sender's elapsed time, the largest of three:
- a private chat with n calls (an album is one call there): (n - 1) × 1 s, one a second;
- a group with W messages (an album counts each photo): 60 s × (ceil(W / 20) - 1): any 60 s
  holds at most 20 of them, so W messages span at least ceil(W / 20) windows, and the
  first of the last window starts 60 s × (that - 1) after the first message;
- overall, U messages (albums per photo): ceil(U / 30) - 1 seconds, 30 in any second.
Each holds for every sender (each counts from the first message sent), so their maximum does.

    .venv/bin/python -m bench.sending            # both loads, ours and the peer (several minutes)
    .venv/bin/python -m bench.sending --quick    # a fifth of each load
"""

import argparse
import asyncio
import math
import multiprocessing
import random
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import InputMediaPhoto
from aiolimiter import AsyncLimiter

from delivery.limits import SendLimits
from delivery.retries import from_the_sender
from delivery.sender import OutboxSender, utcnow
from sandbox.bot_api import GROUP_LIMIT, OVERALL_LIMIT, PRIVATE_LIMIT, FakeTelegram
from storage.database import create_engine, migrate, session_factory
from storage.unit_of_work import UnitOfWork

PRIVATE_CHATS, GROUPS = 300, 20
PRIVATES = [1_000_000 + i for i in range(PRIVATE_CHATS)]
TEAMS = [-1_001_000_000_000 - i for i in range(GROUPS)]


@dataclass(frozen=True)
class Message:
    index: int
    chat_id: int
    photos: int = 0  # an album of this many photos; 0: a text

    @property
    def weight(self) -> int:
        return max(self.photos, 1)


def mixed_load(messages: int = 1500) -> list[Message]:
    rng = random.Random(11)
    load = []
    for index in range(messages):
        if rng.random() < 0.15:
            photos = rng.randint(2, 7) if rng.random() < 0.15 else 0
            load.append(Message(index, rng.choice(TEAMS), photos))
        else:
            load.append(Message(index, rng.choice(PRIVATES)))
    return load


def large_load(messages: int = 5000) -> list[Message]:
    rng = random.Random(7)
    return [Message(i, rng.choice(TEAMS) if rng.random() < 0.2 else rng.choice(PRIVATES)) for i in range(messages)]


def optimum(load: list[Message]) -> float:
    """The limit-bound lower bound of the module's docstring."""
    calls: dict[int, int] = defaultdict(int)
    weights: dict[int, int] = defaultdict(int)
    for message in load:
        calls[message.chat_id] += 1
        weights[message.chat_id] += message.weight
    private = max(((n - 1) * PRIVATE_LIMIT[1] / PRIVATE_LIMIT[0] for c, n in calls.items() if c > 0), default=0)
    group_count, group_window = GROUP_LIMIT
    group = max((group_window * (math.ceil(w / group_count) - 1) for c, w in weights.items() if c < 0), default=0)
    overall_count, overall_window = OVERALL_LIMIT
    overall = overall_window * (math.ceil(sum(m.weight for m in load) / overall_count) - 1)
    return max(private, group, overall)


@dataclass(frozen=True)
class Arrival:
    """A request the server accepted or refused, as the verdict needs it."""

    chat_id: int
    what: str  # the text, or an album's first photo
    at: float
    failed: bool


def serve(load: list[Message], pipe: Connection) -> None:
    """The fake Telegram in a process of its own, as Telegram is: its work never delays the
    sender's. It tells the parent its address and the albums' photos, serves until told to
    stop, and hands back what arrived (times on the machine's monotonic clock)."""
    asyncio.run(_serve(load, pipe))


async def _serve(load: list[Message], pipe: Connection) -> None:
    telegram = FakeTelegram()
    await telegram.start()
    telegram.enforce_limits = True
    for user in PRIVATES:
        telegram.add_user(user, f"owner{user}")
        telegram.started.add(user)
    for group in TEAMS:
        telegram.add_group(group, f"team{group}", [])
    albums = {m.index: [telegram.add_file(b"photo") for _ in range(m.photos)] for m in load if m.photos}
    pipe.send((telegram.url, telegram.token, albums))
    await asyncio.get_running_loop().run_in_executor(None, pipe.recv)
    arrivals = [
        Arrival(
            r.params.get("chat_id", 0),
            r.params["text"] if r.method == "sendMessage" else r.params["media"][0]["media"],
            r.at,
            r.failed is not None,
        )
        for r in telegram.requests
        if r.method in ("sendMessage", "sendMediaGroup")
    ]
    pipe.send((arrivals, telegram.too_many))
    await telegram.stop()


class Server:
    """The parent's handle on the server process."""

    def __init__(self, load: list[Message]) -> None:
        self.pipe, child = multiprocessing.get_context("spawn").Pipe()
        self.process = multiprocessing.get_context("spawn").Process(target=serve, args=(load, child), daemon=True)

    async def start(self) -> dict[int, list[str]]:
        self.process.start()
        self.url, self.token, albums = await asyncio.get_running_loop().run_in_executor(None, self.pipe.recv)
        return albums

    def bot(self) -> Bot:
        return Bot(self.token, session=AiohttpSession(api=TelegramAPIServer.from_base(self.url)))

    async def finish(self) -> tuple[list[Arrival], int]:
        self.pipe.send("stop")
        arrivals, too_many = await asyncio.get_running_loop().run_in_executor(None, self.pipe.recv)
        self.process.join(10)
        return arrivals, too_many


def payload(message: Message, albums: dict[int, list[str]]) -> tuple[str, dict]:
    if message.photos:
        return "sendMediaGroup", {"params": {"media": [{"type": "photo", "media": f} for f in albums[message.index]]}}
    return "sendMessage", {"params": {"text": f"message {message.index}"}}


async def ours(load: list[Message]) -> dict:
    telegram = Server(load)
    albums = await telegram.start()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await migrate(engine)
        sessions = session_factory(engine)
        async with UnitOfWork(sessions) as uow:
            for message in load:
                method, body = payload(message, albums)
                await uow.outbox.add(message.chat_id, method, body, utcnow())
        bot = telegram.bot()
        sender = OutboxSender(bot, sessions, SendLimits(), poll_interval=0.2)
        started = time.monotonic()
        task = asyncio.create_task(sender.run())
        while sender.stats.sent < len(load):
            await asyncio.sleep(0.2)
        await sender.stop()
        await task
        await bot.session.close()
        await engine.dispose()
    return verdict("ours", *await telegram.finish(), load, albums, started)


async def peer(load: list[Message]) -> dict:
    """The usual way: every message a task at once, a limiter per chat (one a second, or 20
    a minute as a leaky bucket) and one overall (30 a second), sleeping out a 429."""
    telegram = Server(load)
    albums = await telegram.start()
    bot = telegram.bot()
    overall = AsyncLimiter(OVERALL_LIMIT[0], OVERALL_LIMIT[1])
    chats = {c: AsyncLimiter(*PRIVATE_LIMIT) for c in PRIVATES} | {c: AsyncLimiter(*GROUP_LIMIT) for c in TEAMS}

    async def send(message: Message) -> None:
        from_the_sender()  # no retry middleware here either: the peer sleeps out its own 429s
        while True:
            await chats[message.chat_id].acquire(1 if message.chat_id > 0 else message.weight)
            await overall.acquire(message.weight)
            try:
                if message.photos:
                    media = [InputMediaPhoto(media=file) for file in albums[message.index]]
                    await bot.send_media_group(message.chat_id, media)
                else:
                    await bot.send_message(message.chat_id, f"message {message.index}")
                return
            except TelegramRetryAfter as error:
                await asyncio.sleep(error.retry_after)

    started = time.monotonic()
    await asyncio.gather(*(send(message) for message in load))
    await bot.session.close()
    return verdict("aiolimiter", *await telegram.finish(), load, albums, started)


def verdict(
    who: str, arrivals: list[Arrival], too_many: int, load: list[Message], albums: dict[int, list[str]], started: float
) -> dict:
    album_of = {files[0]: index for index, files in albums.items()}
    arrived: dict[int, list[int]] = defaultdict(list)
    last, first = started, math.inf
    for request in arrivals:
        if not request.failed:
            first = min(first, request.at)
            index = album_of.get(request.what)
            arrived[request.chat_id].append(int(request.what.removeprefix("message ")) if index is None else index)
            last = max(last, request.at)
    queued: dict[int, list[int]] = defaultdict(list)
    for message in load:
        queued[message.chat_id].append(message.index)
    in_order = sum(arrived[chat] == indexes for chat, indexes in queued.items())
    elapsed, best = last - started, optimum(load)
    return {
        "sender": who,
        "messages": len(load),
        "delivered": sum(len(indexes) for indexes in arrived.values()),
        "elapsed_s": round(elapsed, 1),
        "first_after_s": round(first - started, 2),
        "optimum_s": round(best, 1),
        "ratio": round(best / elapsed, 3) if elapsed else None,
        "429s": too_many,
        "chats_in_order": f"{in_order}/{len(queued)}",
    }


async def run(quick: bool) -> list[dict]:
    scale = 5 if quick else 1
    results = []
    for name, load in (("mixed", mixed_load(1500 // scale)), ("large", large_load(5000 // scale))):
        for sender in (ours, peer):
            result = {"load": name, **await sender(load)}
            print("  ".join(f"{key}={value}" for key, value in result.items()), flush=True)
            results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fifth of each load")
    asyncio.run(run(parser.parse_args().quick))


if __name__ == "__main__":
    main()
