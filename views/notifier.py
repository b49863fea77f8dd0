"""Everything the bot tells people on its own initiative (cards, alerts, owner updates),
rendered in each reader's language and queued in the outbox inside the caller's
transaction; the sender delivers it. No owner name or phone ever goes to a group (§10)."""

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from delivery.pieces import UPLOAD
from delivery.sender import utcnow
from domain.complaints import RULES, Severity
from domain.repeats import needs_corrective_action
from domain.roles import LADDER, Duty, Role, allowed, may, roles_of
from domain.tickets import Ticket, TicketStatus
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import job_panel, keyboards, render
from views.buttons import (
    AssignTo,
    CallbackReply,
    ComplaintAction,
    ComplaintAnswer,
    ComplaintCallbackAnswer,
    ComplaintSeverityPick,
    DateApproval,
    FixedAnswer,
    ManagerTicket,
    ManagerVisit,
    NewDateAnswer,
    QuoteAnswer,
    VisitChoice,
)
from views.i18n import Catalogs, Translator
from views.job_panel import minute_of

DOCUMENT = "doc:"  # a photo the owner sent as a file (its original bytes, EXIF and all)


class Notifier:
    def __init__(self, config: Config, services: Services, catalogs: Catalogs, wake):
        self.config = config
        self.services = services
        self.catalogs = catalogs
        self.t = catalogs.translator(config.property.default_language)  # a group has many readers
        self._wake = wake
        self.bot_username = ""  # known once the bot has asked Telegram who it is (App.start)

    # ---- words ------------------------------------------------------------------------
    def contractor_name(self, code: str | None) -> str:
        contractor = self.config.contractor(code) if code else None
        return contractor.name if contractor else "—"

    def block_name(self, code: str) -> str:
        block = self.config.block(code)
        return block.name if block else code

    def when(self, moment) -> str:
        return render.when(moment, self.services.tz)

    def card_text(self, ticket: Ticket, t: Translator | None = None) -> str:
        t, tz = t or self.t, self.services.tz
        return "\n".join(
            [
                t("card.title", number=ticket.number),
                t("card.category", category=render.category(t, ticket.category), trade=t(f"trade.{ticket.trade}")),
                t("card.urgency", urgency=t(f"urgency.{ticket.urgency}")),
                t(
                    "card.deadlines",
                    accept_by=render.when(ticket.accept_by, tz),
                    on_site_by=render.when(ticket.on_site_by, tz),
                    resolve_by=render.when(ticket.resolve_by, tz),
                ),
                t("card.place", place=render.place(t, ticket.place, self.block_name(ticket.place.block))),
                t("card.description", description=ticket.description),
                t("card.visit", visit=render.visit_time(t, ticket.visit_time)),
                t("card.photos", count=ticket.photo_count),
                t(f"coverage.{ticket.coverage}"),
            ]
            + ([t("card.plan", at=render.when(ticket.plan_by, tz))] if ticket.plan_by else [])
            + ([t("card.repeat", times=ticket.repeat_count + 1)] if ticket.repeat_count else [])
        )

    async def translator_for(self, uow: UnitOfWork, user_id: int, fallback: str | None = None) -> Translator:
        language = await uow.chats.language_of(user_id) or fallback or self.config.property.default_language
        return self.catalogs.translator(language)

    # ---- queueing ---------------------------------------------------------------------
    async def say(
        self, uow: UnitOfWork, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None, **options
    ) -> None:
        params = {"text": text}
        if markup is not None:
            params["reply_markup"] = markup.model_dump(exclude_none=True)
        await self.queue(uow, chat_id, "sendMessage", params, **options)

    async def queue(
        self,
        uow: UnitOfWork,
        chat_id: int,
        method: str,
        params: dict,
        ticket_id: int | None = None,
        purpose: str | None = None,
        on_forbidden: dict | None = None,
        coalesce_key: str | None = None,
    ) -> None:
        payload = {"params": params}
        if on_forbidden is not None:
            payload["on_forbidden"] = on_forbidden
        await uow.outbox.add(
            chat_id, method, payload, utcnow(), purpose=purpose, ticket_id=ticket_id, coalesce_key=coalesce_key
        )
        uow.after_commit(self._wake)

    async def tell(
        self, uow: UnitOfWork, user_id: int, key: str, ticket: Ticket | None = None, markup_for=None, **values
    ) -> None:
        """A message to one person, in their language (a ticket's owner: the language they
        reported in, unless they chose another since)."""
        t = await self.translator_for(uow, user_id, ticket.language if ticket else None)
        markup = markup_for(t) if markup_for else None
        await self.say(uow, user_id, t(key, **values), markup, ticket_id=ticket.id if ticket else None)

    # ---- cards ------------------------------------------------------------------------
    async def dispatch(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """Put the job in front of whoever is responsible for it now."""
        if ticket.status is TicketStatus.REFERRED:
            return
        if ticket.status is TicketStatus.AWAITING_VISIT:
            earlier = await uow.tickets.get(ticket.repeat_of) if ticket.repeat_of else None
            await self.repeat_alert(uow, ticket, earlier.number if earlier else None)
            return
        chat_id = None
        if ticket.status is TicketStatus.ASSIGNED:
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
        if card is None:
            return
        params = {"card": card, "text": f"{self.card_text(ticket)}\n\n{note}"}
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
        builder = InlineKeyboardBuilder()
        for contractor in self.config.contractors:
            builder.button(
                text=self.t("button.assign_to", contractor=contractor.name),
                callback_data=AssignTo(ticket_id=ticket.id, contractor=contractor.code),
            )
        return builder.adjust(1).as_markup()

    async def _photos(self, uow: UnitOfWork, chat_id: int, ticket: Ticket, stage: str = "before") -> None:
        """The ticket's photos as their copies without EXIF (uploaded by the sender). A photo
        kept before such copies existed goes by its Telegram id if Telegram compressed it
        (which drops its metadata), and not at all if it was an original file."""
        media = []
        for file_id, shared_path in await uow.tickets.photos_to_share(ticket.id, stage):
            if shared_path is not None:
                media.append({"type": "photo", "media": UPLOAD + shared_path})
            elif not file_id.startswith(DOCUMENT):
                media.append({"type": "photo", "media": file_id})
        if len(media) == 1:
            await self.queue(uow, chat_id, "sendPhoto", {"photo": media[0]["media"]}, ticket_id=ticket.id)
        elif media:
            await self.queue(uow, chat_id, "sendMediaGroup", {"media": media}, ticket_id=ticket.id)

    # ---- the engineer who took the job ------------------------------------------------
    async def engineer_details(
        self, uow: UnitOfWork, ticket: Ticket, engineer_id: int, engineer_name: str, group_id: int, markup_for=None
    ) -> None:
        """The full job privately; if the engineer never started the bot, Telegram refuses
        and the group is asked to have them press Start (the job stays theirs)."""
        t = await self.translator_for(uow, engineer_id)
        owner = await uow.owners.account(ticket.owner_user_id)
        contact = t(
            "job.owner_contact", name=owner.name if owner else "—", phone=owner.phone if owner and owner.phone else "—"
        )
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

    # ---- the job's progress -----------------------------------------------------------
    async def panel(self, uow: UnitOfWork, ticket: Ticket, note: str | None = None, **values) -> None:
        """The engineer's job panel, after something changed (with a line saying what)."""
        if ticket.engineer_user_id is None:
            return
        t = await self.translator_for(uow, ticket.engineer_user_id)
        text = job_panel.text(t, ticket, self.services.tz)
        if note:
            text = f"{t(note, **values)}\n\n{text}"
        await self.say(uow, ticket.engineer_user_id, text, job_panel.keyboard(t, ticket), ticket_id=ticket.id)

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

    async def offer_visit(self, uow: UnitOfWork, ticket: Ticket) -> None:
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        builder = InlineKeyboardBuilder()
        for slot in ticket.visit_slots:
            builder.button(
                text=render.when(slot, self.services.tz),
                callback_data=VisitChoice(ticket_id=ticket.id, minute=minute_of(slot)),
            )
        builder.button(text=t("button.other_time"), callback_data=VisitChoice(ticket_id=ticket.id, minute=0))
        await self.say(
            uow,
            ticket.owner_user_id,
            t("owner.visit_offer", number=ticket.number, engineer=ticket.engineer_name),
            builder.adjust(3).as_markup(),
            ticket_id=ticket.id,
        )

    async def ask_new_date(self, uow: UnitOfWork, ticket: Ticket, reason: str) -> None:
        """The owner may agree to the later date; the managers may approve it (either moves it)."""
        tz = self.services.tz
        until = render.when(ticket.proposed_resolve_by, tz)
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        answers = InlineKeyboardBuilder()
        answers.button(text=t("button.agree"), callback_data=NewDateAnswer(ticket_id=ticket.id, agree=True))
        answers.button(text=t("button.disagree"), callback_data=NewDateAnswer(ticket_id=ticket.id, agree=False))
        await self.say(
            uow,
            ticket.owner_user_id,
            t("owner.new_date", number=ticket.number, reason=reason, until=until),
            answers.as_markup(),
            ticket_id=ticket.id,
        )
        approve = InlineKeyboardBuilder().button(
            text=self.t("button.approve_date"), callback_data=DateApproval(ticket_id=ticket.id)
        )
        await self.alert(
            uow,
            self.t("alert.new_date", number=ticket.number, engineer=ticket.engineer_name, reason=reason, until=until),
            approve.as_markup(),
            ticket,
        )

    async def ask_confirmation(self, uow: UnitOfWork, ticket: Ticket, again: bool = False) -> None:
        """The engineer's note, the before and after photos, and Fixed / Not fixed (§6)."""
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        owner = ticket.owner_user_id
        if not again:
            await self._photos(uow, owner, ticket, "before")
            await self._photos(uow, owner, ticket, "after")
        answers = InlineKeyboardBuilder()
        answers.button(text=t("button.fixed"), callback_data=FixedAnswer(ticket_id=ticket.id, fixed=True))
        answers.button(text=t("button.not_fixed"), callback_data=FixedAnswer(ticket_id=ticket.id, fixed=False))
        key = "owner.confirm_again" if again else "owner.confirm"
        await self.say(
            uow,
            owner,
            t(key, number=ticket.number, engineer=ticket.engineer_name, note=ticket.done_note or ""),
            answers.as_markup(),
            ticket_id=ticket.id,
        )

    async def alert(
        self, uow: UnitOfWork, text: str, markup: InlineKeyboardMarkup | None = None, ticket: Ticket | None = None
    ) -> None:
        """To the managers' chat on duty now (staff.duty, else staff.alert_chat_id)."""
        chat_id = self.config.duty_chat(self.services.clock.now().astimezone(self.services.tz).time())
        if chat_id is not None:
            await self.say(uow, chat_id, text, markup, ticket_id=ticket.id if ticket else None)

    # ---- managers ---------------------------------------------------------------------
    def members(self) -> dict[Role, list[int]]:
        staff = self.config.staff
        return {
            Role.MANAGER: staff.managers,
            Role.SUPERVISOR: staff.supervisors,
            Role.PROJECT_MANAGER: staff.project_managers,
            Role.GENERAL_MANAGER: staff.general_managers,
            Role.PROPERTY_MANAGER: staff.property_managers,
            Role.CUSTOMER_SERVICE_MANAGER: staff.customer_service_managers,
        }

    def people(self, role: str) -> list[int]:
        """The people of a rung of the ladder (staff.supervisors, …)."""
        return self.members().get(Role(role), []) if role in LADDER else []

    def roles_of(self, user_id: int) -> frozenset[Role]:
        return roles_of(user_id, self.members())

    def manager_buttons(self, ticket: Ticket, person: int | None = None) -> InlineKeyboardMarkup | None:
        """Open, Reassign, Extend: in the managers' chat all of them; to one person only
        those their role allows (domain/roles.py)."""
        actions = (Duty.OPEN, Duty.REASSIGN, Duty.EXTEND)
        return self._ticket_buttons(ticket, actions if person is None else allowed(self.roles_of(person), actions))

    def _ticket_buttons(self, ticket: Ticket, actions) -> InlineKeyboardMarkup | None:
        if not actions:
            return None
        builder = InlineKeyboardBuilder()
        for action in actions:
            builder.button(
                text=self.t(f"button.manager_{action}"), callback_data=ManagerTicket(action=action, ticket_id=ticket.id)
            )
        return builder.as_markup()

    async def escalate(self, uow: UnitOfWork, ticket: Ticket, deadline: str, role: str, people: list[int]) -> None:
        """An alert climbing the ladder: to the chat on duty now, and to the rung's people."""
        due = ticket.on_site_by if deadline == "on_site" else ticket.resolve_by
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

    async def digest(self, uow: UnitOfWork, tickets: list[Ticket], overdue: list[Ticket]) -> None:
        lines = [self.t("digest.title", open=len(tickets), overdue=len(overdue))]
        lines += [
            self.t(
                "digest.line",
                number=t.number,
                category=render.category(self.t, t.category),
                contractor=self.contractor_name(t.contractor_code),
                due=self.when(t.resolve_by),
            )
            for t in overdue[:30]
        ]
        await self.alert(uow, "\n".join(lines))

    # ---- callbacks and repeat repairs -------------------------------------------------
    async def ask_callback(self, uow: UnitOfWork, ticket: Ticket, callback_id: int, again: bool = False) -> None:
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        answers = InlineKeyboardBuilder()
        answers.button(text=t("button.still_fixed"), callback_data=CallbackReply(callback_id=callback_id, fixed=True))
        answers.button(text=t("button.came_back"), callback_data=CallbackReply(callback_id=callback_id, fixed=False))
        key = "callback.ask_again" if again else "callback.ask"
        await self.say(
            uow,
            ticket.owner_user_id,
            t(key, number=ticket.number, category=render.category(t, ticket.category)),
            answers.adjust(1).as_markup(),
            ticket_id=ticket.id,
        )

    async def repeat_alert(self, uow: UnitOfWork, ticket: Ticket, earlier_number: str | None = None) -> None:
        """A repeat repair waits for the repair manager to look personally (000 二次返修确认);
        the third repair of the same thing needs a corrective action (003)."""
        visit = InlineKeyboardBuilder().button(
            text=self.t("button.manager_visited"), callback_data=ManagerVisit(ticket_id=ticket.id)
        )
        await self.alert(
            uow,
            self.t(
                "alert.repeat",
                number=ticket.number,
                times=ticket.repeat_count + 1,
                earlier=earlier_number or ticket.number,
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
        text = self.t(
            "alert.unhappy",
            number=ticket.number,
            role=self.t(f"role.{role}"),
            comment=comment,
            engineer=ticket.engineer_name or "—",
            contractor=self.contractor_name(ticket.contractor_code),
        )
        await self.alert(uow, text, self._ticket_buttons(ticket, actions), ticket)
        for person in people:
            markup = self._ticket_buttons(ticket, allowed(self.roles_of(person), actions))
            await self.say(uow, person, text, markup, ticket_id=ticket.id)

    async def warranty_reminder(self, uow: UnitOfWork, owner: int, unit, parts, ends_on) -> None:
        t = await self.translator_for(uow, owner)
        names = ", ".join(t(f"part.{part}") for part in parts)
        await self.say(
            uow,
            owner,
            t("owner.warranty_ending", unit=unit.label, parts=names, ends_on=ends_on.isoformat()),
            keyboards.report_button(t),
        )

    # ---- complaints -------------------------------------------------------------------
    def complaint_buttons(self, complaint, person: int | None = None) -> InlineKeyboardMarkup | None:
        """In the managers' chat, or to one person whose role may handle complaints."""
        if person is not None and not may(self.roles_of(person), Duty.COMPLAINT):
            return None
        builder = InlineKeyboardBuilder()
        for severity in ("major", "important", "minor"):
            mark = "● " if complaint.severity == severity else ""
            builder.button(
                text=mark + self.t(f"severity.{severity}"),
                callback_data=ComplaintSeverityPick(complaint_id=complaint.id, severity=severity),
            )
        builder.button(
            text=self.t("button.complaint_take"),
            callback_data=ComplaintAction(action="take", complaint_id=complaint.id),
        )
        builder.button(
            text=self.t("button.complaint_propose"),
            callback_data=ComplaintAction(action="propose", complaint_id=complaint.id),
        )
        return builder.adjust(3, 2).as_markup()

    def complaint_text(self, complaint, t: Translator | None = None) -> str:
        t = t or self.t
        return t(
            "complaint.card",
            number=complaint.number,
            topic=t(f"topic.{complaint.topic}"),
            severity=t(f"severity.{complaint.severity}"),
            text=complaint.text,
            first=self.when(complaint.first_handling_by),
            answer=self.when(complaint.answer_by),
            resolve=self.when(complaint.resolve_by),
            photos=len(complaint.photos),
        )

    async def complaint_filed(self, uow: UnitOfWork, complaint, owner_name: str, units: str) -> None:
        chat = self.config.duty_chat(self.services.clock.now().astimezone(self.services.tz).time())
        if chat is None:
            return
        if len(complaint.photos) == 1:
            await self.queue(uow, chat, "sendPhoto", {"photo": complaint.photos[0]})
        elif complaint.photos:
            await self.queue(
                uow, chat, "sendMediaGroup", {"media": [{"type": "photo", "media": f} for f in complaint.photos]}
            )
        text = self.complaint_text(complaint) + "\n" + self.t("complaint.from", name=owner_name, units=units)
        await self.say(uow, chat, text, self.complaint_buttons(complaint))
        first_handlers = RULES[Severity(complaint.severity)].first_handlers
        for person in dict.fromkeys(p for role in first_handlers for p in self.people(role)):
            await self.say(uow, person, text, self.complaint_buttons(complaint, person))

    async def complaint_to_owner(self, uow: UnitOfWork, complaint, key: str, markup=None, **values) -> None:
        t = await self.translator_for(uow, complaint.owner_user_id, complaint.language)
        await self.say(
            uow, complaint.owner_user_id, t(key, number=complaint.number, **values), markup(t) if markup else None
        )

    def solution_answers(self, complaint):
        def build(t: Translator) -> InlineKeyboardMarkup:
            builder = InlineKeyboardBuilder()
            builder.button(text=t("button.agree"), callback_data=ComplaintAnswer(complaint_id=complaint.id, agree=True))
            builder.button(
                text=t("button.disagree"), callback_data=ComplaintAnswer(complaint_id=complaint.id, agree=False)
            )
            return builder.as_markup()

        return build

    def complaint_callback_answers(self, complaint):
        def build(t: Translator) -> InlineKeyboardMarkup:
            builder = InlineKeyboardBuilder()
            builder.button(
                text=t("scale.satisfied"),
                callback_data=ComplaintCallbackAnswer(complaint_id=complaint.id, satisfied=True),
            )
            builder.button(
                text=t("scale.unsatisfied"),
                callback_data=ComplaintCallbackAnswer(complaint_id=complaint.id, satisfied=False),
            )
            return builder.as_markup()

        return build

    # ---- paid work --------------------------------------------------------------------
    async def offer_quote(self, uow: UnitOfWork, ticket: Ticket) -> None:
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        builder = InlineKeyboardBuilder()
        for choice in ("accept", "decline", "dispute"):
            builder.button(
                text=t(f"button.quote_{choice}"), callback_data=QuoteAnswer(ticket_id=ticket.id, choice=choice)
            )
        await self.say(
            uow,
            ticket.owner_user_id,
            t("owner.quote", number=ticket.number, engineer=ticket.engineer_name, quote=ticket.quote),
            builder.adjust(1).as_markup(),
            ticket_id=ticket.id,
        )

    # ---- staff chats Telegram refuses (delivery/sender.py) -----------------------------
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

    async def _tell_managers(self, uow: UnitOfWork, troubled: tuple[int, ...], key: str, **values) -> None:
        """In the managers' chat on duty, else another managers' chat, else to each manager
        privately: never in the chat the news is about, nor in one that refuses the bot."""
        staff = self.config.staff
        on_duty = self.config.duty_chat(self.services.clock.now().astimezone(self.services.tz).time())
        for chat_id in (on_duty, staff.alert_chat_id, *(duty.chat_id for duty in staff.duty)):
            if chat_id and chat_id not in troubled and not await uow.chats.is_unreachable(chat_id):
                await self.say(uow, chat_id, self.t(key, **values))
                return
        for manager in staff.managers:
            t = await self.translator_for(uow, manager)
            await self.say(uow, manager, t(key, **values))
