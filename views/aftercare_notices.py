"""The owner's side of the Notifier (views/notifier.py) once a job is done, and complaints:
the callback asking whether the repair held, the warranty reminder, and each complaint as
the managers see it and as its owner hears of it."""

from collections.abc import Iterable
from datetime import date

from aiogram.types import InlineKeyboardMarkup

from domain.complaints import RULES, Severity
from domain.roles import Duty, may
from domain.tickets import Ticket
from domain.units import Unit
from storage.complaints import Complaint
from storage.unit_of_work import UnitOfWork
from views import keyboards, render
from views.buttons import (
    CallbackReply,
    ComplaintAction,
    ComplaintAnswer,
    ComplaintCallbackAnswer,
    ComplaintSeverityPick,
)
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.notices import MarkupFor, NoticeBase


class AftercareNotices(NoticeBase):
    # ---- after the repair -------------------------------------------------------------
    async def ask_callback(self, uow: UnitOfWork, ticket: Ticket, callback_id: int, again: bool = False) -> None:
        t = await self.translator_for(uow, ticket.owner_user_id, ticket.language)
        answers = InlineKeyboard()
        answers.button(text=t("button.still_fixed"), callback_data=CallbackReply(callback_id=callback_id, fixed=True))
        answers.button(text=t("button.came_back"), callback_data=CallbackReply(callback_id=callback_id, fixed=False))
        answers.adjust(1)
        key = "callback.ask_again" if again else "callback.ask"
        await self.say(
            uow,
            ticket.owner_user_id,
            t(key, number=ticket.number, category=render.category(t, ticket.category)),
            answers.as_markup(),
            ticket_id=ticket.id,
        )

    async def warranty_reminder(
        self, uow: UnitOfWork, owner: int, unit: Unit, parts: Iterable[str], ends_on: date
    ) -> None:
        t = await self.translator_for(uow, owner)
        names = ", ".join(t(f"part.{part}") for part in parts)
        await self.say(
            uow,
            owner,
            t("owner.warranty_ending", unit=unit.label, parts=names, ends_on=ends_on.isoformat()),
            keyboards.report_button(t),
        )

    # ---- complaints -------------------------------------------------------------------
    def complaint_buttons(
        self, complaint: Complaint, person: int | None = None, t: Translator | None = None
    ) -> InlineKeyboardMarkup | None:
        """In the managers' chat, or to one person whose role may handle complaints."""
        if person is not None and not may(self.roles_of(person), Duty.COMPLAINT):
            return None
        t = t or self.t
        builder = InlineKeyboard()
        for severity in ("major", "important", "minor"):
            mark = "● " if complaint.severity == severity else ""
            builder.button(
                text=mark + t(f"severity.{severity}"),
                callback_data=ComplaintSeverityPick(complaint_id=complaint.id, severity=severity),
            )
        builder.button(
            text=t("button.complaint_take"),
            callback_data=ComplaintAction(action="take", complaint_id=complaint.id),
        )
        builder.button(
            text=t("button.complaint_propose"),
            callback_data=ComplaintAction(action="propose", complaint_id=complaint.id),
        )
        builder.adjust(3, 2)
        return builder.as_markup()

    def complaint_text(self, complaint: Complaint, t: Translator | None = None) -> str:
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

    async def complaint_filed(self, uow: UnitOfWork, complaint: Complaint, owner_name: str, units: str) -> None:
        chat = self.duty_chat()
        if chat is None:
            return
        await self.album(uow, chat, [{"type": "photo", "media": file_id} for file_id in complaint.photos])

        def text_in(t: Translator) -> str:
            return self.complaint_text(complaint, t) + "\n" + t("complaint.from", name=owner_name, units=units)

        await self.say(uow, chat, text_in(self.t), self.complaint_buttons(complaint))
        first_handlers = RULES[Severity(complaint.severity)].first_handlers
        for person in dict.fromkeys(p for role in first_handlers for p in self.people(role)):
            t = await self.translator_for(uow, person)  # each in his own language
            await self.say(uow, person, text_in(t), self.complaint_buttons(complaint, person, t))

    async def complaint_to_owner(
        self, uow: UnitOfWork, complaint: Complaint, key: str, markup: MarkupFor | None = None, **values: object
    ) -> None:
        t = await self.translator_for(uow, complaint.owner_user_id, complaint.language)
        await self.say(
            uow, complaint.owner_user_id, t(key, number=complaint.number, **values), markup(t) if markup else None
        )

    def solution_answers(self, complaint: Complaint) -> MarkupFor:
        def build(t: Translator) -> InlineKeyboardMarkup:
            builder = InlineKeyboard()
            builder.button(text=t("button.agree"), callback_data=ComplaintAnswer(complaint_id=complaint.id, agree=True))
            builder.button(
                text=t("button.disagree"), callback_data=ComplaintAnswer(complaint_id=complaint.id, agree=False)
            )
            return builder.as_markup()

        return build

    def complaint_callback_answers(self, complaint: Complaint) -> MarkupFor:
        def build(t: Translator) -> InlineKeyboardMarkup:
            builder = InlineKeyboard()
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
