"""The written repair plan in the engineer's private chat (services/plans.py): what is wrong,
what will be done and the materials as a text (a photo with its caption will do), then the
expected finish. A finish past the resolve-by goes to the owner's Agree / Don't agree, the
same question a manager's extension asks (services/management.py)."""

from datetime import datetime, timedelta

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from handlers.engineer.job import moved
from handlers.engineer.states import MAX_NOTE
from handlers.owner.photos import IMAGE_TYPES, download_from
from services import management, plans
from services.context import Services
from services.evidence import evidence_of
from storage.unit_of_work import UnitOfWork
from views import render
from views.buttons import PlanFinish, PlanStep
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.keyboards import tidy
from views.notifier import Notifier
from views.replies import kept_photo_id, message_of

FINISH_DAYS = (0, 1, 2, 3, 5, 7, 10, 14, 21, 30)


class Planning(StatesGroup):
    text = State()
    finish = State()


def setup() -> Router:
    router = Router(name="engineer-plan")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.filter(F.chat.type == "private")
    router.callback_query.register(ask_plan, PlanStep.filter(F.step == "write"))
    router.callback_query.register(mark_complex, PlanStep.filter(F.step == "complex"))
    router.message.register(plan_typed, Planning.text, F.text, ~F.text.startswith("/"))
    router.message.register(plan_photo, Planning.text, F.photo)
    router.message.register(plan_photo, Planning.text, F.document.mime_type.in_(IMAGE_TYPES))
    router.message.register(plan_hint, Planning.text, ~F.text.startswith("/"))
    router.message.register(finish_hint, Planning.finish, ~F.text.startswith("/"))
    router.callback_query.register(finish_picked, PlanFinish.filter())
    return router


async def ask_plan(
    query: CallbackQuery, callback_data: PlanStep, state: FSMContext, uow: UnitOfWork, t: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.engineer_user_id != query.from_user.id:
        await message.answer(t("job.refused.not_yours"))
        return
    if not plans.can_plan(ticket):
        await message.answer(t("plan.already" if ticket.plan_at else "job.refused.not_now"))
        return
    await state.set_state(Planning.text)
    await state.update_data(ticket_id=ticket.id, photo=None)
    await message.answer(t("plan.ask"))


async def plan_typed(message: Message, state: FSMContext, services: Services, t: Translator) -> None:
    await _plan_text(message, state, services, t, message.text or "")  # registered with F.text


async def plan_photo(message: Message, state: FSMContext, services: Services, t: Translator) -> None:
    """A photo of the fault with the plan as its caption; without a caption the text is asked for."""
    file_id = kept_photo_id(message)
    if file_id is None:  # registered only for a photo or an image sent as a file
        return
    await state.update_data(photo=file_id)
    if not message.caption:
        await message.answer(t("plan.photo_kept"))
        return
    await _plan_text(message, state, services, t, message.caption)


async def _plan_text(message: Message, state: FSMContext, services: Services, t: Translator, text: str) -> None:
    if len(text) > MAX_NOTE:
        await message.answer(t("report.too_long", max=MAX_NOTE, length=len(text)))
        return
    if not text.strip():
        await message.answer(t("plan.hint_text"))
        return
    data = await state.get_data()
    await state.update_data(plan=text.strip())
    await state.set_state(Planning.finish)
    today = services.clock.now()
    builder = InlineKeyboard()
    for days in FINISH_DAYS:
        finish = finish_on(services, today, days)
        if finish > today:  # after closing, today is no longer a finish to offer
            label = render.when(finish, services.tz)
            builder.button(text=label, callback_data=PlanFinish(ticket_id=data["ticket_id"], days=days))
    await message.answer(t("plan.ask_finish"), reply_markup=builder.adjust(3).as_markup())


def finish_on(services: Services, now: datetime, days: int) -> datetime:
    """The office closing on the local day `days` from today: a finish date, at the end of its day."""
    day = now.astimezone(services.tz).date() + timedelta(days=days)
    return datetime.combine(day, services.policy.office_closes, tzinfo=services.tz)


async def plan_hint(message: Message, t: Translator) -> None:
    await message.answer(t("plan.hint_text"))


async def finish_hint(message: Message, t: Translator) -> None:
    await message.answer(t("plan.hint_finish"))


async def finish_picked(
    query: CallbackQuery,
    callback_data: PlanFinish,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    bot: Bot,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    data = await state.get_data()
    if data.get("ticket_id") != callback_data.ticket_id or "plan" not in data or callback_data.days not in FINISH_DAYS:
        await message.answer(t("error.stale_button"))
        return
    finish_by = finish_on(services, services.clock.now(), callback_data.days)
    if finish_by <= services.clock.now():  # today's button pressed after closing
        await message.answer(t("error.stale_button"))
        return
    # fetched, decoded and stored before any write lock
    photo = data.get("photo")
    evidence = await evidence_of(services.photos, photo, await download_from(bot)(photo)) if photo else None
    await state.clear()  # before the step's write: the conversation store is another connection
    step = await plans.submit(
        services, uow, callback_data.ticket_id, query.from_user.id, data["plan"], finish_by, evidence
    )
    ticket = await moved(message, step, t)
    if ticket is None:
        return
    needs_agreement = plans.past_resolve_by(ticket)
    await notifier.plan_submitted(uow, ticket, needs_agreement)
    if needs_agreement:
        asked = await management.ask_owner_to_extend(uow, ticket, finish_by)
        if asked is not None:
            owner_t = await notifier.translator_for(uow, asked.owner_user_id, asked.language)
            await notifier.ask_extension(uow, asked, owner_t("plan.extension_reason"))
    await notifier.panel(uow, ticket, "plan.sent_asked" if needs_agreement else "plan.sent")
    await notifier.mirror(uow, ticket)
    await tidy(query)


async def mark_complex(
    query: CallbackQuery,
    callback_data: PlanStep,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    step = await plans.mark_complex(services, uow, callback_data.ticket_id, query.from_user.id)
    ticket = await moved(message, step, t)
    if ticket is None:
        return
    await notifier.panel(uow, ticket, "plan.marked_complex", at=render.when(ticket.plan_by, services.tz))
    await notifier.mirror(uow, ticket)
