"""The clock that never forgets: APScheduler runs a sweep every scheduler_tick and a
morning digest every day.

The sweep asks the domain what each open ticket is owed now (domain/escalation.py) and
sends each notice once: the notice's key is written in the same transaction as its
messages, under a unique constraint, so a restart, two sweeps at once (two processes on
one database) or a sweep after an outage never repeats one, and whatever fell due while
the bot was down is caught up on the first sweep.

A little over 300 lines: the sweep's steps (what is due, what it is owed, acting on it,
escalating, passing to the fallback contractor) read best in one place.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import IntegrityError

from clock.callbacks import CallbackClock
from clock.complaints import ComplaintClock
from clock.reports import ReportClock
from clock.retention import schedule_purge
from clock.running import RunningJobs
from clock.surveys import SurveyClock
from domain.escalation import Notice, NoticeKind, due_notices, next_due_at
from domain.job import DEADLINES_RUN, OPEN
from domain.tickets import Ticket
from domain.warranty import ending_soon
from services import callbacks, deadlines
from services.context import Services
from services.current import current_ticket
from services.log_context import about_ticket
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views.notifier import Notifier

# the deadline each climbing notice is about, as the alert names it (deadline.* messages)
ESCALATED_DEADLINE = {
    NoticeKind.MISSED_ON_SITE: "on_site",
    NoticeKind.MISSED_RESOLVE: "resolve",
    NoticeKind.MISSED_REPEAT_VISIT: "repeat_visit",
    NoticeKind.MISSED_PLAN: "plan",
}
# the deadline each reminder is about, as the engineer's panel names it (clock.remind_* messages)
REMINDED_DEADLINE = {
    NoticeKind.REMIND_ON_SITE: "on_site_by",
    NoticeKind.REMIND_RESOLVE: "resolve_by",
    NoticeKind.REMIND_PLAN: "plan_by",
}

# seconds a job under way gets to finish when the bot stops, before it is cancelled
FINISH_AT_STOP = 15

# tickets read and acted on per transaction: small enough that no batch holds the loop long
SWEEP_BATCH = 50

# overdue jobs the morning digest names one by one (the rest are counted): a message stays readable
DIGEST_LINES = 30

log = logging.getLogger(__name__)


class DeadlineClock:
    def __init__(
        self,
        config: Config,
        services: Services,
        notifier: Notifier,
        on_swept: Callable[[float], None] = lambda _seconds: None,  # each sweep's duration, for the operator
    ):
        self.config = config
        self.on_swept = on_swept
        self.services = services
        self.notifier = notifier
        self.callbacks = CallbackClock(services, notifier)
        self.complaints = ComplaintClock(services, notifier)
        self.reports = ReportClock(config, services, notifier)
        self.surveys = SurveyClock(config, services, notifier)
        self.scheduler: AsyncIOScheduler | None = None
        self.running = RunningJobs()

    def start(self) -> None:
        tick = self.services.policy.scheduler_tick.total_seconds()
        self.scheduler = AsyncIOScheduler(timezone=self.services.tz)
        self.running.watch(self.scheduler)
        self.scheduler.add_job(
            self.sweep,
            IntervalTrigger(seconds=tick),
            id="sweep",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(self.services.tz),
        )
        opens = self.services.policy.office_opens
        self.scheduler.add_job(
            self.morning_digest,
            CronTrigger(hour=opens.hour, minute=opens.minute),
            id="morning-digest",
            max_instances=1,
            coalesce=True,
        )
        self.scheduler.add_job(
            self.remind_warranty_endings,
            CronTrigger(hour=opens.hour, minute=opens.minute),
            id="warranty-reminders",
            max_instances=1,
            coalesce=True,
        )
        self.reports.schedule(self.scheduler)
        schedule_purge(self.scheduler, self.services)
        self.scheduler.start()

    def stop(self) -> None:
        """Stop at once, cancelling a job under way: for a worker that has lost the clock's
        lease, where another worker may already run it."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def finish(self) -> None:
        """Start no more jobs and let the ones under way end, for a clean stop of the bot:
        a sweep cancelled half-way would be caught up after the start, but cancelling it
        tears a statement in two and fills the log with its traceback."""
        if self.scheduler is None or not self.scheduler.running:
            return
        self.scheduler.pause()
        try:
            await asyncio.wait_for(self.running.ended(), timeout=FINISH_AT_STOP)
        except TimeoutError:
            log.warning("a clock job was still running after %d s; it is cancelled", FINISH_AT_STOP)

    async def sweep(self) -> int:
        """Send what is due now; returns how many notices went out."""
        started = time.perf_counter()
        try:
            return await self._sweep()
        finally:
            self.on_swept(time.perf_counter() - started)

    async def _sweep(self) -> int:
        now = self.services.clock.now()
        sent = await self._tickets_due(now)
        return sent + await self.callbacks.sweep(now) + await self.complaints.sweep(now) + await self.surveys.sweep(now)

    async def _tickets_due(self, now: datetime) -> int:
        """Only the tickets whose next_due_at has come (storage/ticket_clock.py), a batch at a
        time, each batch in short transactions of its own and the loop let go between them:
        catching up after a pause never holds up the commands coming in meanwhile."""
        sent, after = 0, None
        while True:
            async with self.services.unit_of_work() as uow:
                due = await uow.tickets.due(now, after, SWEEP_BATCH)
                if not due:
                    return sent
                looked = await uow.tickets.due_state([ticket_id for _, ticket_id in due])
            for ticket, _version, noted in looked:
                about_ticket(ticket.number)
                for notice in due_notices(ticket, now, self.services.policy):
                    if notice.key not in noted:
                        sent += await self._once(ticket.id, notice, now)
            about_ticket(None)
            await self._reckon([ticket_id for _, ticket_id in due], now)
            if len(due) < SWEEP_BATCH:
                return sent
            after = due[-1]
            await asyncio.sleep(0)

    async def _reckon(self, ticket_ids: list[int], now: datetime) -> None:
        """When the clock must look at each ticket next, from the ticket as it stands now."""
        async with self.services.unit_of_work() as uow:
            moments = [
                (ticket.id, version, next_due_at(ticket, noted, now, self.services.policy))
                for ticket, version, noted in await uow.tickets.due_state(ticket_ids)
            ]
            await uow.tickets.set_next_due_all(moments)

    async def _once(self, ticket_id: int, notice: Notice, now: datetime) -> bool:
        try:
            async with self.services.unit_of_work() as uow:
                if not await uow.tickets.note(ticket_id, notice.key, now):
                    return False
                for key in notice.silent:
                    await uow.tickets.note(ticket_id, key, now)
                await self._act(uow, await current_ticket(uow, ticket_id), notice, now)
            return True
        except IntegrityError:  # another sweep sent it a moment ago
            return False
        except Exception:  # one broken notice must not hold back every other ticket
            log.exception("the clock could not act on %s for ticket %s", notice.key, ticket_id)
            return False

    async def _act(self, uow: UnitOfWork, ticket: Ticket, notice: Notice, now: datetime) -> None:
        n, t = self.notifier, self.notifier.t
        when = self.notifier.when
        if notice.kind is NoticeKind.REMIND_ACCEPT:
            code = ticket.contractor_code  # always set on an assigned ticket
            chat = await self.services.contractor_chat(uow, code) if code else None
            if chat:
                await n.say(
                    uow,
                    chat,
                    t("clock.remind_accept", number=ticket.number, at=when(ticket.accept_by)),
                    ticket_id=ticket.id,
                )
        elif notice.kind is NoticeKind.MISSED_ACCEPT:
            await self._pass_to_fallback(uow, ticket, now)
        elif notice.kind in REMINDED_DEADLINE:
            await n.panel(uow, ticket, f"clock.{notice.kind}", at=when(getattr(ticket, REMINDED_DEADLINE[notice.kind])))
        elif notice.kind in ESCALATED_DEADLINE:
            await self._escalate(uow, ticket, notice, now)
        elif notice.kind is NoticeKind.REMIND_VISIT:
            await n.panel(uow, ticket, "clock.remind_visit", at=when(ticket.visit_at))
            await n.tell(
                uow,
                ticket.owner_user_id,
                "owner.remind_visit",
                ticket,
                number=ticket.number,
                at=when(ticket.visit_at),
                engineer=ticket.engineer_name,
            )
        elif notice.kind is NoticeKind.CONFIRM_AGAIN:
            await n.ask_confirmation(uow, ticket, again=True)
        elif notice.kind is NoticeKind.UNHAPPY:
            role = notice.ladder_step.role
            await deadlines.record_escalation(uow, ticket, "satisfaction", role, now)
            await self.notifier.unhappy_alert(uow, ticket, role, self.notifier.people(role))
        elif notice.kind is NoticeKind.VERIFY_PUBLIC:
            await n.verify_task(uow, ticket)
        elif notice.kind is NoticeKind.MISSED_VERIFICATION:
            await n.unverified_alert(uow, ticket)
        elif notice.kind is NoticeKind.CLOSE_BY_SILENCE:
            closed = await deadlines.close_by_silence(self.services, uow, ticket, now)
            if closed is not None:
                # an owner who never said "fixed" is called back all the same: it costs nothing
                await callbacks.schedule_after_confirmation(self.services, uow, closed, now)
                await n.tell(uow, closed.owner_user_id, "owner.closed_by_silence", closed, number=closed.number)
                await n.panel(uow, closed, "clock.closed_by_silence")
                await n.mirror(uow, closed)

    async def _pass_to_fallback(self, uow: UnitOfWork, ticket: Ticket, now: datetime) -> None:
        moved = await deadlines.pass_to_fallback(self.services, uow, ticket, now)
        if moved is None:
            return
        n, t = self.notifier, self.notifier.t
        successor = n.contractor_name(moved.contractor_code) if moved.contractor_code else t("card.managers")
        await n.mark_card(
            uow, ticket, t("card.not_taken", contractor=n.contractor_name(ticket.contractor_code), successor=successor)
        )
        await n.dispatch(uow, moved)
        await n.alert(
            uow,
            t(
                "clock.missed_accept",
                number=ticket.number,
                contractor=n.contractor_name(ticket.contractor_code),
                successor=successor,
            ),
            n.manager_buttons(moved),
            moved,
        )

    async def _escalate(self, uow: UnitOfWork, ticket: Ticket, notice: Notice, now: datetime) -> None:
        deadline = ESCALATED_DEADLINE[notice.kind]
        role = notice.ladder_step.role
        await deadlines.record_escalation(uow, ticket, deadline, role, now)
        await self.notifier.escalate(uow, ticket, deadline, role, self.notifier.people(role))
        if notice.rung == 0 and deadline != "repeat_visit":  # no engineer holds a repeat awaiting the look
            await self.notifier.panel(uow, ticket, f"clock.missed_{deadline}")

    async def morning_digest(self) -> None:
        """Every morning: how many jobs are open and which are overdue, for the managers; and
        on a day the config's rain calendar names, the callbacks held for the rain."""
        now = self.services.clock.now()
        today = now.astimezone(self.services.tz).date()
        if today in self.config.policy.rain_days:
            async with self.services.unit_of_work() as uow:
                await uow.callbacks.release_rain(None, now)
        async with self.services.unit_of_work() as uow:
            if not await uow.owners.once(f"digest:{today.isoformat()}", now):
                return  # another process sent today's
            figures = await uow.tickets.morning_figures(OPEN, DEADLINES_RUN, now, DIGEST_LINES)
            await self.notifier.digest(uow, *figures)

    async def remind_warranty_endings(self) -> int:
        """A month before a unit's warranties end, its owners are asked to check their home
        and report what is still covered (docs/rules.md, Warranty periods); each ending once."""
        now = self.services.clock.now()
        today = now.astimezone(self.services.tz).date()
        sent = 0
        async with self.services.unit_of_work() as uow:
            units = await uow.owners.bound_units_with_owners()
        for unit, owners in units:
            if unit.handover_date is None:
                continue
            for ends_on, parts in ending_soon(unit.handover_date, today, self.services.policy).items():
                try:
                    async with self.services.unit_of_work() as uow:
                        if await uow.owners.once(f"warranty:{unit.id}:{ends_on.isoformat()}", now):
                            for owner in owners:
                                await self.notifier.warranty_reminder(uow, owner, unit, parts, ends_on)
                            sent += 1
                except IntegrityError:  # another process sent it a moment ago
                    continue
        return sent
