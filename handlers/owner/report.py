"""Reporting a repair: from /report, the menu button, or simply a text or a photo."""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from domain.categories import category_by_code, is_category, recognise_category
from domain.tickets import Ticket
from handlers.owner.filters import BoundOwner, button_texts
from handlers.owner.states import Report
from handlers.owner.steps import ask_next, save
from services.context import Services
from services.intake import Draft, earlier_at_place, file_ticket
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import keyboards, render
from views.buttons import (
    CategoryPick,
    EarlierPick,
    EditField,
    PlacePick,
    StartReport,
    SuggestionAnswer,
    SummaryAction,
    VisitPick,
)
from views.i18n import Translator
from views.keyboards import tidy
from views.notifier import Notifier

MAX_SHORT_TEXT = 200  # a public spot or a visit time


def setup(catalogs) -> Router:
    router = Router(name="owner-report")
    router.message.filter(BoundOwner())
    router.callback_query.filter(BoundOwner())
    report_button = F.text.in_(button_texts(catalogs, "button.report"))
    router.message.register(start_report, StateFilter(None), Command("report"))
    router.message.register(start_report, StateFilter(None), report_button)
    router.message.register(continue_report, StateFilter(Report), Command("report"))
    router.message.register(continue_report, StateFilter(Report), report_button)
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
    router.callback_query.register(summary_action, Report.summary, SummaryAction.filter())
    router.callback_query.register(edit_picked, Report.edit, EditField.filter())
    router.callback_query.register(earlier_picked, Report.summary, EarlierPick.filter())
    return router


async def start_report(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    await ask_next(message, state, Draft(), t, units, config, services, uow)


async def start_from_button(
    query: CallbackQuery, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    await ask_next(query.message, state, Draft(), t, units, config, services, uow)


async def continue_report(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    await message.answer(t("report.in_progress"))
    draft = Draft.from_data(await state.get_data())
    await ask_next(message, state, draft, t, units, config, services, uow)


async def cancel_report(message: Message, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await message.answer(t("report.cancelled"), reply_markup=keyboards.main_menu(t))


async def start_from_text(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    """An owner who just writes "water drips from the ceiling" is starting a report."""
    if len(message.text) > services.policy.max_description:
        await message.answer(t("report.too_long", max=services.policy.max_description, length=len(message.text)))
        return
    draft = Draft(description=message.text.strip())
    await suggest_or_ask(message, state, draft, t, units, config, services, uow)


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
    data = await state.get_data()
    draft = Draft.from_data(data)
    if callback_data.accept:
        draft.category = data.get("suggested")
    await ask_next(query.message, state, draft, t, units, config, services, uow)


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
    if not is_category(callback_data.code):
        await query.message.answer(t("error.stale_button"))
        return
    draft = Draft.from_data(await state.get_data())
    draft.category = callback_data.code
    await query.message.answer(t("report.chosen", choice=render.category(t, draft.category)))
    if category_by_code(draft.category).urgency == "referral":
        await query.message.answer(t("report.referral_note"))
    await ask_next(query.message, state, draft, t, units, config, services, uow)


async def place_picked(
    query: CallbackQuery,
    callback_data: PlacePick,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    draft = Draft.from_data(await state.get_data())
    own = {unit.id: unit for unit in units}
    if callback_data.unit_id in own:
        unit = own[callback_data.unit_id]
        draft.unit_id, draft.block, draft.public_area = unit.id, unit.block, None
    elif callback_data.unit_id == 0 and callback_data.block in {u.block for u in units}:
        draft.unit_id, draft.block, draft.public_area = None, callback_data.block, None
    else:  # a unit that is not theirs: a forged or outdated button
        await query.message.answer(t("error.stale_button"))
        return
    await ask_next(query.message, state, draft, t, units, config, services, uow)


async def public_area_typed(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    if len(message.text) > MAX_SHORT_TEXT:
        await message.answer(t("report.too_long", max=MAX_SHORT_TEXT, length=len(message.text)))
        return
    draft = Draft.from_data(await state.get_data())
    draft.public_area = message.text.strip()
    await ask_next(message, state, draft, t, units, config, services, uow)


async def description_typed(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    limit = services.policy.max_description
    if len(message.text) > limit:
        await message.answer(t("report.too_long", max=limit, length=len(message.text)))
        return
    draft = Draft.from_data(await state.get_data())
    draft.description = message.text.strip()
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
    if callback_data.code not in render.VISIT_CODES:
        await query.message.answer(t("error.stale_button"))
        return
    draft = Draft.from_data(await state.get_data())
    draft.visit_time = callback_data.code
    await ask_next(query.message, state, draft, t, units, config, services, uow)


async def visit_typed(
    message: Message, state: FSMContext, t: Translator, units, config: Config, services: Services, uow: UnitOfWork
) -> None:
    if len(message.text) > MAX_SHORT_TEXT:
        await message.answer(t("report.too_long", max=MAX_SHORT_TEXT, length=len(message.text)))
        return
    draft = Draft.from_data(await state.get_data())
    draft.visit_time = render.free_visit_time(message.text.strip())
    await ask_next(message, state, draft, t, units, config, services, uow)


async def summary_action(
    query: CallbackQuery,
    callback_data: SummaryAction,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    await tidy(query)
    if callback_data.action == "cancel":
        await state.clear()
        await query.message.answer(t("report.cancelled"), reply_markup=keyboards.main_menu(t))
    elif callback_data.action == "before":
        await offer_earlier(query, state, t, uow, units, config, services)
    elif callback_data.action == "edit":
        await state.set_state(Report.edit)
        await query.message.answer(t("report.ask_edit"), reply_markup=keyboards.edit_fields(t))
    else:
        await confirm(query, state, t, config, services, uow, notifier, language)


async def confirm(
    query: CallbackQuery,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    draft = Draft.from_data(await state.get_data())
    await save(state, draft)  # a draft from before filing keys existed gets its key kept now
    block = config.block(draft.block)
    minutes = int(services.policy.promise_contact_within.total_seconds() // 60)

    async def answer(uow: UnitOfWork, ticket: Ticket) -> None:
        key = "ticket.referred" if ticket.status == "referred" else "ticket.filed"
        await notifier.tell(
            uow, query.from_user.id, key, ticket, keyboards.main_menu, number=ticket.number, minutes=minutes
        )

    await file_ticket(
        services,
        uow,
        query.from_user.id,
        draft,
        language,
        block.handover_date if block else None,
        notifier.dispatch,
        answer,
    )
    # the ticket and the owner's answer are committed: the conversation may move on. Should
    # the bot stop right here, Confirm again finds the ticket by the draft's key
    await state.clear()


async def edit_picked(
    query: CallbackQuery,
    callback_data: EditField,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    draft = Draft.from_data(await state.get_data())
    step = callback_data.step
    if step == "place":
        draft.unit_id = draft.block = draft.public_area = None
    elif step == "photos":
        draft.photos, draft.photos_done = [], False
    elif step in ("category", "description", "visit_time"):
        setattr(draft, step, None)
    else:
        await query.message.answer(t("error.stale_button"))
        return
    await ask_next(query.message, state, draft, t, units, config, services, uow)


async def offer_earlier(
    query: CallbackQuery, state: FSMContext, t: Translator, uow: UnitOfWork, units, config: Config, services: Services
) -> None:
    """ "This happened before": the owner picks the earlier repair it repeats (§8)."""
    draft = Draft.from_data(await state.get_data())
    earlier = await earlier_at_place(uow, query.from_user.id, draft)
    if not earlier:
        await query.message.answer(t("report.no_earlier"))
        await ask_next(query.message, state, draft, t, units, config, services, uow)
        return
    builder = InlineKeyboardBuilder()
    for ticket in earlier[:8]:
        builder.button(
            text=f"№{ticket.number} · {render.category(t, ticket.category)}",
            callback_data=EarlierPick(ticket_id=ticket.id),
        )
    builder.button(text=t("button.none_of_these"), callback_data=EarlierPick(ticket_id=0))
    await query.message.answer(t("report.pick_earlier"), reply_markup=builder.adjust(1).as_markup())


async def earlier_picked(
    query: CallbackQuery,
    callback_data: EarlierPick,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    draft = Draft.from_data(await state.get_data())
    mine = {ticket.id for ticket in await earlier_at_place(uow, query.from_user.id, draft)}
    draft.said_repeat_of = callback_data.ticket_id if callback_data.ticket_id in mine else None
    await ask_next(query.message, state, draft, t, units, config, services, uow)
