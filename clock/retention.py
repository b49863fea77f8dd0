"""Every night the records older than the retention period go (services/export.py); one
broken night is logged and tried again the next."""

import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from services import export
from services.context import Services

log = logging.getLogger(__name__)

PURGE_HOUR = 3  # the quietest hour


def schedule_purge(scheduler: AsyncIOScheduler, services: Services) -> None:
    async def purge() -> None:
        try:
            await export.purge(services)
        except Exception:
            log.exception("the nightly purge failed")

    scheduler.add_job(purge, CronTrigger(hour=PURGE_HOUR), id="retention-purge", max_instances=1, coalesce=True)
