"""Benchmark: how lean one worker is. Starts the real `baoxiu run` process (polling the fake
Bot API of this process) and measures

- startup: from the process's start to its first getUpdates;
- RSS idle (VmRSS of /proc/PID/status, a few seconds after that first poll);
- RSS with N conversations in progress (default 10,000): owners who bound by sharing their
  contact, described a leak, confirmed its category, chose their unit and are now asked for
  photos — five updates each, sent through the bot, at most --parallel owners at a time;
- the peak (VmHWM) over the whole run.

    .venv/bin/python -m bench.memory [--conversations 10000] [--parallel 200] [--redis URL]

The bot keeps its conversations in its database (SQLite here), or in Redis with --redis.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.owners import Owner, StormTelegram, phone, write_roster
from bot import cli
from tests.conftest import write_config

RUN = "import sys; from bot import cli; sys.exit(cli.main(sys.argv[1:]))"
SETTLE = 3.0  # seconds after the first poll (or the last conversation) before RSS is read


def status_kib(pid: int, field: str) -> int:
    """A `VmRSS:   123456 kB` line of /proc/PID/status, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


async def to_photos(owner: Owner) -> None:
    """Bind, describe, confirm the category, choose the unit: the bot now waits for photos."""
    contact = {"phone_number": "86" + phone(owner.index), "first_name": "Owner", "user_id": owner.id}
    start = owner._message(text="/start", entities=[{"type": "bot_command", "offset": 0, "length": 6}])
    await owner.step("start", start, "repair desk")
    await owner.step("contact", owner._message(contact=contact), "You are registered")
    await owner.step("describe", owner._message(text="water is dripping from the bathroom ceiling"), "It sounds like")
    await owner.step("confirm category", owner._press("Yes"), "Where is the problem?")
    await owner.step("choose unit", owner._press(f"unit {2001 + owner.index}"), "at least one photo")


async def drive(tg: StormTelegram, count: int, parallel: int) -> tuple[int, float]:
    """`count` owners to the photo step, `parallel` at a time; (done, seconds)."""
    owners = iter(range(count))
    done = 0
    started = time.monotonic()

    async def lane() -> None:
        nonlocal done
        for index in owners:
            owner = Owner(tg, index, timeout=120.0)
            await to_photos(owner)
            tg.inboxes.pop(owner.id, None)  # this process keeps no more of it than it must
            done += 1
            if done % 1000 == 0:
                print(f"  {done} conversations in progress ({time.monotonic() - started:.0f} s)", flush=True)

    await asyncio.gather(*(lane() for _ in range(parallel)))
    return done, time.monotonic() - started


async def measure(count: int, parallel: int, redis: str | None, folder: Path) -> None:
    tg = StormTelegram()
    await tg.start()
    config = write_config(folder, tg)
    if redis:
        text = config.read_text().replace("[storage]\n", f'[storage]\nredis_url = "{redis}"\n')
        config.write_text(text)
    roster = ["import-units", "--config", str(config), str(write_roster(folder, count))]
    assert await asyncio.to_thread(cli.main, roster) == 0
    log = (folder / "bot.log").open("wb")
    began = time.monotonic()
    command = [sys.executable, "-c", RUN, "run", "--config", str(config)]
    bot = await asyncio.create_subprocess_exec(*command, stdout=log, stderr=log)
    try:
        await tg.wait_for(lambda: tg.polls > 0, 300, "the first getUpdates")
        startup = time.monotonic() - began
        await asyncio.sleep(SETTLE)
        idle = status_kib(bot.pid, "VmRSS")
        print(f"startup {startup:.2f} s (process start → first getUpdates); RSS idle {mib(idle)}", flush=True)
        if count == 0:
            return
        done, seconds = await drive(tg, count, parallel)
        await asyncio.sleep(SETTLE)
        busy, peak = status_kib(bot.pid, "VmRSS"), status_kib(bot.pid, "VmHWM")
        rate = 5 * done / seconds
        print(f"{done} conversations waiting for photos, driven in {seconds:.0f} s ({rate:.0f} updates/s)")
        print(f"RSS with {done} conversations {mib(busy)}; peak (VmHWM) {mib(peak)}")
    finally:
        if bot.returncode is None:
            bot.terminate()
            await asyncio.wait_for(bot.wait(), 60)
        log.close()
        await tg.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--parallel", type=int, default=200, help="owners in flight at once")
    parser.add_argument("--redis", help="keep conversations in this Redis (storage.redis_url)")
    args = parser.parse_args()
    if not Path(f"/proc/{os.getpid()}/status").exists():
        raise SystemExit("this benchmark reads /proc/PID/status (Linux)")
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(measure(args.conversations, args.parallel, args.redis, Path(folder)))


if __name__ == "__main__":
    main()
