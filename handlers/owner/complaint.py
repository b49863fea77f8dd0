"""An owner complains (about service, an engineer, a neighbour, noise, management): topic,
words, photos if any; then they hear back, and the complaint closes only with their
agreement to the solution (docs/rules.md)."""

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.complaints import Topic
from handlers.owner.albums import PhotoAcknowledger
from handlers.owner.callback import show
from handlers.owner.filters import BoundOwner, button_texts
from services import complaints
from services.context import Services
from storage.unit_of_work import UnitOfWork
from views import keyboards
from views.buttons import ComplaintAnswer, ComplaintCallbackAnswer, ComplaintSend, ComplaintTopicPick
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.keyboards import tidy
from views.notifier import Notifier
from views.replies import message_of

MIN_TEXT, MAX_TEXT, MAX_PHOTOS = 5, 2000, 10


class Complaining(StatesGroup):
    topic = State()
    text = State()
    photos = State()


def setup(catalogs) -> Router:
    router = Router(name="owner-complaint")
    router.message.filter(BoundOwner())
    router.callback_query.filter(BoundOwner())
    router.message.register(start, StateFilter(None), Command("complain"))
    router.message.register(start, StateFilter(None), F.text.in_(button_texts(catalogs, "button.complain")))
    router.message.register(cancel, StateFilter(Complaining), Command("cancel"))
    router.callback_query.register(topic_picked, Complaining.topic, ComplaintTopicPick.filter())
    router.message.register(text_written, Complaining.text, F.text, ~F.text.startswith("/"))
    router.message.register(photo_added, Complaining.photos, F.photo)
    router.callback_query.register(send, Complaining.photos, ComplaintSend.filter())
    router.message.register(hint, StateFilter(Complaining), ~F.text.startswith("/"))  # /start starts over
    router.callback_query.register(answered, ComplaintAnswer.filter())
    router.callback_query.register(called_back, ComplaintCallbackAnswer.filter())
    return router


async def start(message: Message, state: FSMContext, t: Translator) -> None:
    builder = InlineKeyboard()
    for topic in Topic:
        builder.button(text=t(f"topic.{topic}"), callback_data=ComplaintTopicPick(topic=topic))
    await state.set_state(Complaining.topic)
    await message.answer(t("complaint.ask_topic"), reply_markup=builder.adjust(2).as_markup())


async def cancel(message: Message, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await message.answer(t("complaint.cancelled"), reply_markup=keyboards.main_menu(t))


async def topic_picked(
    query: CallbackQuery, callback_data: ComplaintTopicPick, state: FSMContext, t: Translator
) -> None:
    message = message_of(query)
    if message is None:
        return
    if callback_data.topic not in Topic.__members__.values():
        await message.answer(t("error.stale_button"))
        return
    await state.update_data(topic=callback_data.topic)
    await state.set_state(Complaining.text)
    await message.answer(t("complaint.ask_text"))


async def text_written(message: Message, state: FSMContext, t: Translator) -> None:
    text = (message.text or "").strip()  # registered with F.text: there is always a text
    if not MIN_TEXT <= len(text) <= MAX_TEXT:
        await message.answer(
            t("report.too_long", max=MAX_TEXT, length=len(text)) if len(text) > MAX_TEXT else t("complaint.ask_text")
        )
        return
    await state.update_data(text=text, photos=[])
    await state.set_state(Complaining.photos)
    await message.answer(t("complaint.ask_photos"), reply_markup=_send_button(t))


def _send_button(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboard().button(text=t("button.complaint_send"), callback_data=ComplaintSend()).as_markup()


async def photo_added(message: Message, state: FSMContext, t: Translator, acks: PhotoAcknowledger, bot: Bot) -> None:
    """Each photo kept; an album (or a quick run of photos) acknowledged once."""
    photos = (await state.get_data()).get("photos", [])
    if message.photo and len(photos) < MAX_PHOTOS:  # registered with F.photo: there is always one
        photos.append(message.photo[-1].file_id)
        await state.update_data(photos=photos)
    chat_id, text, markup = message.chat.id, t("complaint.photo_added", count=len(photos)), _send_button(t)
    acks.schedule(chat_id, lambda: bot.send_message(chat_id, text, reply_markup=markup))


async def send(
    query: CallbackQuery,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    language: str,
    units,
    acks: PhotoAcknowledger,
) -> None:
    message = message_of(query)
    if message is None:
        return
    acks.discard(message.chat.id)  # the photos' acknowledgement would come after the answer
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    if "text" not in data:
        await message.answer(t("error.stale_button"))
        return
    complaint = await complaints.file_complaint(
        services, uow, query.from_user.id, Topic(data["topic"]), data["text"], data.get("photos", []), language
    )
    await notifier.complaint_filed(uow, complaint, query.from_user.full_name, ", ".join(u.label for u in units))
    await tidy(query)
    await message.answer(
        t(
            "complaint.filed",
            number=complaint.number,
            severity=t(f"severity.{complaint.severity}"),
            answer=notifier.when(complaint.answer_by),
            resolve=notifier.when(complaint.resolve_by),
        ),
        reply_markup=keyboards.main_menu(t),
    )


async def hint(message: Message, state: FSMContext, t: Translator) -> None:
    current = await state.get_state()
    if current is None:  # StateFilter(Complaining) lets only the complaint's steps through
        return
    step = current.split(":")[-1]
    await message.answer(t(f"complaint.hint.{step}"))


async def answered(
    query: CallbackQuery,
    callback_data: ComplaintAnswer,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    group_t: Translator,
) -> None:
    complaint = await complaints.owner_answers(
        services, uow, callback_data.complaint_id, query.from_user.id, callback_data.agree
    )
    message = message_of(query)
    if message is None:
        return
    if complaint is None:
        await message.answer(t("error.stale_button"))
        return
    if not callback_data.agree:
        await notifier.alert(
            uow, group_t("complaint.disagreed", number=complaint.number), notifier.complaint_buttons(complaint)
        )
    await tidy(query)
    await message.answer(
        t("complaint.closed" if callback_data.agree else "complaint.reopened", number=complaint.number)
    )


async def called_back(
    query: CallbackQuery,
    callback_data: ComplaintCallbackAnswer,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    group_t: Translator,
) -> None:
    complaint = await complaints.callback_answered(
        services, uow, callback_data.complaint_id, query.from_user.id, callback_data.satisfied
    )
    if complaint is None:
        message = message_of(query)
        if message is not None:
            await message.answer(t("error.stale_button"))
        return
    if not callback_data.satisfied:
        await notifier.alert(uow, group_t("complaint.callback_unhappy", number=complaint.number))
    await show(query, t("rating.thanks"))
