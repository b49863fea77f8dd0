"""An emergency to life or property (domain/emergencies.py): recognised from the owner's
words or chosen with the 🚨 button. The owner is told at once how to stay safe and whom to
call; only the place is asked (one tap), and the ticket is filed as soon as it is known."""

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.emergencies import Emergency, emergency_of, is_emergency_kind
from domain.units import Unit
from handlers.owner.filters import BoundOwner, button_texts
from handlers.owner.states import Report
from handlers.owner.steps import ask_next, save
from handlers.owner.summary import file_report
from services.context import Services
from services.intake import Draft
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import emergency as views
from views.buttons import EmergencyPick
from views.i18n import Translator
from views.notifier import Notifier
from views.replies import TappedMessage, message_of


def setup(catalogs) -> Router:
    router = Router(name="owner-emergency")
    router.message.filter(BoundOwner())
    router.callback_query.filter(BoundOwner())
    button = F.text.in_(button_texts(catalogs, "button.emergency"))
    router.message.register(emergency_button, button)  # at any step: an emergency goes first
    router.callback_query.register(kind_picked, Report.emergency_kind, EmergencyPick.filter())
    return router


async def emergency_button(message: Message, state: FSMContext, t: Translator) -> None:
    """The main menu's 🚨: which emergency, then straight on (a report, a complaint or a
    comment under way gives way)."""
    await ask_kind(message, state, t)


async def ask_kind(message: TappedMessage, state: FSMContext, t: Translator) -> None:
    await state.set_state(Report.emergency_kind)
    await message.answer(t("emergency.ask_kind"), reply_markup=views.kinds(t))


async def kind_picked(
    query: CallbackQuery,
    callback_data: EmergencyPick,
    state: FSMContext,
    t: Translator,
    units: list[Unit],
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if not is_emergency_kind(callback_data.kind):
        await message.answer(t("error.stale_button"))
        return
    emergency = emergency_of(callback_data.kind)
    draft = Draft.from_data(await state.get_data())
    draft.description = draft.description or views.name(t, emergency.kind)
    await begin(
        message, query.from_user.id, state, draft, emergency, t, units, config, services, uow, notifier, language
    )


async def begin(
    message: TappedMessage,
    owner_id: int,
    state: FSMContext,
    draft: Draft,
    emergency: Emergency,
    t: Translator,
    units: list[Unit],
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    """Safety first: the advice and the numbers before anything is asked; then the place,
    unless the report already has it, in which case the ticket is filed at once."""
    draft.make_emergency(emergency.kind)
    await message.answer(views.safety_advice(t, emergency, config.property))
    await ask_or_file(message, owner_id, state, draft, t, units, config, services, uow, notifier, language)


async def told(
    message: Message,
    words: str,
    state: FSMContext,
    draft: Draft,
    danger: Emergency,
    t: Translator,
    units: list[Unit],
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    """An emergency told in the owner's own words (a text, a photo's caption): they are its
    description, cut to a description's length, never sent back for being long."""
    draft.description = words.strip()[: services.policy.max_description]
    owner_id = message.from_user.id if message.from_user else message.chat.id
    await begin(message, owner_id, state, draft, danger, t, units, config, services, uow, notifier, language)


async def ask_or_file(
    message: TappedMessage,
    owner_id: int,
    state: FSMContext,
    draft: Draft,
    t: Translator,
    units: list[Unit],
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    """An emergency is filed the moment nothing is missing; any other report asks on."""
    if draft.emergency and draft.missing() is None:
        await save(state, draft)
        await file_report(owner_id, state, config, services, uow, notifier, language)
        return
    await ask_next(message, state, draft, t, units, config, services, uow)
