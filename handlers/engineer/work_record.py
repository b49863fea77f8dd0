"""The work record, step by step in the engineer's private chat (docs/rules.md, "The work
record"): the fault found, the materials used, the photos of the result, for paid work the
receipt and the amount collected, then a summary to confirm. Confirming is the job's done
step (services/work_record.py finish).

The draft lives in the conversation state, which is kept in the database: a restart
mid-way loses nothing. Every button names its ticket and is checked against the job and
the draft, so a button pressed twice, late, or by someone else changes nothing."""

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from domain.tickets import Ticket
from domain.work_record import (
    MAX_FAULT,
    MAX_MATERIALS,
    Gap,
    collected_matches,
    faults_for,
    gaps,
    money,
    parse_amount,
    total,
)
from domain.work_record import parse_materials as read_materials
from handlers.engineer.job import moved
from handlers.engineer.states import Finishing, hint
from handlers.owner.photos import IMAGE_TYPES, download_from
from services import work_record
from services.context import Services
from services.intake import evidence_of
from services.work_record import Draft, is_paid
from storage.unit_of_work import UnitOfWork
from views import work_record as view
from views.buttons import FaultPick, FinishPhotosDone, MaterialsDone, RainCause, RecordAnswer
from views.i18n import Translator
from views.keyboards import tidy
from views.notifier import DOCUMENT, Notifier
from views.replies import TappedMessage, message_of

GAP_HINTS = {
    Gap.FAULT: "record.gap_fault",
    Gap.AFTER_PHOTO: "record.gap_after_photo",
    Gap.RECEIPT: "record.gap_receipt",
    Gap.COLLECTED: "record.gap_collected",
    Gap.REASON: "record.gap_reason",
}
GAP_STEPS = {
    Gap.FAULT: Finishing.note,
    Gap.AFTER_PHOTO: Finishing.photos,
    Gap.RECEIPT: Finishing.receipt,
    Gap.COLLECTED: Finishing.collected,
    Gap.REASON: Finishing.collected,
}


def setup() -> Router:
    router = Router(name="engineer-work-record")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.filter(F.chat.type == "private")
    router.callback_query.register(fault_picked, FaultPick.filter())
    router.message.register(fault_typed, Finishing.note, F.text)
    router.message.register(materials_typed, Finishing.materials, F.text)
    router.callback_query.register(materials_done, MaterialsDone.filter())
    for state, received in ((Finishing.photos, after_photo), (Finishing.receipt, receipt_photo)):
        router.message.register(received, state, F.photo)
        router.message.register(received, state, F.document.mime_type.in_(IMAGE_TYPES))
    router.callback_query.register(photos_done, FinishPhotosDone.filter())
    router.message.register(collected_typed, Finishing.collected, F.text)
    router.callback_query.register(record_answer, RecordAnswer.filter())
    for state in (Finishing.note, Finishing.materials, Finishing.photos, Finishing.receipt):
        router.message.register(hint, state)
    router.message.register(hint, Finishing.collected)
    router.message.register(hint, Finishing.summary)
    return router


async def start(message: TappedMessage, state: FSMContext, ticket: Ticket, t: Translator) -> None:
    """The first step: called when the engineer taps Done on his job panel."""
    await state.set_state(Finishing.note)
    await state.set_data(Draft(ticket.id).as_data())
    await message.answer(t("finish.ask_note"), reply_markup=view.fault_buttons(t, ticket.id, ticket.trade))


async def _draft_at(
    query: CallbackQuery, data: CallbackData, state: FSMContext, uow: UnitOfWork, t: Translator, *steps: State
) -> tuple[TappedMessage, Ticket, Draft] | None:
    """The job and the draft a button belongs to, or None once the engineer is told why not:
    the job is someone else's, or the draft is not at this step (a late or repeated tap)."""
    message = message_of(query)
    if message is None:
        return None
    ticket = await uow.tickets.get(getattr(data, "ticket_id", 0))
    if ticket is None or ticket.engineer_user_id != query.from_user.id:
        await message.answer(t("job.refused.not_yours"))
        return None
    current = await state.get_state()
    stored = await state.get_data()
    if current not in {s.state for s in steps} or stored.get("ticket_id") != ticket.id:
        await message.answer(t("job.refused.not_now"))
        return None
    return message, ticket, Draft.from_data(stored)


async def _draft(state: FSMContext) -> Draft:
    return Draft.from_data(await state.get_data())


async def fault_picked(
    query: CallbackQuery, callback_data: FaultPick, state: FSMContext, uow: UnitOfWork, t: Translator
) -> None:
    found = await _draft_at(query, callback_data, state, uow, t, Finishing.note)
    if found is None:
        return
    message, ticket, _draft_now = found
    if callback_data.code not in faults_for(ticket.trade):
        await message.answer(t("finish.hint.note"))
        return
    await tidy(query)
    fault = t(f"fault.{callback_data.code}")
    await _ask_materials(message, state, Draft(ticket.id, fault=fault, fault_code=callback_data.code), t)


async def fault_typed(message: Message, state: FSMContext, t: Translator) -> None:
    text = (message.text or "").strip()  # registered with F.text
    if len(text) > MAX_FAULT:
        await message.answer(t("report.too_long", max=MAX_FAULT, length=len(text)))
        return
    if not text:
        await message.answer(t("finish.hint.note"))
        return
    draft = await _draft(state)
    await _ask_materials(message, state, Draft(draft.ticket_id, fault=text), t)


async def _ask_materials(message: TappedMessage, state: FSMContext, draft: Draft, t: Translator) -> None:
    await state.set_state(Finishing.materials)
    await state.set_data(draft.as_data())
    await message.answer(
        t("finish.ask_materials", fault=draft.fault), reply_markup=view.materials_button(t, draft.ticket_id, False)
    )


async def materials_typed(message: Message, state: FSMContext, t: Translator) -> None:
    draft = await _draft(state)
    understood, unreadable = read_materials(message.text or "")
    room = MAX_MATERIALS - len(draft.materials)
    if len(understood) > room:
        await message.answer(t("finish.materials_full", max=MAX_MATERIALS))
        understood = understood[:room]
    draft = draft.with_materials(understood)
    await state.set_data(draft.as_data())
    answer = []
    if unreadable:
        answer.append(t("finish.material_unreadable", line=unreadable[0]))
    if draft.materials:
        answer.append(
            t(
                "finish.materials_so_far",
                lines="\n".join(view.material_lines(draft.materials)),
                total=money(total(draft.materials)),
            )
        )
    markup = view.materials_button(t, draft.ticket_id, bool(draft.materials))
    await message.answer("\n\n".join(answer) or t("finish.hint.materials"), reply_markup=markup)


async def materials_done(
    query: CallbackQuery, callback_data: MaterialsDone, state: FSMContext, uow: UnitOfWork, t: Translator
) -> None:
    found = await _draft_at(query, callback_data, state, uow, t, Finishing.materials)
    if found is None:
        return
    message, _ticket, _draft_now = found
    await tidy(query)
    await state.set_state(Finishing.photos)
    await message.answer(t("finish.ask_photos"))


def _file_id(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    if message.document:
        return DOCUMENT + message.document.file_id
    return None  # registered only for a photo or an image sent as a file


async def after_photo(message: Message, state: FSMContext, t: Translator, services: Services) -> None:
    file_id = _file_id(message)
    if file_id is None:
        return
    draft = await _draft(state)
    photos = list(draft.photos)
    if len(photos) < services.policy.max_photos and file_id not in photos:
        photos.append(file_id)
        await state.update_data(photos=photos)
    await message.answer(
        t("finish.photo_received", count=len(photos)), reply_markup=view.photos_button(t, draft.ticket_id)
    )


async def photos_done(
    query: CallbackQuery, callback_data: FinishPhotosDone, state: FSMContext, uow: UnitOfWork, t: Translator
) -> None:
    found = await _draft_at(query, callback_data, state, uow, t, Finishing.photos)
    if found is None:
        return
    message, ticket, draft = found
    if not draft.photos:
        await message.answer(t("finish.photo_required"))
        return
    if is_paid(ticket):
        await state.set_state(Finishing.receipt)
        await message.answer(t("finish.ask_receipt", quote=ticket.quote or ""))
        return
    await _show_summary(message, state, ticket, draft, t)


async def receipt_photo(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork) -> None:
    file_id = _file_id(message)
    if file_id is None:
        return
    draft = await _draft(state)
    ticket = await uow.tickets.get(draft.ticket_id)
    if ticket is None:
        await message.answer(t("job.refused.not_found"))
        return
    await state.update_data(receipts=[file_id])
    await state.set_state(Finishing.collected)
    await message.answer(t("finish.ask_collected", quoted=_quoted(ticket, draft)))


def _quoted(ticket: Ticket, draft: Draft) -> str:
    quoted = draft.record(ticket).quoted
    return ticket.quote or "—" if quoted is None else money(quoted)


async def collected_typed(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork) -> None:
    parsed = parse_amount(message.text or "")
    if parsed is None:
        await message.answer(t("finish.hint.collected"))
        return
    amount, reason = parsed
    draft = await _draft(state)
    ticket = await uow.tickets.get(draft.ticket_id)
    if ticket is None:
        await message.answer(t("job.refused.not_found"))
        return
    quoted = draft.record(ticket).quoted
    if not collected_matches(quoted, amount) and not reason:
        await message.answer(t("finish.collected_differs", collected=money(amount), quoted=_quoted(ticket, draft)))
        return
    await state.update_data(collected=str(amount), reason=reason if not collected_matches(quoted, amount) else "")
    await _show_summary(message, state, ticket, await _draft(state), t)


async def _show_summary(message: TappedMessage, state: FSMContext, ticket: Ticket, draft: Draft, t: Translator) -> None:
    await state.set_state(Finishing.summary)
    number = ticket.number or str(ticket.id)
    await message.answer(view.summary(t, number, draft.record(ticket)), reply_markup=view.summary_buttons(t, ticket.id))


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
    steps = (*GAP_STEPS.values(), Finishing.materials, Finishing.summary)
    found = await _draft_at(query, callback_data, state, uow, t, *steps)
    if found is None:
        return
    message, ticket, draft = found
    if not callback_data.confirm:
        await tidy(query)
        await start(message, state, ticket, t)
        return
    missing = gaps(draft.record(ticket))
    if missing:  # the summary is shown only for a whole record: this is a button from elsewhere
        await state.set_state(GAP_STEPS[missing[0]])
        await message.answer("\n".join([t("job.refused.record_incomplete"), *(t(GAP_HINTS[g]) for g in missing)]))
        return
    await tidy(query)
    download = download_from(bot)
    # fetched, decoded and stored before any write lock
    after = [await evidence_of(services, file_id, await download(file_id)) for file_id in draft.photos]
    receipts = [await evidence_of(services, file_id, await download(file_id)) for file_id in draft.receipts]
    await state.clear()  # before the step's write: the conversation store is another connection
    step, _missing = await work_record.finish(services, uow, ticket.id, query.from_user.id, draft, after, receipts)
    done = await moved(message, step, t)
    if done is None:
        return
    await notifier.ask_confirmation(uow, done)
    await notifier.panel(uow, done, "finish.sent")
    await notifier.mirror(uow, done)
    if done.category == "leak":  # a leak caused by rain is called back after the next rain (docs/rules.md)
        rain = InlineKeyboardBuilder()
        rain.button(text=t("button.yes"), callback_data=RainCause(ticket_id=done.id, rain=True))
        rain.button(text=t("button.no"), callback_data=RainCause(ticket_id=done.id, rain=False))
        await message.answer(t("finish.ask_rain"), reply_markup=rain.as_markup())
