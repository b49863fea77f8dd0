"""What the front desk's work tells people: the owner a report was filed for, customer
service the public-area repairs to check on site, the managers the ones not checked in
time (docs/rules.md, Staff intake)."""

from domain.public_areas import verify_by
from domain.roles import Role
from domain.tickets import Ticket
from storage.unit_of_work import UnitOfWork
from views import desk, render
from views.i18n import Translator
from views.notices import NoticeBase


class DeskNotices(NoticeBase):
    async def filed_for_owner(self, uow: UnitOfWork, ticket: Ticket, owner_id: int, minutes: int) -> None:
        """The owner hears his number, and that customer service filed it for him."""
        await self.tell(uow, owner_id, "desk.filed_for_you", ticket, number=ticket.number, minutes=minutes)

    def _where(self, t: Translator, ticket: Ticket) -> str:
        return render.place(t, ticket.place, self.block_name(ticket.place.block))

    async def verify_task(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """Each customer service person gets the Verify task; with nobody at the desk in the
        config, the managers' chat does, so the check is never owed to nobody."""
        people = self.members()[Role.CUSTOMER_SERVICE]
        if not people:
            t = self.t
            await self.alert(uow, self._verify_text(t, ticket), desk.verify(t, ticket.id), ticket)
            return
        for person in people:
            t = await self.translator_for(uow, person)
            await self.say(uow, person, self._verify_text(t, ticket), desk.verify(t, ticket.id), ticket_id=ticket.id)

    def _verify_text(self, t: Translator, ticket: Ticket) -> str:
        return t(
            "desk.verify_task",
            number=ticket.number,
            place=self._where(t, ticket),
            category=render.category(t, ticket.category),
            engineer=ticket.engineer_name or "—",
            by=self.when(verify_by(ticket.done_at)) if ticket.done_at else "—",
        )

    async def unverified_alert(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """Not checked within 3 days: the managers' chat on duty and each manager privately."""
        done = self.when(ticket.done_at)
        await self.alert(
            uow,
            self.t("desk.unverified", number=ticket.number, place=self._where(self.t, ticket), done=done),
            ticket=ticket,
        )
        for person in self.members()[Role.MANAGER]:
            t = await self.translator_for(uow, person)
            text = t("desk.unverified", number=ticket.number, place=self._where(t, ticket), done=done)
            await self.say(uow, person, text, ticket_id=ticket.id)
