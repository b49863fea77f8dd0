"""What the desk's report is about: the description (with the owner's flow's emergency and
category recognition), the category, photos, the visit time, and the summary whose Confirm
files it through services/intake.py's `file_ticket`, like an owner's own report."""

import asyncio

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.categories import EMERGENCY, is_category, recognise_category
from domain.emergencies import Emergency, emergency_of, is_emergency_kind, recognise_emergency
from domain.tickets import Ticket
from handlers.owner.photos import download_from
from handlers.staff import complaint
from handlers.staff.states import Desk
from handlers.staff.steps import Whom, ask_next, load, save
from services import staff_intake
from services.context import Services
from services.evidence import NotAPhoto
from services.intake import Draft, file_ticket
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import desk, keyboards, render
from views import emergency as emergency_views
from views.buttons import CategoryPick, EmergencyPick, SuggestionAnswer, VisitPick
from views.desk import DeskConfirm
from views.i18n import Translator
from views.notifier import DOCUMENT, Notifier
from views.replies import TappedMessage, message_of

MAX_SHORT_TEXT = 200  # a visit time
# what each typed step needs, said again when something else came (the button steps: tap a button)
HINTS = {
    Desk.find.state: "desk.hint_find",
    Desk.name.state: "desk.hint_name",
    Desk.phone.state: "desk.bad_phone",
    Desk.location.state: "desk.hint_location",
    Desk.description.state: "desk.hint_description",
    Desk.photos.state: "desk.hint_photos",
    Desk.visit_time.state: "desk.hint_visit_time",
    Desk.words.state: "complaint.ask_text",
}


async def description_typed(
    message: Message, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    text = message.text or ""  # registered with F.text
    if len(text) > services.policy.max_description:
        await message.answer(t("report.too_long", max=services.policy.max_description, length=len(text)))
        return
    draft, whom = await load(state)
    draft.description = text.strip()
    danger = recognise_emergency(text)
    if danger is not None:
        await _emergency(message, state, draft, whom, danger, t, config, services, uow)
        return
    suggestion = recognise_category(text)
    if suggestion is None or draft.category is not None:
        await ask_next(message, state, draft, whom, t, config, services, uow)
        return
    whom.suggested = suggestion.code
    await save(state, draft, whom)
    await state.set_state(Desk.category)
    category = render.category(t, suggestion.code)
    await message.answer(t("report.suggest", category=category), reply_markup=keyboards.suggestion(t))


async def _emergency(
    message: TappedMessage,
    state: FSMContext,
    draft: Draft,
    whom: Whom,
    danger: Emergency,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    """The safety advice to read to the caller at once; nothing optional is asked."""
    draft.make_emergency(danger.kind)
    await message.answer(emergency_views.safety_advice(t, danger, config.property))
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def suggestion_answered(
    query: CallbackQuery,
    callback_data: SuggestionAnswer,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    draft, whom = await load(state)
    if callback_data.accept and whom.suggested:
        draft.category = whom.suggested
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def category_picked(
    query: CallbackQuery,
    callback_data: CategoryPick,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if not is_category(callback_data.code):
        await message.answer(t("error.stale_button"))
        return
    if callback_data.code == EMERGENCY:
        await state.set_state(Desk.emergency_kind)
        await message.answer(t("emergency.ask_kind"), reply_markup=emergency_views.kinds(t))
        return
    draft, whom = await load(state)
    draft.category = callback_data.code
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def emergency_picked(
    query: CallbackQuery,
    callback_data: EmergencyPick,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if not is_emergency_kind(callback_data.kind):
        await message.answer(t("error.stale_button"))
        return
    draft, whom = await load(state)
    await _emergency(message, state, draft, whom, emergency_of(callback_data.kind), t, config, services, uow)


async def photo_received(message: Message, state: FSMContext, t: Translator, services: Services, bot: Bot) -> None:
    """A photo the owner brought to the desk or sent to its phone: kept as evidence."""
    offered = message.photo[-1] if message.photo else message.document
    if offered is None:
        return
    draft, whom = await load(state)
    if len(draft.photos) >= services.policy.max_photos or draft.has_photo(offered.file_unique_id):
        await message.answer(t("report.photos_so_far", count=len(draft.photos)))
        return
    telegram_id = offered.file_id if message.photo else DOCUMENT + offered.file_id
    content = await download_from(bot)(telegram_id)
    if content is None:
        await message.answer(t("report.photo_not_fetched"))
        return
    try:
        stored = await asyncio.to_thread(services.photos.receive, telegram_id, offered.file_unique_id, content)
    except NotAPhoto:
        await message.answer(t("report.photo_unreadable"))
        return
    draft.photos.append(stored.as_data())
    await save(state, draft, whom)
    count = len(draft.photos)
    text = t("report.photos_received", count=count, max=services.policy.max_photos)
    await message.answer(text, reply_markup=keyboards.photos(t, False, count))


async def photos_done(
    query: CallbackQuery, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    message = message_of(query)
    if message is None:
        return
    draft, whom = await load(state)
    draft.photos_done = True
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def visit_picked(
    query: CallbackQuery,
    callback_data: VisitPick,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if callback_data.code not in render.VISIT_CODES:
        await message.answer(t("error.stale_button"))
        return
    draft, whom = await load(state)
    draft.visit_time = callback_data.code
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def visit_typed(
    message: Message, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    text = message.text or ""  # registered with F.text
    if len(text) > MAX_SHORT_TEXT:
        await message.answer(t("report.too_long", max=MAX_SHORT_TEXT, length=len(text)))
        return
    draft, whom = await load(state)
    draft.visit_time = render.free_visit_time(text.strip())
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def summary_answered(
    query: CallbackQuery,
    callback_data: DeskConfirm,
    state: FSMContext,
    t: Translator,
    language: str,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if not callback_data.confirm:
        await state.clear()
        await message.answer(t("desk.cancelled"))
        return
    draft, whom = await load(state)
    if whom.kind == desk.COMPLAINT:
        await state.clear()  # before the write: a second Confirm finds no summary to confirm
        staff_id = query.from_user.id
        number = await complaint.file_for_owner(staff_id, draft, whom, language, config, services, uow, notifier)
        if whom.owner_id is None:  # the desk answers for him: the solution comes here, to read to him
            await message.answer(t("desk.complaint_filed_offline", number=number, owner=desk.offline_owner(t, draft)))
            return
        await message.answer(t("desk.complaint_filed", number=number, name=whom.owner_name or "—"))
        return
    await file_for_owner(query.from_user.id, draft, whom, language, config, services, uow, notifier)
    await state.clear()  # filed and committed: Confirm again would find the same ticket by the draft's key


async def file_for_owner(
    staff_id: int,
    draft: Draft,
    whom: Whom,
    staff_language: str,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
) -> Ticket:
    """The owner in Telegram owns the ticket and hears of it; for an owner who is not, or a
    public area, the desk member who filed it follows it (and the owner goes on the roster)."""
    block = config.block(draft.block) if draft.block else None
    owner_id = whom.owner_id or staff_id
    language = (await uow.chats.language_of(owner_id) or staff_language) if whom.owner_id else staff_language
    minutes = int(services.policy.promise_contact_within.total_seconds() // 60)
    if whom.owner_id is None and draft.unit_id and draft.contact_name and draft.contact_phone:
        await staff_intake.put_on_roster(uow, draft.unit_id, draft.contact_name, draft.contact_phone)

    async def dispatch(uow: UnitOfWork, ticket: Ticket) -> None:
        await notifier.dispatch(uow, ticket)
        if draft.emergency:
            await notifier.emergency(uow, ticket, draft.emergency)

    async def answer(uow: UnitOfWork, ticket: Ticket) -> None:
        referred = ticket.status == "referred"  # an appliance for a specialist shop: nobody is sent
        if whom.owner_id is not None and referred:
            await notifier.tell(uow, whom.owner_id, "ticket.referred", ticket, number=ticket.number)
        elif whom.owner_id is not None:
            await notifier.filed_for_owner(uow, ticket, whom.owner_id, minutes)
        key = "desk.referred" if referred else "desk.filed"
        await notifier.tell(uow, staff_id, key, ticket, number=ticket.number, minutes=minutes)

    return await file_ticket(
        services, uow, owner_id, draft, language, block.handover_date if block else None, dispatch, answer
    )


async def cancel(message: Message, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await message.answer(t("desk.cancelled"))


async def hint(message: Message, state: FSMContext, t: Translator) -> None:
    """Anything the step cannot use (a sticker for a phone number): say what it needs; the step stays."""
    current = await state.get_state()
    await message.answer(t(HINTS.get(current or "", "desk.hint_buttons")))
