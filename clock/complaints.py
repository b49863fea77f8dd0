"""The complaints' part of the sweep: each deadline (first handling, the 2-hour answer, a major
complaint's solution, the resolution) alerts the managers once when missed. A proposed
solution the owner does not answer never closes the complaint: the owner is asked again and it
goes a rung up the ladder (docs/rules.md, "Complaints"). Every closed complaint is called back
once."""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from domain.complaints import Severity, alerted_for
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
            for deadline, due in self._passed(complaint, now):
                done += await self._alert_once(complaint, deadline, due, now)
        for complaint in callbacks_due:
            async with self.services.unit_of_work() as uow:
                if await uow.complaints.move(complaint.id, ["closed", "closed_by_silence"], callback_answer="asked"):
                    await self.notifier.complaint_to_owner(
                        uow, complaint, "complaint.callback", self.notifier.complaint_callback_answers(complaint)
                    )
                    done += 1
        return done

    def _passed(self, complaint: Complaint, now: datetime) -> Iterator[tuple[str, datetime]]:
        """The deadlines of the complaint that have passed while it still stands where they apply."""
        for deadline, due, statuses in (
            ("first_handling", complaint.first_handling_by, ("open",)),
            ("answer", complaint.answer_by, ("open",)),  # taken in hand or a solution: answered
            ("solution", complaints.solution_due(self.services, complaint), ("open", "handling")),
            ("resolve", complaint.resolve_by, ("open", "handling", "proposed")),
        ):
            if due is not None and now >= due and complaint.status in statuses:
                yield deadline, due
        for due in complaints.silences(self.services, complaint, now):  # one rung more each time
            yield "no_agreement", due

    async def _alert_once(self, complaint: Complaint, deadline: str, due: datetime, now: datetime) -> bool:
        try:
            async with self.services.unit_of_work() as uow:
                if not await uow.owners.once(f"complaint:{complaint.id}:{deadline}:{due.isoformat()}", now):
                    return False
                if deadline == "no_agreement":
                    await self._no_agreement(uow, complaint, due)
                else:
                    await self._alert(uow, complaint, deadline)
            return True
        except IntegrityError:
            return False

    async def _alert(self, uow: UnitOfWork, complaint: Complaint, deadline: str) -> None:
        n = self.notifier
        role = alerted_for(Severity(complaint.severity), deadline)
        text = n.t(
            "complaint.missed",
            number=complaint.number,
            deadline=n.t(f"complaint.deadline.{deadline}"),
            role=n.t(f"role.{role}"),
        )
        await self._tell_managers(uow, complaint, role, text)

    async def _no_agreement(self, uow: UnitOfWork, complaint: Complaint, due: datetime) -> None:
        """The owner has not agreed: it stays open, the owner is asked once more, and the rung
        above the first handler takes it up, one rung higher at each further silence."""
        n = self.notifier
        silences = complaints.silences(self.services, complaint, due)
        role = alerted_for(Severity(complaint.severity), "no_agreement", len(silences))
        text = n.t("complaint.no_agreement", number=complaint.number, role=n.t(f"role.{role}"))
        await self._tell_managers(uow, complaint, role, text)
        await n.complaint_to_owner(
            uow, complaint, "complaint.ask_agreement", n.solution_answers(complaint), solution=complaint.solution
        )

    async def _tell_managers(self, uow: UnitOfWork, complaint: Complaint, role: str, text: str) -> None:
        n = self.notifier
        text += "\n\n" + n.complaint_text(complaint)
        await n.alert(uow, text, n.complaint_buttons(complaint))
        for person in n.people(role):
            await n.say(uow, person, text, n.complaint_buttons(complaint, person))
