"""The managers' reports on the policy's schedule (domain.reporting.due_reports): made,
kept under the evidence folder, and queued in the outbox for the managers' chat, once each."""

import logging
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from domain.reporting import ReportKind, due_reports
from services.context import Services
from services.reporting import Scope, build_report
from settings.config import Config
from views.notifier import Notifier
from views.report_files import ReportFiles, render_report, report_names

log = logging.getLogger(__name__)


class ReportClock:
    def __init__(self, config: Config, services: Services, notifier: Notifier):
        self.config = config
        self.services = services
        self.notifier = notifier

    def schedule(self, scheduler: AsyncIOScheduler) -> None:
        at = self.services.policy.report_time
        trigger = CronTrigger(hour=at.hour, minute=at.minute)
        scheduler.add_job(self.send_due, trigger, id="reports", max_instances=1, coalesce=True)

    async def send_due(self) -> int:
        """Every report due today; returns how many were queued (none twice)."""
        now = self.services.clock.now()
        today = now.astimezone(self.services.tz).date()
        sent = 0
        for kind, period in due_reports(today, self.services.policy):
            sent += await self.send(kind, Scope(period), now)
        return sent

    async def send(self, kind: ReportKind, scope: Scope, now: datetime) -> bool:
        chat_id = self.config.staff.alert_chat_id or self.config.duty_chat(now.astimezone(self.services.tz).time())
        if chat_id is None:
            log.warning("report=%s period=%s not sent: no managers' chat configured", kind, scope.period.label)
            return False
        async with self.services.unit_of_work() as uow:
            report = await build_report(uow, kind, scope, self.services.tz, now)
        language = self.config.property.default_language
        files = await render_report(report, self.notifier.catalogs, language, report_names(self.config))
        chart, workbook = self._keep(files)
        async with self.services.unit_of_work() as uow:
            if not await uow.owners.once(f"report:{kind}:{scope.period.label}", now):
                return False  # another process, or an earlier run, sent it
            await self.notifier.say(uow, chat_id, files.text)
            await self.notifier.queue(uow, chat_id, "sendPhoto", {"photo": {"path": chart, "name": files.chart_name}})
            document = {"path": workbook, "name": files.workbook_name}
            await self.notifier.queue(uow, chat_id, "sendDocument", {"document": document})
            await uow.commit()
        return True

    def _keep(self, files: ReportFiles) -> tuple[str, str]:
        """On disk for the outbox to send (it may send after a restart), beside the evidence."""
        folder = self.services.photos.directory / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        chart, workbook = folder / files.chart_name, folder / files.workbook_name
        chart.write_bytes(files.chart)
        workbook.write_bytes(files.workbook)
        return str(chart), str(workbook)
