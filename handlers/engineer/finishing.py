"""The engineer finishes a job in his private chat: a price first when the work is paid,
then the work record (handlers/engineer/work_record.py: the fault, materials, photos of the
result, for paid work the receipt), then whether rain caused a leak.

The owner is asked to confirm once the step is written (services/work_record.py finish)."""

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.job import Action
from domain.work_record import Gap, gaps, names_a_price, price_in_range
from handlers.engineer import work_record
from handlers.engineer.job import moved
from handlers.engineer.states import MAX_NOTE, Finishing, hint
from handlers.owner.photos import download_from
from services import quotes
from services import work_record as services_record
from services.context import Services
from services.evidence import evidence_of
from services.quotes import needs_quote
from storage.unit_of_work import UnitOfWork
from views import work_record as view
from views.buttons import JobStep, QuoteStart, RainCause, RecordAnswer
from views.i18n import Translator
from views.keyboards import tidy
from views.notifier import Notifier
from views.replies import message_of, sender_of

# where a record that lacks something goes back to
GAP_STEPS = {
    Gap.FAULT: Finishing.note,
    Gap.AFTER_PHOTO: Finishing.photos,
    Gap.RECEIPT: Finishing.receipt,
    Gap.COLLECTED: Finishing.collected,
    Gap.REASON: Finishing.collected,
}


def setup() -> Router:
    router = Router(name="engineer-finishing")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.filter(F.chat.type == "private")
    router.callback_query.register(ask_note, JobStep.filter(F.action == Action.FINISH))
    router.callback_query.register(record_answer, RecordAnswer.filter())
    router.callback_query.register(rain_cause, RainCause.filter())
    router.callback_query.register(ask_quote, QuoteStart.filter())
    router.message.register(quote_typed, Finishing.quote, F.text, ~F.text.startswith("/"))
    router.message.register(hint, Finishing.quote, ~F.text.startswith("/"))
    router.include_router(work_record.setup())
    return router


async def ask_note(
    query: CallbackQuery, callback_data: JobStep, state: FSMContext, uow: UnitOfWork, t: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.engineer_user_id != query.from_user.id or ticket.status != "on_site":
        await message.answer(t("job.refused.not_now"))
        return
    if needs_quote(ticket):
        await message.answer(t("job.refused.quote_needed"))
        return
    await work_record.start(message, state, ticket, t)


async def rain_cause(query: CallbackQuery, callback_data: RainCause, uow: UnitOfWork, t: Translator) -> None:
    message = message_of(query)
    if message is None:
        return
    ticket = await uow.tickets.get(callback_data.ticket_id)
    if ticket is None or ticket.engineer_user_id != query.from_user.id:
        await message.answer(t("job.refused.not_yours"))
        return
    await uow.tickets.change(ticket.id, caused_by_rain=callback_data.rain)
    if callback_data.rain and ticket.confirmed_at and not ticket.caused_by_rain:
        await uow.callbacks.add(ticket.id, "rain", None)  # the owner confirmed already
    await tidy(query)
    await message.answer(t("finish.rain_noted"))


async def ask_quote(query: CallbackQuery, callback_data: QuoteStart, state: FSMContext, t: Translator) -> None:
    message = message_of(query)
    if message is None:
        return
    await state.set_state(Finishing.quote)
    await state.update_data(ticket_id=callback_data.ticket_id)
    await message.answer(t("quote.ask"))


async def quote_typed(
    message: Message, state: FSMContext, services: Services, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    text = message.text or ""  # registered with F.text
    engineer = sender_of(message)
    if engineer is None:  # a private chat always has a sender
        return
    if len(text) > MAX_NOTE:
        await message.answer(t("report.too_long", max=MAX_NOTE, length=len(text)))
        return
    if not names_a_price(text):  # the step is kept: he is asked again
        await message.answer(t("quote.no_price"))
        return
    if not price_in_range(text):
        await message.answer(t("quote.price_out_of_range"))
        return
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    ticket = await quotes.propose(services, uow, data["ticket_id"], engineer.id, text.strip())
    if ticket is None:
        await message.answer(t("job.refused.not_now"))
        return
    await notifier.offer_quote(uow, ticket)
    await notifier.panel(uow, ticket, "quote.sent")


async def record_answer(
    query: CallbackQuery,
    callback_data: RecordAnswer,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    bot: Bot,
    t: Translator,
) -> None:
    found = await work_record.draft_at(query, callback_data, state, uow, t, *work_record.STEPS)
    if found is None:
        return
    message, ticket, draft = found
    if not callback_data.confirm:
        await tidy(query)
        await work_record.start(message, state, ticket, t, over=True)
        return
    missing = gaps(draft.record(ticket))
    if missing:  # the summary is shown only for a whole record: this is a button from elsewhere
        await state.set_state(GAP_STEPS[missing[0]])
        await message.answer(view.incomplete(t, missing))
        return
    await tidy(query)
    download = download_from(bot)
    # fetched, decoded and stored before any write lock
    after = [await evidence_of(services.photos, file_id, await download(file_id)) for file_id in draft.photos]
    receipts = [await evidence_of(services.photos, file_id, await download(file_id)) for file_id in draft.receipts]
    await state.clear()  # before the step's write: the conversation store is another connection
    step = await services_record.finish(services, uow, ticket.id, query.from_user.id, draft, after, receipts)
    done = await moved(message, step, t)
    if done is None:
        return
    await notifier.ask_confirmation(uow, done)
    await notifier.panel(uow, done, "finish.sent")
    await notifier.mirror(uow, done)
    if done.category == "leak":  # a leak caused by rain is called back after the next rain (docs/rules.md)
        await message.answer(t("finish.ask_rain"), reply_markup=view.rain_buttons(t, done.id))
