"""The job in the engineer's private chat: visit times, progress, waiting, completion.

Every step goes through services/job_flow.py, which refuses a step that is not the
engineer's to take or not possible now (a double tap, an old panel)."""

from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from domain.job import Action
from domain.visits import offerable_slots
from handlers.owner.photos import IMAGE_TYPES, download_from
from services import job_flow, quotes
from services.context import Services
from services.intake import evidence_of
from services.quotes import needs_quote
from storage.unit_of_work import UnitOfWork
from views import job_panel
from views.buttons import FinishPhotosDone, JobStep, OwnerAway, PartsDays, QuoteStart, RainCause, SlotPick
from views.i18n import Translator
from views.keyboards import tidy
from views.notifier import Notifier

MAX_NOTE = 1000
PART_DAYS = (1, 2, 3, 5, 7)
AWAY_REASONS = ("nobody_home", "later_day")


class Finishing(StatesGroup):
    quote = State()
    parts_reason = State()
    note = State()
    photos = State()


def setup() -> Router:
    router = Router(name="engineer-job")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.filter(F.chat.type == "private")
    simple = {Action.ON_MY_WAY: job_flow.on_my_way, Action.ARRIVED: job_flow.arrived, Action.RESUME: job_flow.resume}
    for action, step in simple.items():
        router.callback_query.register(_simple(step), JobStep.filter(F.action == action))
    router.callback_query.register(pick_slots, JobStep.filter(F.action == Action.PROPOSE_VISIT))
    router.callback_query.register(slot_toggled, SlotPick.filter(F.minute != 0))
    router.callback_query.register(slots_sent, SlotPick.filter(F.minute == 0))
    router.callback_query.register(ask_parts_reason, JobStep.filter(F.action == Action.WAIT_PARTS))
    router.message.register(parts_reason_typed, Finishing.parts_reason, F.text)
    router.callback_query.register(parts_days_picked, PartsDays.filter())
    router.callback_query.register(ask_away_reason, JobStep.filter(F.action == Action.WAIT_OWNER))
    router.callback_query.register(away_reason_picked, OwnerAway.filter())
    router.callback_query.register(handed_over, JobStep.filter(F.action == Action.HAND_OVER))
    router.callback_query.register(ask_note, JobStep.filter(F.action == Action.FINISH))
    router.message.register(note_typed, Finishing.note, F.text)
    router.message.register(after_photo, Finishing.photos, F.photo)
    router.message.register(after_photo, Finishing.photos, F.document.mime_type.in_(IMAGE_TYPES))
    router.callback_query.register(finished, Finishing.photos, FinishPhotosDone.filter())
    router.callback_query.register(rain_cause, RainCause.filter())
    router.callback_query.register(ask_quote, QuoteStart.filter())
    router.message.register(quote_typed, Finishing.quote, F.text)
    router.message.register(finishing_hint, Finishing.note)
    router.message.register(finishing_hint, Finishing.photos)
    router.message.register(finishing_hint, Finishing.parts_reason)
    router.message.register(finishing_hint, Finishing.quote)
    return router


async def _refused(query: CallbackQuery, step: job_flow.Step, t: Translator) -> bool:
    if step.ok:
        return False
    await query.message.answer(t(f"job.refused.{step.refused}"))
    return True


def _simple(step_function):
    async def handler(
        query: CallbackQuery,
        callback_data: JobStep,
        services: Services,
        uow: UnitOfWork,
        notifier: Notifier,
        t: Translator,
    ) -> None:
        step = await step_function(services, uow, callback_data.ticket_id, query.from_user.id)
        if await _refused(query, step, t):
            return
        await _tell_owner(notifier, uow, step.ticket, callback_data.action)
        await notifier.panel(uow, step.ticket)
        await notifier.mirror(uow, step.ticket)

    handler.__name__ = f"step_{step_function.__name__}"
    return handler


async def _tell_owner(notifier: Notifier, uow: UnitOfWork, ticket, action: str) -> None:
    key = {Action.ON_MY_WAY: "owner.on_the_way", Action.RESUME: "owner.resumed"}.get(action)
    if key:
        await notifier.tell(uow, ticket.owner_user_id, key, ticket, number=ticket.number, engineer=ticket.engineer_name)


async def pick_slots(
    query: CallbackQuery, callback_data: JobStep, services: Services, t: Translator, uow: UnitOfWork
) -> None:
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.engineer_user_id != query.from_user.id:
        await query.message.answer(t("job.refused.not_yours"))
        return
    policy = services.policy
    slots = offerable_slots(services.clock.now(), services.tz, policy.office_opens, policy.office_closes)
    await query.message.answer(
        t("visit.pick_slots"), reply_markup=job_panel.slot_picker(t, ticket.id, slots, set(), services.tz)
    )


async def slot_toggled(query: CallbackQuery, callback_data: SlotPick, services: Services, t: Translator) -> None:
    chosen = job_panel.chosen_minutes(query.message.reply_markup) ^ {callback_data.minute}
    slots = [job_panel.from_minute(minute) for minute in job_panel.offered_minutes(query.message.reply_markup)]
    await query.message.edit_reply_markup(
        reply_markup=job_panel.slot_picker(t, callback_data.ticket_id, slots, chosen, services.tz)
    )


async def slots_sent(
    query: CallbackQuery,
    callback_data: SlotPick,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    chosen = sorted(job_panel.chosen_minutes(query.message.reply_markup))
    if not chosen:
        await query.message.answer(t("visit.none_chosen"))
        return
    slots = [job_panel.from_minute(minute) for minute in chosen]
    step = await job_flow.propose_visit(services, uow, callback_data.ticket_id, query.from_user.id, slots)
    if await _refused(query, step, t):
        return
    ticket = step.ticket
    await notifier.offer_visit(uow, ticket)
    await notifier.panel(uow, ticket, "visit.sent")
    await notifier.mirror(uow, ticket)
    await uow.commit()  # never hold the database while Telegram answers
    await tidy(query)


async def ask_parts_reason(query: CallbackQuery, callback_data: JobStep, state: FSMContext, t: Translator) -> None:
    await state.set_state(Finishing.parts_reason)
    await state.update_data(ticket_id=callback_data.ticket_id)
    await query.message.answer(t("parts.ask_reason"))


async def parts_reason_typed(message: Message, state: FSMContext, t: Translator) -> None:
    if len(message.text) > MAX_NOTE:
        await message.answer(t("report.too_long", max=MAX_NOTE, length=len(message.text)))
        return
    data = await state.get_data()
    await state.update_data(reason=message.text.strip())
    builder = InlineKeyboardBuilder()
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
    data = await state.get_data()
    if data.get("ticket_id") != callback_data.ticket_id or "reason" not in data:
        await query.message.answer(t("error.stale_button"))
        return
    ticket = await uow.tickets.get(callback_data.ticket_id)
    now = services.clock.now()
    base = max(ticket.resolve_by, now) if ticket and ticket.resolve_by else now
    new_date = base + timedelta(days=callback_data.days)
    await state.clear()  # before the step's write: the conversation store is another connection
    step = await job_flow.wait_for_parts(
        services, uow, callback_data.ticket_id, query.from_user.id, data["reason"], new_date
    )
    if await _refused(query, step, t):
        return
    await notifier.ask_new_date(uow, step.ticket, data["reason"])
    await notifier.panel(uow, step.ticket, "parts.asked")
    await notifier.mirror(uow, step.ticket)


async def ask_away_reason(query: CallbackQuery, callback_data: JobStep, t: Translator) -> None:
    builder = InlineKeyboardBuilder()
    for reason in AWAY_REASONS:
        builder.button(
            text=t(f"away.{reason}"), callback_data=OwnerAway(ticket_id=callback_data.ticket_id, reason=reason)
        )
    await query.message.answer(t("away.ask"), reply_markup=builder.adjust(1).as_markup())


async def away_reason_picked(
    query: CallbackQuery,
    callback_data: OwnerAway,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    if callback_data.reason not in AWAY_REASONS:
        await query.message.answer(t("error.stale_button"))
        return
    step = await job_flow.wait_for_owner(
        services, uow, callback_data.ticket_id, query.from_user.id, callback_data.reason
    )
    if await _refused(query, step, t):
        return
    ticket = step.ticket
    await notifier.tell(
        uow,
        ticket.owner_user_id,
        "owner.paused",
        ticket,
        number=ticket.number,
        reason=(await notifier.translator_for(uow, ticket.owner_user_id, ticket.language))(
            f"away.{callback_data.reason}"
        ),
    )
    await notifier.panel(uow, ticket, "away.paused")
    await notifier.mirror(uow, ticket)
    await uow.commit()
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
    ticket_before = await uow.tickets.get(callback_data.ticket_id)
    step = await job_flow.hand_over(
        services, uow, callback_data.ticket_id, query.from_user.id, query.from_user.full_name
    )
    if await _refused(query, step, t):
        return
    await notifier.mark_card(uow, ticket_before, group_t("card.handed_over", engineer=query.from_user.full_name))
    await notifier.dispatch(uow, step.ticket)
    await notifier.tell(uow, step.ticket.owner_user_id, "owner.handed_over", step.ticket, number=step.ticket.number)
    await uow.commit()
    await query.message.answer(t("job.handed_over"))


async def ask_note(
    query: CallbackQuery, callback_data: JobStep, state: FSMContext, uow: UnitOfWork, t: Translator
) -> None:
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.engineer_user_id != query.from_user.id or ticket.status != "on_site":
        await query.message.answer(t("job.refused.not_now"))
        return
    if needs_quote(ticket):
        await query.message.answer(t("job.refused.quote_needed"))
        return
    await state.set_state(Finishing.note)
    await state.update_data(ticket_id=ticket.id, photos=[])
    await query.message.answer(t("finish.ask_note"))


async def note_typed(message: Message, state: FSMContext, t: Translator) -> None:
    if len(message.text) > MAX_NOTE:
        await message.answer(t("report.too_long", max=MAX_NOTE, length=len(message.text)))
        return
    await state.update_data(note=message.text.strip())
    await state.set_state(Finishing.photos)
    await message.answer(t("finish.ask_photos"))


async def after_photo(message: Message, state: FSMContext, t: Translator, services: Services) -> None:
    data = await state.get_data()
    file_id = message.photo[-1].file_id if message.photo else "doc:" + message.document.file_id
    photos = data.get("photos", [])
    if len(photos) < services.policy.max_photos:
        photos.append(file_id)
        await state.update_data(photos=photos)
    builder = InlineKeyboardBuilder().button(
        text=t("button.photos_done"), callback_data=FinishPhotosDone(ticket_id=data["ticket_id"])
    )
    await message.answer(t("finish.photo_received", count=len(photos)), reply_markup=builder.as_markup())


async def finished(
    query: CallbackQuery,
    callback_data: FinishPhotosDone,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    bot: Bot,
    t: Translator,
) -> None:
    data = await state.get_data()
    if not data.get("photos"):
        await query.message.answer(t("finish.photo_required"))
        return
    download = download_from(bot)
    # fetched, decoded and stored before any write lock
    evidence = [await evidence_of(services, file_id, await download(file_id)) for file_id in data["photos"]]
    await state.clear()  # before the step's write: the conversation store is another connection
    step = await job_flow.finish(services, uow, data["ticket_id"], query.from_user.id, data["note"])
    if await _refused(query, step, t):
        return
    for photo in evidence:
        await uow.tickets.add_photo(step.ticket.id, "after", photo, services.clock.now())
    await notifier.ask_confirmation(uow, step.ticket)
    await notifier.panel(uow, step.ticket, "finish.sent")
    await notifier.mirror(uow, step.ticket)
    await uow.commit()
    if step.ticket.category == "leak":  # a leak caused by rain is called back after the next rain (003)
        rain = InlineKeyboardBuilder()
        rain.button(text=t("button.yes"), callback_data=RainCause(ticket_id=step.ticket.id, rain=True))
        rain.button(text=t("button.no"), callback_data=RainCause(ticket_id=step.ticket.id, rain=False))
        await query.message.answer(t("finish.ask_rain"), reply_markup=rain.as_markup())


async def rain_cause(query: CallbackQuery, callback_data: RainCause, uow: UnitOfWork, t: Translator) -> None:
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.engineer_user_id != query.from_user.id:
        await query.message.answer(t("job.refused.not_yours"))
        return
    await uow.tickets.change(ticket.id, caused_by_rain=callback_data.rain)
    if callback_data.rain and ticket.confirmed_at and not ticket.caused_by_rain:
        await uow.callbacks.add(ticket.id, "rain", None)  # the owner confirmed already
    await uow.commit()
    await tidy(query)
    await query.message.answer(t("finish.rain_noted"))


async def finishing_hint(message: Message, state: FSMContext, t: Translator) -> None:
    step = (await state.get_state()).split(":")[-1]
    await message.answer(t(f"finish.hint.{step}"))


async def ask_quote(query: CallbackQuery, callback_data: QuoteStart, state: FSMContext, t: Translator) -> None:
    await state.set_state(Finishing.quote)
    await state.update_data(ticket_id=callback_data.ticket_id)
    await query.message.answer(t("quote.ask"))


async def quote_typed(
    message: Message, state: FSMContext, services: Services, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    if len(message.text) > MAX_NOTE:
        await message.answer(t("report.too_long", max=MAX_NOTE, length=len(message.text)))
        return
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    ticket = await quotes.propose(services, uow, data["ticket_id"], message.from_user.id, message.text.strip())
    if ticket is None:
        await message.answer(t("job.refused.not_now"))
        return
    await notifier.offer_quote(uow, ticket)
    await notifier.panel(uow, ticket, "quote.sent")
