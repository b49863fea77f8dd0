"""A clean stop lets the clock's job under way end (clock/running.py)."""

import asyncio

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from clock.running import RunningJobs


async def test_the_stop_waits_for_the_job_under_way_and_not_longer():
    scheduler = AsyncIOScheduler()
    running = RunningJobs()
    running.watch(scheduler)
    started, release, finished = asyncio.Event(), asyncio.Event(), []

    async def sweep() -> None:
        started.set()
        await release.wait()
        finished.append("swept")

    scheduler.add_job(sweep)  # once, now
    scheduler.start()
    try:
        await asyncio.wait_for(started.wait(), 5)
        ended = asyncio.create_task(running.ended())
        await asyncio.sleep(0.05)
        assert not ended.done()  # the sweep is still under way
        release.set()
        await asyncio.wait_for(ended, 5)
        assert finished == ["swept"]
        await asyncio.wait_for(running.ended(), 1)  # nothing running: at once
    finally:
        scheduler.shutdown(wait=False)
