"""The job's side of the Notifier (views/notifier.py): the task card in the contractor's
group and how it follows the job, the engineer's details and panel, and what the owner is
asked while the job runs (a visit time, a later date, Fixed / Not fixed, a price)."""

from typing import Any

from aiogram.types import InlineKeyboardMarkup

from domain.tickets import Ticket, TicketStatus
from storage.unit_of_work import UnitOfWork
from storage.work_records import WorkRecordRepository
from views import job_panel, keyboards, render, work_record
from views.alert_notices import AlertNotices
from views.buttons import AssignTo, DateApproval, FixedAnswer, NewDateAnswer, QuoteAnswer, VisitChoice
from views.inline_keyboard import InlineKeyboard
from views.job_panel import minute_of
from views.notices import MarkupFor


class JobNotices(AlertNotices):
    # ---- the card ---------------------------------------------------------------------
    async def dispatch(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """Put the job in front of whoever is responsible for it now."""
        if ticket.status is TicketStatus.REFERRED:
            return
        if ticket.status is TicketStatus.AWAITING_VISIT:
            earlier = await uow.tickets.get(ticket.repeat_of) if ticket.repeat_of else None
            await self.repeat_alert(uow, ticket, earlier.number if earlier else None)
            return
        chat_id = None
        if ticket.status is TicketStatus.ASSIGNED and ticket.contractor_code is not None:
            chat_id = await self.services.contractor_chat(uow, ticket.contractor_code)
        if chat_id is None:
            await self.alert_unassigned(uow, ticket)
            return
        await self._photos(uow, chat_id, ticket)
        await self.say(
            uow,
            chat_id,
            self.card_text(ticket),
            keyboards.job_card(self.t, ticket.id),
            ticket_id=ticket.id,
            purpose="card",
        )
        await uow.tickets.set_card(ticket.id, chat_id, None)

    async def mark_card(
        self, uow: UnitOfWork, ticket: Ticket, note: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        """Show on the group card what became of the job. Edits coalesce while queued."""
        chat_id = (await uow.tickets.card_of(ticket.id) or (None, None))[0]
        card = await uow.outbox.card_of(ticket.id, chat_id) if chat_id else None
        if chat_id is None or card is None:
            return
        params: dict[str, Any] = {"card": card, "text": f"{self.card_text(ticket)}\n\n{note}"}
        if markup is not None:
            params["reply_markup"] = markup.model_dump(exclude_none=True)
        await self.queue(uow, chat_id, "editCard", params, ticket_id=ticket.id, coalesce_key=f"card-edit:{card}")

    async def alert_unassigned(self, uow: UnitOfWork, ticket: Ticket) -> None:
        alert_chat = self.config.staff.alert_chat_id
        if alert_chat is None:
            return
        reason = (
            self.t("card.no_group", contractor=self.contractor_name(ticket.contractor_code))
            if ticket.contractor_code
            else self.t("card.no_contractor")
        )
        await self._photos(uow, alert_chat, ticket)
        await self.say(
            uow, alert_chat, f"{reason}\n\n{self.card_text(ticket)}", self._assign_keyboard(ticket), ticket_id=ticket.id
        )

    def _assign_keyboard(self, ticket: Ticket) -> InlineKeyboardMarkup:
        builder = InlineKeyboard()
        for contractor in self.config.contractors:
            builder.button(
                text=self.t("button.assign_to", contractor=contractor.name),
                callback_data=AssignTo(ticket_id=ticket.id, contractor=contractor.code),
            )
        builder.adjust(1)
        return builder.as_markup()

    async def mirror(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """The group card follows the job: who has it and where it stands."""
        line = self.t(
            "card.state",
            status=render.status(self.t, ticket),
            engineer=ticket.engineer_name or "—",
            at=render.when(self.services.clock.now(), self.services.tz),
        )
        waiting = ticket.status is TicketStatus.ASSIGNED  # still to be taken: keep Take / Can't take
        await self.mark_card(uow, ticket, line, keyboards.job_card(self.t, ticket.id) if waiting else None)

    # ---- the engineer who took the job ------------------------------------------------
    async def engineer_details(
        self,
        uow: UnitOfWork,
        ticket: Ticket,
        engineer_id: int,
        engineer_name: str,
        group_id: int,
        markup_for: MarkupFor | None = None,
    ) -> None:
        """The full job privately; if the engineer never started the bot, Telegram refuses
        and the group is asked to have them press Start (the job stays theirs)."""
        t = await self.translator_for(uow, engineer_id)
        owner = await uow.owners.account(ticket.owner_user_id)
        name, phone = (owner.name, owner.phone) if owner else (None, None)
        if ticket.contact_phone:  # filed at the desk for an owner not in Telegram: call that owner
            name, phone = ticket.contact_name, ticket.contact_phone
        contact = t("job.owner_contact", name=name or "—", phone=phone or "—")
        link = f"https://t.me/{self.bot_username}?start=job-{ticket.id}"
        prompt = self.t("job.start_me", engineer=engineer_name, link=link)
        text = f"{t('job.details_title')}\n{self.card_text(ticket, t)}\n\n{contact}"
        await self.say(
            uow,
            engineer_id,
            text,
            markup_for(t) if markup_for else None,
            ticket_id=ticket.id,
            on_forbidden={"chat_id": group_id, "text": prompt},
        )

    async def panel(self, uow: UnitOfWork, ticket: Ticket, note: str | None = None, **values: object) -> None:
        """The engineer's job panel, after something changed (with a line saying what)."""
        if ticket.engineer_user_id is None:
            return
        t = await self.translator_for(uow, ticket.engineer_user_id)
        text = job_panel.text(t, ticket, self.services.tz)
        if note:
            text = f"{t(note, **values)}\n\n{text}"
        await self.say(uow, ticket.engineer_user_id, text, job_panel.keyboard(t, ticket), ticket_id=ticket.id)

    # ---- what the owner is asked while the job runs -----------------------------------
    async def offer_visit(self, uow: UnitOfWork, ticket: Ticket) -> None:
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        builder = InlineKeyboard()
        for slot in ticket.visit_slots:
            builder.button(
                text=render.when(slot, self.services.tz),
                callback_data=VisitChoice(ticket_id=ticket.id, minute=minute_of(slot)),
            )
        builder.button(text=t("button.other_time"), callback_data=VisitChoice(ticket_id=ticket.id, minute=0))
        builder.adjust(3)
        await self.say(
            uow,
            ticket.owner_user_id,
            t("owner.visit_offer", number=ticket.number, engineer=ticket.engineer_name),
            builder.as_markup(),
            ticket_id=ticket.id,
        )

    async def ask_extension(self, uow: UnitOfWork, ticket: Ticket, reason: str) -> None:
        """A manager's later date past the rules: only the owner's Agree moves it."""
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        answers = InlineKeyboard()
        answers.button(text=t("button.agree"), callback_data=NewDateAnswer(ticket_id=ticket.id, agree=True))
        answers.button(text=t("button.disagree"), callback_data=NewDateAnswer(ticket_id=ticket.id, agree=False))
        until = render.when(ticket.proposed_resolve_by, self.services.tz)
        await self.say(
            uow,
            ticket.owner_user_id,
            t("owner.extension_asked", number=ticket.number, reason=reason, until=until),
            answers.as_markup(),
            ticket_id=ticket.id,
        )

    async def ask_new_date(self, uow: UnitOfWork, ticket: Ticket, reason: str) -> None:
        """The owner may agree to the later date; the managers may approve it (either moves it)."""
        tz = self.services.tz
        until = render.when(ticket.proposed_resolve_by, tz)
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        answers = InlineKeyboard()
        answers.button(text=t("button.agree"), callback_data=NewDateAnswer(ticket_id=ticket.id, agree=True))
        answers.button(text=t("button.disagree"), callback_data=NewDateAnswer(ticket_id=ticket.id, agree=False))
        await self.say(
            uow,
            ticket.owner_user_id,
            t("owner.new_date", number=ticket.number, reason=reason, until=until),
            answers.as_markup(),
            ticket_id=ticket.id,
        )
        approve = InlineKeyboard()
        approve.button(text=self.t("button.approve_date"), callback_data=DateApproval(ticket_id=ticket.id))
        await self.alert(
            uow,
            self.t("alert.new_date", number=ticket.number, engineer=ticket.engineer_name, reason=reason, until=until),
            approve.as_markup(),
            ticket,
        )

    async def ask_confirmation(self, uow: UnitOfWork, ticket: Ticket, again: bool = False) -> None:
        """The engineer's note, the before and after photos, and Fixed / Not fixed (docs/rules.md)."""
        if ticket.place.unit_id is None and ticket.filed_by is not None and ticket.filed_by == ticket.owner_user_id:
            return  # the desk's own public-area report: its Verify task asks this (views/desk_notices.py)
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        owner = ticket.owner_user_id
        if not again:
            await self._photos(uow, owner, ticket, "before")
            await self._photos(uow, owner, ticket, "after")
        answers = InlineKeyboard()
        answers.button(text=t("button.fixed"), callback_data=FixedAnswer(ticket_id=ticket.id, fixed=True))
        answers.button(text=t("button.not_fixed"), callback_data=FixedAnswer(ticket_id=ticket.id, fixed=False))
        key = "owner.confirm_again" if again else "owner.confirm"
        note = ticket.done_note or ""
        stored = await WorkRecordRepository(uow.session).latest(ticket.id)
        if not again and stored is not None and stored.round == ticket.reopen_count:
            # the fault in the owner's words, then the materials (their cost only for paid work)
            note = "\n".join([work_record.fault_text(t, stored.record), *work_record.owner_lines(t, stored.record)])
        await self.say(
            uow,
            owner,
            t(key, number=ticket.number, engineer=ticket.engineer_name, note=note),
            answers.as_markup(),
            ticket_id=ticket.id,
        )

    async def offer_quote(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """Paid work: the engineer's price, to accept, decline or dispute."""
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        builder = InlineKeyboard()
        for choice in ("accept", "decline", "dispute"):
            builder.button(
                text=t(f"button.quote_{choice}"), callback_data=QuoteAnswer(ticket_id=ticket.id, choice=choice)
            )
        builder.adjust(1)
        await self.say(
            uow,
            ticket.owner_user_id,
            t("owner.quote", number=ticket.number, engineer=ticket.engineer_name, quote=ticket.quote),
            builder.as_markup(),
            ticket_id=ticket.id,
        )

    async def plan_submitted(self, uow: UnitOfWork, ticket: Ticket, needs_agreement: bool) -> None:
        """The owner reads the plan and its expected finish in their language (with its photo);
        the managers on duty see it too, and whether the owner is asked to agree to a later date."""
        owner = ticket.owner_user_id
        await self._photos(uow, owner, ticket, "plan")
        finish = self.when(ticket.plan_finish_by)
        values: dict[str, object] = {
            "number": ticket.number,
            "engineer": ticket.engineer_name,
            "plan": ticket.plan_text,
            "finish": finish,
        }
        await self.tell(uow, owner, "owner.plan", ticket, None, **values)
        key = "alert.plan_past_resolve" if needs_agreement else "alert.plan"
        await self.alert(uow, self.t(key, resolve_by=self.when(ticket.resolve_by), **values), ticket=ticket)
