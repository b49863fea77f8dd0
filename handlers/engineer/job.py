"""The job in the engineer's private chat: visit times, progress, waiting, handing over.
Finishing it (the note, the after photos, a quote) is in handlers/engineer/finishing.py.

Every step goes through services/job_flow.py, which refuses a step that is not the
engineer's to take or not possible now (a double tap, an old panel)."""

from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.job import Action
from domain.tickets import Ticket
from domain.visits import offerable_slots
from handlers.engineer import held
from handlers.engineer.states import MAX_NOTE, Finishing, hint
from services import job_flow, plans
from services.context import Services
from services.job_flow import Refusal
from storage.unit_of_work import UnitOfWork
from views import job_panel
from views.buttons import JobOpen, JobStep, ListPage, OwnerAway, PartsDays, SlotPick
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.keyboards import tidy
from views.notifier import Notifier
from views.replies import TappedMessage, editable_message_of, message_of

PART_DAYS = (1, 2, 3, 5, 7)
AWAY_REASONS = ("nobody_home", "later_day")
# a step that needs nothing but the tap: on my way, arrived, back to work
SimpleStep = Callable[[Services, UnitOfWork, int, int], Awaitable[job_flow.Step]]
OWNER_TOLD = {Action.ON_MY_WAY: "owner.on_the_way", Action.RESUME: "owner.resumed"}


def setup() -> Router:
    router = Router(name="engineer-job")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.filter(F.chat.type == "private")
    # arriving the first time is the survey, from which a written plan may fall due (services/plans.py)
    simple = {Action.ON_MY_WAY: job_flow.on_my_way, Action.ARRIVED: plans.arrived, Action.RESUME: job_flow.resume}
    for action, step in simple.items():
        router.callback_query.register(_simple(step), JobStep.filter(F.action == action))
    router.callback_query.register(pick_slots, JobStep.filter(F.action == Action.PROPOSE_VISIT))
    router.callback_query.register(slot_toggled, SlotPick.filter(F.minute != 0))
    router.callback_query.register(slots_sent, SlotPick.filter(F.minute == 0))
    router.callback_query.register(ask_parts_reason, JobStep.filter(F.action == Action.WAIT_PARTS))
    router.message.register(parts_reason_typed, Finishing.parts_reason, F.text, ~F.text.startswith("/"))
    router.message.register(hint, Finishing.parts_reason, ~F.text.startswith("/"))
    router.callback_query.register(parts_days_picked, PartsDays.filter())
    router.callback_query.register(ask_away_reason, JobStep.filter(F.action == Action.WAIT_OWNER))
    router.callback_query.register(away_reason_picked, OwnerAway.filter())
    router.callback_query.register(handed_over, JobStep.filter(F.action == Action.HAND_OVER))
    router.message.register(held.my_jobs, Command("my"), held.KnownEngineer())
    router.callback_query.register(held.turn, ListPage.filter(F.kind == "jobs"))
    router.callback_query.register(held.open_job, JobOpen.filter())
    return router


async def moved(message: TappedMessage, step: job_flow.Step, t: Translator) -> Ticket | None:
    """The ticket as the step left it; None once the engineer is told why the step was refused."""
    if step.ok and step.ticket is not None:
        return step.ticket
    await message.answer(t(f"job.refused.{step.refused or Refusal.NOT_FOUND}"))
    return None


def _simple(step_function: SimpleStep) -> Callable[..., Awaitable[None]]:
    async def handler(
        query: CallbackQuery,
        callback_data: JobStep,
        services: Services,
        uow: UnitOfWork,
        notifier: Notifier,
        t: Translator,
    ) -> None:
        message = message_of(query)
        if message is None:
            return
        step = await step_function(services, uow, callback_data.ticket_id, query.from_user.id)
        ticket = await moved(message, step, t)
        if ticket is None:
            return
        await _tell_owner(notifier, uow, ticket, callback_data.action)
        await notifier.panel(uow, ticket)
        await notifier.mirror(uow, ticket)

    handler.__name__ = f"step_{step_function.__name__}"
    return handler


async def _tell_owner(notifier: Notifier, uow: UnitOfWork, ticket: Ticket, action: Action) -> None:
    key = OWNER_TOLD.get(action)
    if key:
        await notifier.tell(uow, ticket.owner_user_id, key, ticket, number=ticket.number, engineer=ticket.engineer_name)


async def pick_slots(
    query: CallbackQuery, callback_data: JobStep, services: Services, t: Translator, uow: UnitOfWork
) -> None:
    message = message_of(query)
    if message is None:
        return
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.engineer_user_id != query.from_user.id:
        await message.answer(t("job.refused.not_yours"))
        return
    policy = services.policy
    slots = offerable_slots(services.clock.now(), services.tz, policy.office_opens, policy.office_closes)
    await message.answer(
        t("visit.pick_slots"), reply_markup=job_panel.slot_picker(t, ticket.id, slots, set(), services.tz)
    )


async def slot_toggled(query: CallbackQuery, callback_data: SlotPick, services: Services, t: Translator) -> None:
    picker = await _slot_picker(query, t)
    if picker is None:
        return
    chosen = job_panel.chosen_minutes(picker.reply_markup) ^ {callback_data.minute}
    slots = [job_panel.from_minute(minute) for minute in job_panel.offered_minutes(picker.reply_markup)]
    await picker.edit_reply_markup(
        reply_markup=job_panel.slot_picker(t, callback_data.ticket_id, slots, chosen, services.tz)
    )


async def _slot_picker(query: CallbackQuery, t: Translator) -> Message | None:
    """The picker with its ticks; None once the engineer is told it is too old to read
    back (Telegram no longer shows it to the bot): he asks for a fresh one."""
    picker = editable_message_of(query)
    message = message_of(query)
    if picker is None and message is not None:
        await message.answer(t("error.stale_button"))
    return picker


async def slots_sent(
    query: CallbackQuery,
    callback_data: SlotPick,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    picker = await _slot_picker(query, t)
    if picker is None:
        return
    chosen = sorted(job_panel.chosen_minutes(picker.reply_markup))
    if not chosen:
        await picker.answer(t("visit.none_chosen"))
        return
    slots = [job_panel.from_minute(minute) for minute in chosen]
    step = await job_flow.propose_visit(services, uow, callback_data.ticket_id, query.from_user.id, slots)
    ticket = await moved(picker, step, t)
    if ticket is None:
        return
    await notifier.offer_visit(uow, ticket)
    await notifier.panel(uow, ticket, "visit.sent")
    await notifier.mirror(uow, ticket)
    await tidy(query)


async def ask_parts_reason(query: CallbackQuery, callback_data: JobStep, state: FSMContext, t: Translator) -> None:
    message = message_of(query)
    if message is None:
        return
    await state.set_state(Finishing.parts_reason)
    await state.update_data(ticket_id=callback_data.ticket_id)
    await message.answer(t("parts.ask_reason"))


async def parts_reason_typed(message: Message, state: FSMContext, t: Translator) -> None:
    text = message.text or ""  # registered with F.text
    if len(text) > MAX_NOTE:
        await message.answer(t("report.too_long", max=MAX_NOTE, length=len(text)))
        return
    data = await state.get_data()
    await state.update_data(reason=text.strip())
    builder = InlineKeyboard()
    for days in PART_DAYS:
        builder.button(text=t("parts.days", days=days), callback_data=PartsDays(ticket_id=data["ticket_id"], days=days))
    await message.answer(t("parts.ask_date"), reply_markup=builder.adjust(5).as_markup())


async def parts_days_picked(
    query: CallbackQuery,
    callback_data: PartsDays,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    data = await state.get_data()
    if data.get("ticket_id") != callback_data.ticket_id or "reason" not in data:
        await message.answer(t("error.stale_button"))
        return
    ticket = await uow.tickets.get(callback_data.ticket_id)
    now = services.clock.now()
    base = max(ticket.resolve_by, now) if ticket and ticket.resolve_by else now
    new_date = base + timedelta(days=callback_data.days)
    await state.clear()  # before the step's write: the conversation store is another connection
    step = await job_flow.wait_for_parts(
        services, uow, callback_data.ticket_id, query.from_user.id, data["reason"], new_date
    )
    ticket = await moved(message, step, t)
    if ticket is None:
        return
    await notifier.ask_new_date(uow, ticket, data["reason"])
    await notifier.panel(uow, ticket, "parts.asked")
    await notifier.mirror(uow, ticket)


async def ask_away_reason(query: CallbackQuery, callback_data: JobStep, t: Translator) -> None:
    message = message_of(query)
    if message is None:
        return
    builder = InlineKeyboard()
    for reason in AWAY_REASONS:
        builder.button(
            text=t(f"away.{reason}"), callback_data=OwnerAway(ticket_id=callback_data.ticket_id, reason=reason)
        )
    await message.answer(t("away.ask"), reply_markup=builder.adjust(1).as_markup())


async def away_reason_picked(
    query: CallbackQuery,
    callback_data: OwnerAway,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if callback_data.reason not in AWAY_REASONS:
        await message.answer(t("error.stale_button"))
        return
    step = await job_flow.wait_for_owner(
        services, uow, callback_data.ticket_id, query.from_user.id, callback_data.reason
    )
    ticket = await moved(message, step, t)
    if ticket is None:
        return
    owner_t = await notifier.translator_for(uow, ticket.owner_user_id, ticket.language)
    await notifier.tell(
        uow,
        ticket.owner_user_id,
        "owner.paused",
        ticket,
        number=ticket.number,
        reason=owner_t(f"away.{callback_data.reason}"),
    )
    await notifier.panel(uow, ticket, "away.paused")
    await notifier.mirror(uow, ticket)
    await tidy(query)


async def handed_over(
    query: CallbackQuery,
    callback_data: JobStep,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    group_t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    ticket_before = await uow.tickets.get(callback_data.ticket_id)
    step = await job_flow.hand_over(
        services, uow, callback_data.ticket_id, query.from_user.id, query.from_user.full_name
    )
    ticket = await moved(message, step, t)
    if ticket is None or ticket_before is None:  # a ticket nobody filed is refused by the step
        return
    await notifier.mark_card(uow, ticket_before, group_t("card.handed_over", engineer=query.from_user.full_name))
    await notifier.dispatch(uow, ticket)
    await notifier.tell(uow, ticket.owner_user_id, "owner.handed_over", ticket, number=ticket.number)
    await message.answer(t("job.handed_over"))
