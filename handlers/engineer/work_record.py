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

from domain.tickets import Ticket
from domain.work_record import (
    MAX_FAULT,
    MAX_MATERIALS,
    AmountProblem,
    Material,
    RefusedLine,
    bare_name,
    collected_matches,
    faults_for,
    money,
    parse_amount,
    read_material,
)
from domain.work_record import parse_materials as read_materials
from handlers.engineer.states import Finishing, hint
from handlers.owner.albums import PhotoAcknowledger
from handlers.owner.photos import IMAGE_TYPES
from services.context import Services
from services.work_record import Draft, is_paid
from storage.unit_of_work import UnitOfWork
from views import work_record as view
from views.buttons import FaultPick, FinishPhotosDone, MaterialsDone
from views.i18n import Translator
from views.keyboards import tidy
from views.replies import TappedMessage, kept_photo_id, message_of

MAX_RECEIPTS = 3  # a receipt and, at most, its back and a card payment slip
STEPS: tuple[State, ...] = (Finishing.note, Finishing.materials, Finishing.material_detail, Finishing.photos)
STEPS += (Finishing.receipt, Finishing.collected, Finishing.summary)
RECORD_STEPS = {step.state for step in STEPS}


def setup() -> Router:
    router = Router(name="engineer-work-record")
    router.callback_query.filter(F.message.chat.type == "private")
    router.message.filter(F.chat.type == "private")
    router.callback_query.register(fault_picked, FaultPick.filter())
    router.message.register(fault_typed, Finishing.note, F.text, ~F.text.startswith("/"))
    router.message.register(materials_typed, Finishing.materials, F.text, ~F.text.startswith("/"))
    router.message.register(material_detail_typed, Finishing.material_detail, F.text, ~F.text.startswith("/"))
    router.callback_query.register(materials_done, MaterialsDone.filter())
    photo_steps = ((Finishing.photos, after_photo), (Finishing.receipt, receipt_photo))
    for state, received in (*photo_steps, (Finishing.collected, receipt_photo)):
        router.message.register(received, state, F.photo)
        router.message.register(received, state, F.document.mime_type.in_(IMAGE_TYPES))
    router.callback_query.register(photos_done, FinishPhotosDone.filter())
    router.message.register(collected_typed, Finishing.collected, F.text, ~F.text.startswith("/"))
    for state in STEPS:
        router.message.register(hint, state, ~F.text.startswith("/"))
    return router


async def start(message: TappedMessage, state: FSMContext, ticket: Ticket, t: Translator, over: bool = False) -> None:
    """The first step, when the engineer taps Done on his job panel. Tapped again while the
    record of this job is under way, it asks again the step the record is at: nothing he
    entered is lost unless he chooses "Start over" (`over`)."""
    current, data = await state.get_state(), await state.get_data()
    if not over and current is not None and current in RECORD_STEPS and data.get("ticket_id") == ticket.id:
        await _ask_again(message, current, ticket, Draft.from_data(data), t, data.get("pending", ""))
        return
    await state.set_state(Finishing.note)
    await state.set_data(Draft(ticket.id).as_data())
    await message.answer(t("finish.ask_note"), reply_markup=view.fault_buttons(t, ticket.id, ticket.trade))


async def _ask_again(
    message: TappedMessage, step: str, ticket: Ticket, draft: Draft, t: Translator, pending: str = ""
) -> None:
    if step == Finishing.note.state:
        await message.answer(t("finish.ask_note"), reply_markup=view.fault_buttons(t, ticket.id, ticket.trade))
    elif step == Finishing.materials.state:
        markup = view.materials_button(t, ticket.id, bool(draft.materials))
        await message.answer(t("finish.ask_materials", fault=draft.fault), reply_markup=markup)
    elif step == Finishing.material_detail.state:
        await message.answer(t("finish.ask_material_detail", name=pending))
    elif step == Finishing.photos.state and draft.photos:
        markup = view.photos_button(t, ticket.id)
        await message.answer(t("finish.photo_received", count=len(draft.photos)), reply_markup=markup)
    elif step == Finishing.photos.state:
        await message.answer(t("finish.ask_photos"))
    elif step == Finishing.receipt.state:
        await message.answer(t("finish.ask_receipt", quote=ticket.quote or ""))
    elif step == Finishing.collected.state:
        await message.answer(t("finish.ask_collected", quoted=_quoted(ticket, draft)))
    else:
        await _send_summary(message, ticket, draft, t)


async def draft_at(
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
    found = await draft_at(query, callback_data, state, uow, t, Finishing.note)
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
    """Lines of materials; a bare name ("sealant") is asked about: how much, and the cost."""
    draft, text = await _draft(state), (message.text or "").strip()
    if bare_name(text):
        await state.update_data(pending=text)
        await state.set_state(Finishing.material_detail)
        await message.answer(t("finish.ask_material_detail", name=text))
        return
    await _add_materials(message, state, draft, read_materials(text), t)


async def material_detail_typed(message: Message, state: FSMContext, t: Translator) -> None:
    data = await state.get_data()
    line = " ".join(f"{data.get('pending', '')} {message.text or ''}".split())
    material = read_material(line)
    if not isinstance(material, Material):
        await message.answer(view.detail_refused(t, RefusedLine(line, material)))
        return
    await state.set_state(Finishing.materials)
    await _add_materials(message, state, Draft.from_data(data), ([material], []), t)


async def _add_materials(
    message: Message, state: FSMContext, draft: Draft, read: tuple[list[Material], list[RefusedLine]], t: Translator
) -> None:
    """What was understood joins the draft; every line that was not is named with why."""
    understood, refused = read
    room = MAX_MATERIALS - len(draft.materials)
    if len(understood) > room:
        await message.answer(t("finish.materials_full", max=MAX_MATERIALS))
        understood = understood[:room]
    draft = draft.with_materials(understood)
    await state.set_data(draft.as_data())
    markup = view.materials_button(t, draft.ticket_id, bool(draft.materials))
    await message.answer(view.materials_answer(t, draft.materials, refused), reply_markup=markup)


async def materials_done(
    query: CallbackQuery, callback_data: MaterialsDone, state: FSMContext, uow: UnitOfWork, t: Translator
) -> None:
    found = await draft_at(query, callback_data, state, uow, t, Finishing.materials)
    if found is None:
        return
    message, _ticket, _draft_now = found
    await tidy(query)
    await state.set_state(Finishing.photos)
    await message.answer(t("finish.ask_photos"))


async def after_photo(
    message: Message, state: FSMContext, t: Translator, services: Services, acks: PhotoAcknowledger, bot: Bot
) -> None:
    """Kept in the draft; an album (one update per photo) is acknowledged once."""
    file_id = kept_photo_id(message)
    if file_id is None:
        return
    draft = await _draft(state)
    photos = list(draft.photos)
    if len(photos) < services.policy.max_photos and file_id not in photos:
        photos.append(file_id)
        await state.update_data(photos=photos)
    chat_id, text = message.chat.id, t("finish.photo_received", count=len(photos))
    markup = view.photos_button(t, draft.ticket_id)
    acks.schedule(chat_id, lambda: bot.send_message(chat_id, text, reply_markup=markup))


async def photos_done(
    query: CallbackQuery,
    callback_data: FinishPhotosDone,
    state: FSMContext,
    uow: UnitOfWork,
    acks: PhotoAcknowledger,
    t: Translator,
) -> None:
    found = await draft_at(query, callback_data, state, uow, t, Finishing.photos)
    if found is None:
        return
    message, ticket, draft = found
    acks.discard(query.from_user.id)  # an acknowledgement still waiting would offer Done again
    if not draft.photos:
        await message.answer(t("finish.photo_required"))
        return
    if is_paid(ticket):
        await state.set_state(Finishing.receipt)
        await message.answer(t("finish.ask_receipt", quote=ticket.quote or ""))
        return
    await _show_summary(message, state, ticket, draft, t)


async def receipt_photo(
    message: Message, state: FSMContext, t: Translator, uow: UnitOfWork, acks: PhotoAcknowledger, bot: Bot
) -> None:
    """A receipt may take more than one photo (an album): each is kept, the question asked once."""
    file_id, draft = kept_photo_id(message), await _draft(state)
    ticket = await uow.tickets.get(draft.ticket_id)
    if file_id is None or ticket is None:
        return
    if file_id not in draft.receipts and len(draft.receipts) < MAX_RECEIPTS:
        await state.update_data(receipts=[*draft.receipts, file_id])
    await state.set_state(Finishing.collected)
    chat_id, text = message.chat.id, t("finish.ask_collected", quoted=_quoted(ticket, draft))
    acks.schedule(chat_id, lambda: bot.send_message(chat_id, text))


def _quoted(ticket: Ticket, draft: Draft) -> str:
    quoted = draft.record(ticket).quoted
    return ticket.quote or "—" if quoted is None else money(quoted)


async def collected_typed(message: Message, state: FSMContext, t: Translator, uow: UnitOfWork) -> None:
    parsed = parse_amount(message.text or "")
    if isinstance(parsed, AmountProblem):
        await message.answer(view.amount_refused(t, parsed))
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
    await _send_summary(message, ticket, draft, t)


async def _send_summary(message: TappedMessage, ticket: Ticket, draft: Draft, t: Translator) -> None:
    text = view.summary(t, ticket.number or str(ticket.id), draft.record(ticket))
    await message.answer(text, reply_markup=view.summary_buttons(t, ticket.id))
