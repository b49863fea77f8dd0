"""Benchmark: the sender against a fake Bot API server that enforces Telegram's limits.

Queues N messages (default 5,000) over 300 private chats and 20 groups in the outbox, lets
the real OutboxSender deliver them with its default limits, and reports the throughput, the
429s received (goal: none) and the busiest window seen per private chat, per group and overall.

    .venv/bin/python -m bench.sending [--messages 5000]
"""

import argparse
import asyncio
import random
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from delivery.limits import SendLimits
from delivery.sender import OutboxSender, utcnow
from sandbox.bot_api import GROUP_LIMIT, OVERALL_LIMIT, PRIVATE_LIMIT, FakeTelegram
from storage.database import create_engine, migrate, session_factory
from storage.unit_of_work import UnitOfWork

PRIVATE_CHATS, GROUPS = 300, 20


async def run(messages: int) -> dict:
    telegram = FakeTelegram()
    await telegram.start()
    telegram.enforce_limits = True
    privates = [1_000_000 + i for i in range(PRIVATE_CHATS)]
    groups = [-1_001_000_000_000 - i for i in range(GROUPS)]
    for user in privates:
        telegram.add_user(user, f"owner{user}")
        telegram.started.add(user)
    for group in groups:
        telegram.add_group(group, f"team{group}", [])
    rng = random.Random(7)
    chats = [rng.choice(groups) if rng.random() < 0.2 else rng.choice(privates) for _ in range(messages)]
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await migrate(engine)
        sessions = session_factory(engine)
        async with UnitOfWork(sessions) as uow:
            for index, chat in enumerate(chats):
                await uow.outbox.add(chat, "sendMessage", {"params": {"text": f"message {index}"}}, utcnow())
        bot = Bot(telegram.token, session=AiohttpSession(api=TelegramAPIServer.from_base(telegram.url)))
        sender = OutboxSender(bot, sessions, SendLimits(), poll_interval=0.2)
        started = time.monotonic()
        task = asyncio.create_task(sender.run())
        while sender.stats.sent < messages:
            await asyncio.sleep(0.5)
        elapsed = time.monotonic() - started
        await sender.stop()
        await task
        await bot.session.close()
        await engine.dispose()
    await telegram.stop()
    return report(telegram, messages, elapsed)


def busiest(times: list[float], window: float) -> int:
    times, best, start = sorted(times), 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def report(telegram: FakeTelegram, messages: int, elapsed: float) -> dict:
    sent = [r for r in telegram.requests if r.method == "sendMessage" and r.failed is None]
    per_chat = defaultdict(list)
    for request in sent:
        per_chat[request.params["chat_id"]].append(request.at)
    return {
        "messages": messages,
        "delivered": len(sent),
        "seconds": round(elapsed, 1),
        "messages_per_second": round(len(sent) / elapsed, 1),
        "429_received": telegram.too_many,
        "429_reasons": telegram.too_many_why[:5],
        "busiest_private_chat_per_1s": max(busiest(t, PRIVATE_LIMIT[1]) for c, t in per_chat.items() if c > 0),
        "busiest_group_per_60s": max(busiest(t, GROUP_LIMIT[1]) for c, t in per_chat.items() if c < 0),
        "busiest_overall_per_1s": busiest([r.at for r in sent], OVERALL_LIMIT[1]),
        "limits": {
            "private_per_1s": PRIVATE_LIMIT[0],
            "group_per_60s": GROUP_LIMIT[0],
            "overall_per_1s": OVERALL_LIMIT[0],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    for key, value in asyncio.run(run(parser.parse_args().messages)).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
