"""The front desk's screens (customer service, and the managers, who may do the same):
/file a report for an owner or a public area, and the Verify task of a finished
public-area repair. Anybody else who sends /file or presses Verify is refused in his
language (domain/roles.py says who may)."""

from aiogram import F, Router
from aiogram.filters import Command, Filter, StateFilter
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from domain.roles import Duty, may
from handlers.owner import complaint as owner_complaint
from handlers.owner import job
from handlers.owner.job import NotFixed
from handlers.staff import complaint, report, verify, who
from handlers.staff.states import Desk
from views.buttons import (
    CategoryPick,
    ComplaintAnswer,
    ComplaintCallbackAnswer,
    ComplaintTopicPick,
    EmergencyPick,
    FixedAnswer,
    NewDateAnswer,
    PhotosDone,
    QuoteAnswer,
    SuggestionAnswer,
    VisitChoice,
    VisitPick,
)
from views.desk import DeskBlock, DeskChannel, DeskConfirm, DeskKind, DeskOwner, Verify
from views.i18n import Translator
from views.notifier import Notifier

is_image_file = F.document.mime_type.in_(("image/jpeg", "image/png", "image/heic", "image/webp"))


class MayDo(Filter):
    def __init__(self, duty: Duty) -> None:
        self.duty = duty

    async def __call__(self, event: TelegramObject, event_from_user: User, notifier: Notifier) -> bool:
        return may(notifier.roles_of(event_from_user.id), self.duty)


def setup() -> Router:
    router = Router(name="staff")
    router.message.filter(F.chat.type == "private", MayDo(Duty.FILE))
    router.callback_query.filter(MayDo(Duty.FILE))
    router.message.register(who.start, Command("file"))
    router.message.register(report.cancel, StateFilter(Desk), Command("cancel"))
    router.callback_query.register(who.kind_picked, Desk.kind, DeskKind.filter())
    router.message.register(who.find_typed, Desk.find, F.text, ~F.text.startswith("/"))
    router.callback_query.register(who.owner_picked, Desk.owner, DeskOwner.filter())
    router.message.register(who.name_typed, Desk.name, F.text, ~F.text.startswith("/"))
    router.message.register(who.phone_typed, Desk.phone, F.text | F.contact)
    router.callback_query.register(who.block_picked, Desk.block, DeskBlock.filter())
    router.message.register(who.location_typed, Desk.location, F.text, ~F.text.startswith("/"))
    router.callback_query.register(who.channel_picked, Desk.channel, DeskChannel.filter())
    router.callback_query.register(complaint.topic_picked, Desk.topic, ComplaintTopicPick.filter())
    router.message.register(complaint.words_typed, Desk.words, F.text, ~F.text.startswith("/"))
    router.message.register(report.description_typed, Desk.description, F.text, ~F.text.startswith("/"))
    router.callback_query.register(report.suggestion_answered, Desk.category, SuggestionAnswer.filter())
    router.callback_query.register(report.category_picked, Desk.category, CategoryPick.filter())
    router.callback_query.register(report.emergency_picked, Desk.emergency_kind, EmergencyPick.filter())
    router.message.register(report.photo_received, Desk.photos, F.photo | is_image_file)
    router.callback_query.register(report.photos_done, Desk.photos, PhotosDone.filter())
    router.callback_query.register(report.visit_picked, Desk.visit_time, VisitPick.filter())
    router.message.register(report.visit_typed, Desk.visit_time, F.text, ~F.text.startswith("/"))
    router.callback_query.register(report.summary_answered, Desk.summary, DeskConfirm.filter())
    # a sticker for a phone number: the step stays (a command goes on to whoever serves it)
    router.message.register(report.hint, StateFilter(Desk), ~F.text.startswith("/"))
    for button in (DeskKind, DeskOwner, DeskBlock, DeskChannel, DeskConfirm):  # pressed again, or from an old report
        router.callback_query.register(stale, button.filter(), flags={"callback_answer": {"disabled": True}})
    return router


def proxy() -> Router:
    """For an owner not in Telegram the desk member who filed the report owns the ticket and
    answers for the owner by phone: the owner's own job buttons (visit time, new date, price,
    Fixed / Not fixed) and his complaint's. Each handler checks that the presser owns the
    ticket or the complaint."""
    router = Router(name="staff-proxy")
    router.message.filter(F.chat.type == "private", MayDo(Duty.FILE))
    router.callback_query.filter(MayDo(Duty.FILE))
    router.callback_query.register(job.visit_chosen, VisitChoice.filter())
    router.callback_query.register(job.new_date_answered, NewDateAnswer.filter())
    router.callback_query.register(job.fixed_answered, FixedAnswer.filter())
    router.callback_query.register(job.quote_answered, QuoteAnswer.filter())
    router.message.register(job.not_fixed_words, NotFixed.words, F.text, ~F.text.startswith("/"))
    # … and his complaint's: the solution's Agree / Don't agree and the call-back afterwards
    router.callback_query.register(owner_complaint.answered, ComplaintAnswer.filter())
    router.callback_query.register(owner_complaint.called_back, ComplaintCallbackAnswer.filter())
    return router


def verification() -> Router:
    """Verify is customer service's (and the managers'); the check itself is a private button."""
    router = Router(name="staff-verify")
    router.callback_query.register(verify.verified, Verify.filter(), MayDo(Duty.VERIFY))
    return router


def refusals() -> Router:
    router = Router(name="staff-refusals")
    router.message.register(refuse_command, Command("file"))
    router.callback_query.register(refuse_button, Verify.filter(), flags={"callback_answer": {"disabled": True}})
    for button in (DeskKind, DeskOwner, DeskBlock, DeskChannel, DeskConfirm):
        router.callback_query.register(refuse_button, button.filter(), flags={"callback_answer": {"disabled": True}})
    return router


async def stale(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("error.stale_button"), show_alert=True)


async def refuse_command(message: Message, t: Translator) -> None:
    await message.reply(t("desk.only_staff"))


async def refuse_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("desk.only_staff"), show_alert=True)
