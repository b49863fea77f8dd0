"""The report's summary: confirm (the ticket is filed), edit a field, say it happened
before, or cancel. An emergency skips the summary: it is filed once its place is known."""

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from domain.tickets import Ticket
from domain.units import Unit
from handlers.owner.filters import BoundOwner
from handlers.owner.states import Report
from handlers.owner.steps import ask_next, save
from services.context import Services
from services.intake import Draft, earlier_at_place, file_ticket
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import keyboards, render
from views.buttons import EarlierPick, EditField, SummaryAction
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.keyboards import tidy
from views.notifier import Notifier
from views.replies import TappedMessage, message_of

# a repeat waits for the repair manager's own look: no 10-minute promise (docs/rules.md)
FILED_ANSWERS = {"referred": "ticket.referred", "awaiting_visit": "ticket.filed_repeat"}


def setup() -> Router:
    router = Router(name="owner-summary")
    router.message.filter(BoundOwner())
    router.callback_query.filter(BoundOwner())
    router.callback_query.register(summary_action, Report.summary, SummaryAction.filter())
    router.callback_query.register(edit_picked, Report.edit, EditField.filter())
    router.callback_query.register(earlier_picked, Report.summary, EarlierPick.filter())
    return router


async def summary_action(
    query: CallbackQuery,
    callback_data: SummaryAction,
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
    if callback_data.action == "confirm":
        await confirm(query, state, config, services, uow, notifier, language)
        await tidy(query)  # after filing: the owner's answer is on its way meanwhile
        return
    await tidy(query)
    if callback_data.action == "cancel":
        await state.clear()
        await message.answer(t("report.cancelled"), reply_markup=keyboards.main_menu(t))
    elif callback_data.action == "before":
        await offer_earlier(query, message, state, t, uow, units, config, services)
    elif callback_data.action == "edit":
        await state.set_state(Report.edit)
        await message.answer(t("report.ask_edit"), reply_markup=keyboards.edit_fields(t))


async def confirm(
    query: CallbackQuery,
    state: FSMContext,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    await file_report(query.from_user.id, state, config, services, uow, notifier, language)


async def file_report(
    owner_id: int,
    state: FSMContext,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    language: str,
) -> None:
    """File the draft: from Confirm, or for an emergency as soon as its place is known."""
    draft = Draft.from_data(await state.get_data())
    await save(state, draft)  # a draft from before filing keys existed gets its key kept now
    block = config.block(draft.block) if draft.block else None
    minutes = int(services.policy.promise_contact_within.total_seconds() // 60)

    async def dispatch(uow: UnitOfWork, ticket: Ticket) -> None:
        await notifier.dispatch(uow, ticket)
        if draft.emergency:
            await notifier.emergency(uow, ticket, draft.emergency)

    async def answer(uow: UnitOfWork, ticket: Ticket) -> None:
        key = FILED_ANSWERS.get(ticket.status, "ticket.filed")
        if draft.emergency:
            phone, menu, number = config.property.emergency_phone, keyboards.main_menu, ticket.number
            await notifier.tell(uow, owner_id, "ticket.filed_emergency", ticket, menu, number=number, phone=phone)
        else:
            await notifier.tell(uow, owner_id, key, ticket, keyboards.main_menu, number=ticket.number, minutes=minutes)
        await state.clear()  # the conversation moves on in the commit that files the ticket

    await file_ticket(
        services,
        uow,
        owner_id,
        draft,
        language,
        block.handover_date if block else None,
        dispatch,
        answer,
    )
    # filed now or before (a second tap, a redelivery, a twin that filed first): in each case
    # the conversation is over; Confirm again would find the ticket by the draft's key
    await state.clear()


async def edit_picked(
    query: CallbackQuery,
    callback_data: EditField,
    state: FSMContext,
    t: Translator,
    units: list[Unit],
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    draft = Draft.from_data(await state.get_data())
    step = callback_data.step
    if step == "place":
        draft.unit_id = draft.block = draft.public_area = None
    elif step == "photos":
        draft.photos, draft.photos_done = [], False
    elif step in ("category", "description", "visit_time"):
        setattr(draft, step, None)
    else:
        await message.answer(t("error.stale_button"))
        return
    await ask_next(message, state, draft, t, units, config, services, uow)


async def offer_earlier(
    query: CallbackQuery,
    message: TappedMessage,
    state: FSMContext,
    t: Translator,
    uow: UnitOfWork,
    units: list[Unit],
    config: Config,
    services: Services,
) -> None:
    """ "This happened before": the owner picks the earlier repair it repeats."""
    draft = Draft.from_data(await state.get_data())
    earlier = await earlier_at_place(uow, query.from_user.id, draft)
    if not earlier:
        await message.answer(t("report.no_earlier"))
        await ask_next(message, state, draft, t, units, config, services, uow)
        return
    builder = InlineKeyboard()
    for ticket in earlier[:8]:
        builder.button(
            text=f"{render.number(t, ticket.number)} · {render.category(t, ticket.category)}",
            callback_data=EarlierPick(ticket_id=ticket.id),
        )
    builder.button(text=t("button.none_of_these"), callback_data=EarlierPick(ticket_id=0))
    await message.answer(t("report.pick_earlier"), reply_markup=builder.adjust(1).as_markup())


async def earlier_picked(
    query: CallbackQuery,
    callback_data: EarlierPick,
    state: FSMContext,
    t: Translator,
    units: list[Unit],
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    draft = Draft.from_data(await state.get_data())
    mine = {ticket.id for ticket in await earlier_at_place(uow, query.from_user.id, draft)}
    draft.said_repeat_of = callback_data.ticket_id if callback_data.ticket_id in mine else None
    await ask_next(message, state, draft, t, units, config, services, uow)
