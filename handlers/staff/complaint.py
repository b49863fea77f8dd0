"""A complaint customer service takes for an owner in Telegram (by phone or at the desk):
filed through services/complaints.py like the owner's own, so its severity, deadlines,
the managers' card and the closing with the owner's agreement are the same."""

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.complaints import Topic
from domain.front_desk import Channel
from handlers.staff.steps import Whom, ask_next, load
from services import complaints
from services.context import Services
from services.intake import Draft
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views.buttons import ComplaintTopicPick
from views.desk import CHANNELS, offline_owner
from views.i18n import Translator
from views.notifier import Notifier
from views.replies import message_of

MIN_TEXT, MAX_TEXT = 5, 2000  # as an owner's own complaint (handlers/owner/complaint.py)


async def topic_picked(
    query: CallbackQuery,
    callback_data: ComplaintTopicPick,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if callback_data.topic not in set(Topic):
        await message.answer(t("error.stale_button"))
        return
    draft, whom = await load(state)
    whom.topic = callback_data.topic
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def words_typed(
    message: Message, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    text = (message.text or "").strip()  # registered with F.text
    if len(text) > MAX_TEXT:
        await message.answer(t("report.too_long", max=MAX_TEXT, length=len(text)))
        return
    if len(text) < MIN_TEXT:
        await message.answer(t("complaint.ask_text"))
        return
    draft, whom = await load(state)
    whom.words = text
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def file_for_owner(
    staff_id: int,
    draft: Draft,
    whom: Whom,
    staff_language: str,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
) -> str:
    """File it in the owner's language; the owner hears its number and deadlines, the managers
    get its card. An owner not in Telegram has the desk member as his voice, as for his
    reports: the solution comes to the desk, who reads it to him by phone and presses his
    answer, so the complaint still closes only with the owner's agreement (docs/rules.md).
    Returns the complaint's number for the desk."""
    if whom.topic is None or whom.words is None or draft.unit_id is None:
        raise ValueError("a desk complaint reaches Confirm only when complete (steps.missing)")
    offline = whom.owner_id is None
    owner_id = staff_id if whom.owner_id is None else whom.owner_id
    language = staff_language if offline else await uow.chats.language_of(owner_id) or config.property.default_language
    complaint = await complaints.file_complaint(services, uow, owner_id, Topic(whom.topic), whom.words, [], language)
    unit = await uow.owners.unit_by_id(draft.unit_id)
    channel = notifier.t(CHANNELS[Channel(draft.channel or Channel.PHONE)])
    who = offline_owner(notifier.t, draft) if offline else whom.owner_name
    await notifier.complaint_filed(uow, complaint, f"{who} · {channel}", unit.label if unit else "—")
    if offline:
        return complaint.number
    severity = notifier.catalogs.translator(language)(f"severity.{complaint.severity}")
    await notifier.complaint_to_owner(
        uow,
        complaint,
        "desk.complaint_for_you",
        severity=severity,
        answer=notifier.when(complaint.answer_by),
        resolve=notifier.when(complaint.resolve_by),
    )
    return complaint.number
