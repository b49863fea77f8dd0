"""The engineer finishes a job in his private chat: a price first when the work is paid,
then a note and the after photos, then whether rain caused a leak.

The owner is asked to confirm once the step is written (services/job_flow.py finish)."""

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from domain.job import Action
from handlers.engineer.job import moved
from handlers.engineer.states import MAX_NOTE, Finishing, hint
from handlers.owner.photos import IMAGE_TYPES, download_from
from services import job_flow, quotes
from services.context import Services
from services.intake import evidence_of
from services.quotes import needs_quote
from storage.unit_of_work import UnitOfWork
from views.buttons import FinishPhotosDone, JobStep, QuoteStart, RainCause
from views.i18n import Translator
from views.keyboards import tidy
from views.notifier import Notifier
from views.replies import message_of, sender_of


def setup() -> Router:
    router = Router(name="engineer-finishing")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.filter(F.chat.type == "private")
    router.callback_query.register(ask_note, JobStep.filter(F.action == Action.FINISH))
    router.message.register(note_typed, Finishing.note, F.text)
    router.message.register(after_photo, Finishing.photos, F.photo)
    router.message.register(after_photo, Finishing.photos, F.document.mime_type.in_(IMAGE_TYPES))
    router.callback_query.register(finished, Finishing.photos, FinishPhotosDone.filter())
    router.callback_query.register(rain_cause, RainCause.filter())
    router.callback_query.register(ask_quote, QuoteStart.filter())
    router.message.register(quote_typed, Finishing.quote, F.text)
    router.message.register(hint, Finishing.note)
    router.message.register(hint, Finishing.photos)
    router.message.register(hint, Finishing.quote)
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
    await state.set_state(Finishing.note)
    await state.update_data(ticket_id=ticket.id, photos=[])
    await message.answer(t("finish.ask_note"))


async def note_typed(message: Message, state: FSMContext, t: Translator) -> None:
    text = message.text or ""  # registered with F.text
    if len(text) > MAX_NOTE:
        await message.answer(t("report.too_long", max=MAX_NOTE, length=len(text)))
        return
    await state.update_data(note=text.strip())
    await state.set_state(Finishing.photos)
    await message.answer(t("finish.ask_photos"))


async def after_photo(message: Message, state: FSMContext, t: Translator, services: Services) -> None:
    if message.photo:
        file_id = message.photo[-1].file_id
    elif message.document:
        file_id = "doc:" + message.document.file_id
    else:  # registered only for a photo or an image sent as a file
        return
    data = await state.get_data()
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
    message = message_of(query)
    if message is None:
        return
    data = await state.get_data()
    if not data.get("photos"):
        await message.answer(t("finish.photo_required"))
        return
    download = download_from(bot)
    # fetched, decoded and stored before any write lock
    evidence = [await evidence_of(services, file_id, await download(file_id)) for file_id in data["photos"]]
    await state.clear()  # before the step's write: the conversation store is another connection
    step = await job_flow.finish(services, uow, data["ticket_id"], query.from_user.id, data["note"])
    ticket = await moved(message, step, t)
    if ticket is None:
        return
    for photo in evidence:
        await uow.tickets.add_photo(ticket.id, "after", photo, services.clock.now())
    await notifier.ask_confirmation(uow, ticket)
    await notifier.panel(uow, ticket, "finish.sent")
    await notifier.mirror(uow, ticket)
    if ticket.category == "leak":  # a leak caused by rain is called back after the next rain (docs/rules.md)
        rain = InlineKeyboardBuilder()
        rain.button(text=t("button.yes"), callback_data=RainCause(ticket_id=ticket.id, rain=True))
        rain.button(text=t("button.no"), callback_data=RainCause(ticket_id=ticket.id, rain=False))
        await message.answer(t("finish.ask_rain"), reply_markup=rain.as_markup())


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
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    ticket = await quotes.propose(services, uow, data["ticket_id"], engineer.id, text.strip())
    if ticket is None:
        await message.answer(t("job.refused.not_now"))
        return
    await notifier.offer_quote(uow, ticket)
    await notifier.panel(uow, ticket, "quote.sent")
