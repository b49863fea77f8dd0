"""The complaints' part of the sweep: each severity's deadlines (first handling, answer,
resolution) alert the managers once when missed; a proposed solution the owner never
answers closes by silence; every closed complaint is called back once."""

from datetime import datetime

from sqlalchemy.exc import IntegrityError

from domain.complaints import RULES, Severity
from services import complaints
from services.context import Services
from storage.complaints import Complaint
from storage.unit_of_work import UnitOfWork
from views.notifier import Notifier


class ComplaintClock:
    def __init__(self, services: Services, notifier: Notifier):
        self.services = services
        self.notifier = notifier

    async def sweep(self, now: datetime) -> int:
        async with self.services.unit_of_work() as uow:
            open_ones = await uow.complaints.open_ones()
            callbacks_due = await uow.complaints.callbacks_due(now)
        done = 0
        for complaint in open_ones:
            for deadline, due, statuses in self._deadlines(complaint):
                if due is not None and now >= due and complaint.status in statuses:
                    done += await self._alert_once(complaint, deadline, due, now)
            if (
                complaint.status == "proposed"
                and now >= complaint.proposed_at + self.services.policy.confirm_silence_after
            ):
                async with self.services.unit_of_work() as uow:
                    if await complaints.close_by_silence(self.services, uow, complaint):
                        await self.notifier.complaint_to_owner(uow, complaint, "complaint.closed_by_silence")
                        done += 1
        for complaint in callbacks_due:
            async with self.services.unit_of_work() as uow:
                if await uow.complaints.move(complaint.id, ["closed", "closed_by_silence"], callback_answer="asked"):
                    await self.notifier.complaint_to_owner(
                        uow, complaint, "complaint.callback", self.notifier.complaint_callback_answers(complaint)
                    )
                    done += 1
        return done

    @staticmethod
    def _deadlines(complaint: Complaint):
        return (
            ("first_handling", complaint.first_handling_by, ("open",)),
            ("answer", complaint.answer_by, ("open", "handling")),
            ("resolve", complaint.resolve_by, ("open", "handling", "proposed")),
        )

    async def _alert_once(self, complaint: Complaint, deadline: str, due: datetime, now: datetime) -> bool:
        try:
            async with self.services.unit_of_work() as uow:
                if not await uow.owners.once(f"complaint:{complaint.id}:{deadline}:{due.isoformat()}", now):
                    return False
                await self._alert(uow, complaint, deadline)
            return True
        except IntegrityError:
            return False

    async def _alert(self, uow: UnitOfWork, complaint: Complaint, deadline: str) -> None:
        n = self.notifier
        role = RULES[Severity(complaint.severity)].first_handler or "supervisor"
        if deadline == "resolve":
            role = "project_manager" if role == "supervisor" else "general_manager"
        text = (
            n.t(
                "complaint.missed",
                number=complaint.number,
                deadline=n.t(f"complaint.deadline.{deadline}"),
                role=n.t(f"role.{role}"),
            )
            + "\n\n"
            + n.complaint_text(complaint)
        )
        await n.alert(uow, text, n.complaint_buttons(complaint))
        for person in n.people(role):
            await n.say(uow, person, text, n.complaint_buttons(complaint, person))
