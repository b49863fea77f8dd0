"""Reporting a repair: from /report, the menu button, or simply a text or a photo.

The steps up to the summary; the summary itself (confirm, edit, "it happened before") is
handlers/owner/summary.py."""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.categories import EMERGENCY, category_by_code, is_category, recognise_category
from domain.emergencies import recognise_emergency
from handlers.owner import emergency
from handlers.owner.filters import BoundOwner, button_texts
from handlers.owner.states import Report
from handlers.owner.steps import ask_next, save
from services.context import Services
from services.intake import Draft
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import keyboards, render
from views.buttons import CategoryPick, PlacePick, StartReport, SuggestionAnswer, VisitPick
from views.i18n import Translator
from views.notifier import Notifier
from views.replies import message_of

MAX_SHORT_TEXT = 200  # a public spot or a visit time


def setup(catalogs) -> Router:
    router = Router(name="owner-report")
    router.message.filter(BoundOwner())
    router.callback_query.filter(BoundOwner())
    report_button = F.text.in_(button_texts(catalogs, "button.report"))
    router.message.register(start_report, StateFilter(None), Command("report"))
    router.message.register(start_report, StateFilter(None), report_button)
    complain_button = F.text.in_(button_texts(catalogs, "button.complain"))
    router.message.register(continue_report, StateFilter(Report), Command("report", "complain"))
    router.message.register(continue_report, StateFilter(Report), report_button | complain_button)
    router.message.register(cancel_report, StateFilter(Report), Command("cancel"))
    router.callback_query.register(start_from_button, StateFilter(None), StartReport.filter())
    router.message.register(start_from_text, StateFilter(None), F.text, ~F.text.startswith("/"))
    router.callback_query.register(suggestion_answered, Report.suggestion, SuggestionAnswer.filter())
    router.callback_query.register(category_picked, Report.category, CategoryPick.filter())
    router.callback_query.register(place_picked, Report.place, PlacePick.filter())
    router.message.register(public_area_typed, Report.public_area, F.text)
    router.message.register(description_typed, Report.description, F.text)
    router.callback_query.register(visit_picked, Report.visit_time, VisitPick.filter())
    router.message.register(visit_typed, Report.visit_time, F.text)
    return router


async def start_report(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    await ask_next(message, state, Draft(), t, units, config, services, uow)


async def start_from_button(
    query: CallbackQuery, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    message = message_of(query)
    if message is None:
        return
    await ask_next(message, state, Draft(), t, units, config, services, uow)


async def continue_report(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    draft = Draft.from_data(await state.get_data())
    if await uow.tickets.filed_from(draft.key) is not None:
        # filed (and the owner told so), but the bot stopped before the conversation moved on
        await state.clear()
        await ask_next(message, state, Draft(), t, units, config, services, uow)
        return
    await message.answer(t("report.in_progress"))
    await ask_next(message, state, draft, t, units, config, services, uow)


async def cancel_report(message: Message, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await message.answer(t("report.cancelled"), reply_markup=keyboards.main_menu(t))


async def start_from_text(
    message: Message,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    """An owner who just writes "water drips from the ceiling" is starting a report."""
    text = message.text or ""  # registered with F.text: there is always a text
    limit = services.policy.max_description
    danger = recognise_emergency(text)  # before the length: an emergency is never sent back
    if danger is not None:
        await emergency.told(message, text, state, Draft(), danger, t, units, config, services, uow, notifier, language)
        return
    if len(text) > limit:
        await message.answer(t("report.too_long", max=limit, length=len(text)))
        return
    await suggest_or_ask(message, state, Draft(description=text.strip()), t, units, config, services, uow)


async def suggest_or_ask(
    message: Message,
    state: FSMContext,
    draft: Draft,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    suggestion = recognise_category(draft.description or "")
    if suggestion is None:
        await ask_next(message, state, draft, t, units, config, services, uow)
        return
    await save(state, draft)
    await state.update_data(suggested=suggestion.code)
    await state.set_state(Report.suggestion)
    await message.answer(
        t("report.suggest", category=render.category(t, suggestion.code)), reply_markup=keyboards.suggestion(t)
    )


async def suggestion_answered(
    query: CallbackQuery,
    callback_data: SuggestionAnswer,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    data = await state.get_data()
    draft = Draft.from_data(data)
    if callback_data.accept:
        draft.category = data.get("suggested")
    await ask_next(message, state, draft, t, units, config, services, uow)


async def category_picked(
    query: CallbackQuery,
    callback_data: CategoryPick,
    state: FSMContext,
    t: Translator,
    units,
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
        await emergency.ask_kind(message, state, t)
        return
    draft = Draft.from_data(await state.get_data())
    draft.category = callback_data.code
    await message.answer(t("report.chosen", choice=render.category(t, draft.category)))
    if category_by_code(draft.category).urgency == "referral":
        await message.answer(t("report.referral_note"))
    await ask_next(message, state, draft, t, units, config, services, uow)


async def place_picked(
    query: CallbackQuery,
    callback_data: PlacePick,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    message = message_of(query)
    if message is None:
        return
    draft = Draft.from_data(await state.get_data())
    own = {unit.id: unit for unit in units}
    if callback_data.unit_id in own:
        unit = own[callback_data.unit_id]
        draft.unit_id, draft.block, draft.public_area = unit.id, unit.block, None
    elif callback_data.unit_id == 0 and callback_data.block in {u.block for u in units}:
        draft.unit_id, draft.block, draft.public_area = None, callback_data.block, None
    else:  # a unit that is not theirs: a forged or outdated button
        await message.answer(t("error.stale_button"))
        return
    await emergency.ask_or_file(
        message, query.from_user.id, state, draft, t, units, config, services, uow, notifier, language
    )


async def public_area_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    text = message.text or ""  # registered with F.text: there is always a text
    if len(text) > MAX_SHORT_TEXT:
        await message.answer(t("report.too_long", max=MAX_SHORT_TEXT, length=len(text)))
        return
    draft = Draft.from_data(await state.get_data())
    draft.public_area = text.strip()
    owner_id = message.from_user.id if message.from_user else message.chat.id
    await emergency.ask_or_file(message, owner_id, state, draft, t, units, config, services, uow, notifier, language)


async def description_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    text = message.text or ""  # registered with F.text: there is always a text
    limit = services.policy.max_description
    draft = Draft.from_data(await state.get_data())
    danger = recognise_emergency(text)  # before the length: an emergency is never sent back
    if danger is not None and not draft.emergency:
        await emergency.told(message, text, state, draft, danger, t, units, config, services, uow, notifier, language)
        return
    if len(text) > limit:
        await message.answer(t("report.too_long", max=limit, length=len(text)))
        return
    draft.description = text.strip()
    await ask_next(message, state, draft, t, units, config, services, uow)


async def visit_picked(
    query: CallbackQuery,
    callback_data: VisitPick,
    state: FSMContext,
    t: Translator,
    units,
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
    draft = Draft.from_data(await state.get_data())
    draft.visit_time = callback_data.code
    await ask_next(message, state, draft, t, units, config, services, uow)


async def visit_typed(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    text = message.text or ""  # registered with F.text: there is always a text
    if len(text) > MAX_SHORT_TEXT:
        await message.answer(t("report.too_long", max=MAX_SHORT_TEXT, length=len(text)))
        return
    draft = Draft.from_data(await state.get_data())
    draft.visit_time = render.free_visit_time(text.strip())
    await ask_next(message, state, draft, t, units, config, services, uow)
