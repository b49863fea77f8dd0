"""The callbacks' part of the sweep: ask each callback when it falls due, ask once more when
the owner stays silent, then count it unanswered. Each step is a guarded status change, so
a second sweep finds nothing left to do.

Only what is due is read (storage/callbacks.py, by indexed status and time), a batch at a
time, each callback in its own short transaction and the loop let go between batches: a
day of callbacks falling due at once never holds up the commands coming in meanwhile."""

import asyncio
from datetime import datetime

from domain.tickets import EventKind
from services.context import Services
from services.current import current_ticket
from storage.callbacks import Callback
from views.notifier import Notifier

BATCH = 50


class CallbackClock:
    def __init__(self, services: Services, notifier: Notifier):
        self.services = services
        self.notifier = notifier

    async def sweep(self, now: datetime) -> int:
        return await self._ask_due(now) + await self._ask_again_or_give_up(now)

    async def _ask_due(self, now: datetime) -> int:
        done = 0
        while True:
            async with self.services.unit_of_work() as uow:
                due = await uow.callbacks.due(now, BATCH)
            for callback in due:
                async with self.services.unit_of_work() as uow:
                    if await uow.callbacks.mark_asked(callback.id, now):
                        await self.notifier.ask_callback(
                            uow, await current_ticket(uow, callback.ticket_id), callback.id
                        )
                        done += 1
            if len(due) < BATCH:
                return done
            await asyncio.sleep(0)

    async def _ask_again_or_give_up(self, now: datetime) -> int:
        since, done = now - self.services.policy.callback_answer_within, 0
        while True:
            async with self.services.unit_of_work() as uow:
                waiting = await uow.callbacks.waiting(since, BATCH)
            acted = [await self._again_or_unanswered(callback, now) for callback in waiting]
            done += sum(acted)
            if len(waiting) < BATCH or not any(acted):  # nothing moved: the rest moved elsewhere
                return done
            await asyncio.sleep(0)

    async def _again_or_unanswered(self, callback: Callback, now: datetime) -> bool:
        async with self.services.unit_of_work() as uow:
            outcome = await uow.callbacks.ask_again_or_give_up(
                callback.id, now, self.services.policy.callback_answer_within
            )
            if outcome is None:
                return False
            ticket = await current_ticket(uow, callback.ticket_id)
            if outcome == "again":
                await self.notifier.ask_callback(uow, ticket, callback.id, again=True)
            else:
                await uow.tickets.record(ticket.id, EventKind.CALLBACK_UNANSWERED, now)
            return True
