"""Which of the scheduler's jobs are under way, so a clean stop can let them end."""

import asyncio

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobSubmissionEvent,
)
from apscheduler.schedulers.base import BaseScheduler


class RunningJobs:
    """Counts the runs APScheduler has handed to its executor and not yet seen end."""

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def watch(self, scheduler: BaseScheduler) -> None:
        events = EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED
        scheduler.add_listener(self._count, events)

    async def ended(self) -> None:
        """Return once no job is running."""
        await self._idle.wait()

    def _count(self, event: JobEvent) -> None:
        # a submission carries its run times; each ends as executed, failed or missed
        if isinstance(event, JobSubmissionEvent):
            self._running += len(event.scheduled_run_times)
        else:
            self._running -= 1
        if self._running > 0:
            self._idle.clear()
        else:
            self._idle.set()
