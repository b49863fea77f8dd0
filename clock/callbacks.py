"""The callbacks' part of the sweep: ask each callback when it falls due, ask once more when
the owner stays silent, then count it unanswered. Each step is a guarded status change, so
a second sweep finds nothing left to do."""

from datetime import datetime

from domain.tickets import EventKind
from services.context import Services
from services.current import current_ticket
from views.notifier import Notifier


class CallbackClock:
    def __init__(self, services: Services, notifier: Notifier):
        self.services = services
        self.notifier = notifier

    async def sweep(self, now: datetime) -> int:
        done = 0
        async with self.services.unit_of_work() as uow:
            due = await uow.callbacks.due(now)
            waiting = await uow.callbacks.waiting(now - self.services.policy.callback_answer_within)
        for callback in due:
            async with self.services.unit_of_work() as uow:
                if await uow.callbacks.mark_asked(callback.id, now):
                    await self.notifier.ask_callback(uow, await current_ticket(uow, callback.ticket_id), callback.id)
                    done += 1
        for callback in waiting:
            async with self.services.unit_of_work() as uow:
                outcome = await uow.callbacks.ask_again_or_give_up(
                    callback.id, now, self.services.policy.callback_answer_within
                )
                ticket = await current_ticket(uow, callback.ticket_id)
                if outcome == "again":
                    await self.notifier.ask_callback(uow, ticket, callback.id, again=True)
                elif outcome == "unanswered":
                    await uow.tickets.record(ticket.id, EventKind.CALLBACK_UNANSWERED, now)
                done += outcome is not None
        return done
