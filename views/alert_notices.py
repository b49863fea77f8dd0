"""The managers' side of the Notifier (views/notifier.py): deadlines climbing the ladder,
the daily digest, repeat repairs, unhappy owners, and staff chats Telegram refuses."""

from collections.abc import Sequence

from aiogram.types import InlineKeyboardMarkup

from domain.escalation import repeat_visit_by
from domain.repeats import needs_corrective_action
from domain.roles import Duty, allowed
from domain.tickets import Ticket
from storage.unit_of_work import UnitOfWork
from views import render
from views.buttons import ManagerTicket, ManagerVisit
from views.emergency import name as emergency_name
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.notices import NoticeBase


class AlertNotices(NoticeBase):
    def manager_buttons(self, ticket: Ticket, person: int | None = None) -> InlineKeyboardMarkup | None:
        """Open, Reassign, Extend: in the managers' chat all of them; to one person only
        those their role allows (domain/roles.py)."""
        actions = (Duty.OPEN, Duty.REASSIGN, Duty.EXTEND)
        return self._ticket_buttons(ticket, actions if person is None else allowed(self.roles_of(person), actions))

    def _ticket_buttons(
        self, ticket: Ticket, actions: Sequence[str], t: Translator | None = None
    ) -> InlineKeyboardMarkup | None:
        if not actions:
            return None
        t = t or self.t
        builder = InlineKeyboard()
        for action in actions:
            builder.button(
                text=t(f"button.manager_{action}"), callback_data=ManagerTicket(action=action, ticket_id=ticket.id)
            )
        return builder.as_markup()

    async def escalate(self, uow: UnitOfWork, ticket: Ticket, deadline: str, role: str, people: list[int]) -> None:
        """An alert climbing the ladder: to the chat on duty now, and to the rung's people."""
        due = {
            "on_site": ticket.on_site_by,
            "repeat_visit": repeat_visit_by(ticket, self.services.policy),
            "plan": ticket.plan_by,
        }.get(deadline, ticket.resolve_by)
        # the message ids: "deadline.on_site", "deadline.resolve", "deadline.repeat_visit", "deadline.plan"
        text = self.t(
            "clock.escalated",
            number=ticket.number,
            deadline=self.t(f"deadline.{deadline}"),
            due=self.when(due),
            role=self.t(f"role.{role}"),
            engineer=ticket.engineer_name or "—",
            contractor=self.contractor_name(ticket.contractor_code),
            category=render.category(self.t, ticket.category),
        )
        await self.alert(uow, text, self.manager_buttons(ticket), ticket)
        for person in people:
            t = await self.translator_for(uow, person)
            await self.say(
                uow,
                person,
                t(
                    "clock.escalated",
                    number=ticket.number,
                    deadline=t(f"deadline.{deadline}"),
                    due=self.when(due),
                    role=t(f"role.{role}"),
                    engineer=ticket.engineer_name or "—",
                    contractor=self.contractor_name(ticket.contractor_code),
                    category=render.category(t, ticket.category),
                ),
                self.manager_buttons(ticket, person),
                ticket_id=ticket.id,
            )

    async def emergency(self, uow: UnitOfWork, ticket: Ticket, kind: str) -> None:
        """Leaders are told of an emergency at once (docs/rules.md): the chat on duty this hour
        and each manager and supervisor privately, with the unit and the owner's phone so
        someone can call and go. Never the engineers' group: it gets the usual card."""
        owner = await uow.owners.account(ticket.owner_user_id)
        name = owner.name if owner and owner.name else "—"
        phone = owner.phone if owner and owner.phone else "—"
        text = self._emergency_text(self.t, ticket, kind, name, phone)
        await self.alert(uow, text, self.manager_buttons(ticket), ticket)
        staff = self.config.staff
        for person in dict.fromkeys(staff.managers + staff.supervisors):
            t = await self.translator_for(uow, person)
            text = self._emergency_text(t, ticket, kind, name, phone)
            await self.say(uow, person, text, self.manager_buttons(ticket, person), ticket_id=ticket.id)

    def _emergency_text(self, t: Translator, ticket: Ticket, kind: str, name: str, phone: str) -> str:
        head = t("emergency.alert", kind=emergency_name(t, kind), owner=name, phone=phone)
        return f"{head}\n{self.card_text(ticket, t)}"

    async def digest(self, uow: UnitOfWork, open_count: int, overdue_count: int, overdue: list[Ticket]) -> None:
        """The morning's figures, and a line for each of the first overdue jobs."""
        lines = [self.t("digest.title", open=open_count, overdue=overdue_count)]
        lines += [
            self.t(
                "digest.line",
                number=t.number,
                category=render.category(self.t, t.category),
                contractor=self.contractor_name(t.contractor_code),
                due=self.when(t.resolve_by),
            )
            for t in overdue
        ]
        await self.alert(uow, "\n".join(lines))

    async def repeat_alert(self, uow: UnitOfWork, ticket: Ticket, earlier_number: str | None = None) -> None:
        """A repeat repair waits for the repair manager to look personally (docs/rules.md);
        the third repair of the same thing needs a corrective action (docs/rules.md)."""
        visit = InlineKeyboard()
        visit.button(text=self.t("button.manager_visited"), callback_data=ManagerVisit(ticket_id=ticket.id))
        # a ticket the owner reopened ("it came back") is its own earlier repair: say so, not "earlier №<itself>"
        await self.alert(
            uow,
            self.t(
                "alert.repeat" if earlier_number else "alert.repeat_came_back",
                number=ticket.number,
                times=ticket.repeat_count + 1,
                earlier=earlier_number,
                place=render.place(self.t, ticket.place, self.block_name(ticket.place.block)),
                category=render.category(self.t, ticket.category),
            ),
            visit.as_markup(),
            ticket,
        )
        if needs_corrective_action(ticket.repeat_count + 1):
            await self.alert(
                uow,
                self.t("alert.corrective_action", number=ticket.number, times=ticket.repeat_count + 1),
                ticket=ticket,
            )

    async def unhappy_alert(self, uow: UnitOfWork, ticket: Ticket, role: str, people: list[int]) -> None:
        comment = await uow.callbacks.last_comment(ticket.id) or "—"
        actions = (Duty.OPEN, Duty.RESOLVED)

        def text_in(t: Translator) -> str:
            return t(
                "alert.unhappy",
                number=ticket.number,
                role=t(f"role.{role}"),
                comment=comment,
                engineer=ticket.engineer_name or "—",
                contractor=self.contractor_name(ticket.contractor_code),
            )

        await self.alert(uow, text_in(self.t), self._ticket_buttons(ticket, actions), ticket)
        for person in people:  # each in his own language, the chat in the property's
            t = await self.translator_for(uow, person)
            markup = self._ticket_buttons(ticket, allowed(self.roles_of(person), actions), t)
            await self.say(uow, person, text_in(t), markup, ticket_id=ticket.id)

    async def unhappy_comment(self, uow: UnitOfWork, ticket: Ticket, comment: str) -> None:
        """What the unhappy owner wrote after the ratings (the alert itself went already)."""
        await self.alert(uow, self.t("alert.unhappy_comment", number=ticket.number, comment=comment), ticket=ticket)

    # ---- staff chats Telegram refuses (delivery/chat_troubles.py) ------------------------
    def contractor_of_chat(self, chat_id: int) -> str | None:
        return next((c.code for c in self.config.contractors if c.chat_id == chat_id), None)

    async def chat_moved(self, uow: UnitOfWork, old: int, new: int) -> None:
        await self._tell_managers(uow, (), "alert.chat_moved", chat=await self._chat_name(uow, new), new=new)

    async def chat_unreachable(self, uow: UnitOfWork, chat_id: int, error: str) -> None:
        name = await self._chat_name(uow, chat_id)
        await self._tell_managers(uow, (chat_id,), "alert.chat_unreachable", chat=name, reason=error)

    async def chat_reachable(self, uow: UnitOfWork, chat_id: int) -> None:
        await self._tell_managers(uow, (chat_id,), "alert.chat_back", chat=await self._chat_name(uow, chat_id))

    async def _chat_name(self, uow: UnitOfWork, chat_id: int) -> str:
        code = await uow.chats.contractor_of_group(chat_id) or self.contractor_of_chat(chat_id)
        title = await uow.chats.group_title(chat_id) or (self.contractor_name(code) if code else None)
        return f"«{title}» ({chat_id})" if title else str(chat_id)

    async def _tell_managers(self, uow: UnitOfWork, troubled: tuple[int, ...], key: str, **values: object) -> None:
        """In the managers' chat on duty, else another managers' chat, else to each manager
        privately: never in the chat the news is about, nor in one that refuses the bot."""
        staff = self.config.staff
        for chat_id in (self.duty_chat(), staff.alert_chat_id, *(duty.chat_id for duty in staff.duty)):
            if chat_id and chat_id not in troubled and not await uow.chats.is_unreachable(chat_id):
                await self.say(uow, chat_id, self.t(key, **values))
                return
        for manager in staff.managers:
            t = await self.translator_for(uow, manager)
            await self.say(uow, manager, t(key, **values))
