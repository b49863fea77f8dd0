"""The owner answers a callback: is it still fixed, then one tap per rating question (the
message is edited in place), then an optional comment (docs/rules.md)."""

from aiogram import Bot, F, Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, User

from domain.emergencies import recognise_emergency
from domain.escalation import NoticeKind, due_notices
from domain.satisfaction import SCALES, dimensions
from domain.tickets import Ticket
from handlers.owner import report
from handlers.owner.filters import BoundOwner
from handlers.owner.states import Report
from services import callbacks
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views.buttons import CallbackReply, CategoryPick, CommentSkip, RatingScore
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.keyboards import main_menu, tidy
from views.notifier import Notifier
from views.replies import editable_message_of, message_of

MAX_COMMENT = 1000


class Commenting(StatesGroup):
    comment = State()


class AwaitingButton(Filter):
    """An owner the bot waits on for a tap (a callback's question, its ratings, agreement to
    a complaint's solution): a stray message keeps that step instead of starting a report.
    Commands, the menu's buttons and an emergency told in words pass on, so a new report is
    still one tap away and an emergency is never held up."""

    async def __call__(self, message: Message, event_from_user: User, uow: UnitOfWork, t: Translator):
        text = message.text or ""
        menu = {button.text for row in main_menu(t).keyboard for button in row}
        if text.startswith("/") or text in menu or recognise_emergency(text or message.caption or ""):
            return False
        waiting = await uow.callbacks.awaiting_owner(event_from_user.id)
        if waiting is not None:
            return {"hint": "hint.awaiting_callback" if waiting == "asked" else "hint.awaiting_rating"}
        if await uow.complaints.proposed_to(event_from_user.id):
            return {"hint": "hint.awaiting_complaint"}
        return False


def setup() -> Router:
    router = Router(name="owner-callback")
    router.callback_query.filter(BoundOwner())
    router.message.filter(BoundOwner())
    router.callback_query.register(replied, CallbackReply.filter())
    router.callback_query.register(scored, RatingScore.filter())
    router.callback_query.register(skipped, CommentSkip.filter())
    router.message.register(commented, Commenting.comment, F.text, ~F.text.startswith("/"))
    router.message.register(comment_hint, Commenting.comment)
    router.message.register(button_hint, StateFilter(None), AwaitingButton())
    router.callback_query.register(category_answered, Report.category, CategoryPick.filter())
    return router


async def show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> int | None:
    """Put `text` in place of the tapped message; one the bot can no longer edit (see
    views/replies.py) gets it as a new message. Answers the id of the message showing it."""
    editable = editable_message_of(query)
    if editable is not None:
        await editable.edit_text(text, reply_markup=markup)
        return editable.message_id
    message = message_of(query)
    if message is None:
        return None
    return (await message.answer(text, reply_markup=markup)).message_id


def question(
    t: Translator, ticket: Ticket, callback_id: int, step: int, scale: int
) -> tuple[str, InlineKeyboardMarkup]:
    asked = dimensions(ticket.coverage == "paid")
    builder = InlineKeyboard()
    for score, level in enumerate(SCALES[scale], start=1):
        builder.button(
            text=t(f"scale.{level}"), callback_data=RatingScore(callback_id=callback_id, step=step, score=score)
        )
    builder.adjust(1)
    text = t("rating.question", dimension=t(f"dimension.{asked[step]}"), step=step + 1, total=len(asked))
    return text, builder.as_markup()


async def replied(
    query: CallbackQuery,
    callback_data: CallbackReply,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    if callback_data.fixed:
        ticket = await callbacks.still_fixed(services, uow, callback_data.callback_id, query.from_user.id)
        if ticket is None:
            await _stale(query, t)
            return
        text, markup = question(t, ticket, callback_data.callback_id, 0, services.policy.rating_scale)
        await show(query, text, markup)
        return
    ticket = await callbacks.came_back(services, uow, callback_data.callback_id, query.from_user.id)
    if ticket is None:
        await _stale(query, t)
        return
    await notifier.repeat_alert(uow, ticket)
    await show(query, t("callback.came_back", number=ticket.number))


async def scored(
    query: CallbackQuery,
    callback_data: RatingScore,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    callback = await uow.callbacks.get(callback_data.callback_id)
    ticket = await uow.tickets.get(callback.ticket_id) if callback else None
    asked = dimensions(ticket.coverage == "paid") if ticket else []
    scale = services.policy.rating_scale
    if (
        callback is None
        or ticket is None
        or not 0 <= callback_data.step < len(asked)
        or not 1 <= callback_data.score <= scale
    ):
        await _stale(query, t)
        return
    if not await callbacks.rate(
        services, uow, callback.id, query.from_user.id, asked[callback_data.step], callback_data.score
    ):
        return  # a second tap on a question already answered
    if callback_data.step + 1 < len(asked):
        text, markup = question(t, ticket, callback.id, callback_data.step + 1, scale)
        await show(query, text, markup)
        return
    message = message_of(query)
    if message is None:
        return
    # answered with the last tap: an unhappy owner is reported now, comment or not
    await _finish(services, uow, notifier, callback.id)
    await state.set_state(Commenting.comment)
    await state.update_data(callback_id=callback.id, message_id=message.message_id)
    skip = InlineKeyboard().button(text=t("button.skip"), callback_data=CommentSkip(callback_id=callback.id))
    shown = await show(query, t("rating.ask_comment"), skip.as_markup())
    if shown is not None and shown != message.message_id:  # asked anew: that message holds Skip now
        await state.update_data(message_id=shown)


async def skipped(
    query: CallbackQuery,
    callback_data: CommentSkip,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    await state.clear()
    callback = await uow.callbacks.get(callback_data.callback_id)
    if callback is None or callback.status not in ("rating", "answered"):
        await _stale(query, t)
        return
    await _finish(services, uow, notifier, callback.id)  # already answered: nothing more to do
    await show(query, t("rating.thanks"))


async def commented(
    message: Message,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    bot: Bot,
) -> None:
    text = (message.text or "").strip()  # registered with F.text: there is always a text
    if len(text) > MAX_COMMENT:
        await message.answer(t("report.too_long", max=MAX_COMMENT, length=len(text)))
        return
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    await _finish(services, uow, notifier, data["callback_id"])  # a rating begun before the last tap answered it
    ticket = await callbacks.add_comment(uow, data["callback_id"], text)
    if ticket is None:
        return  # a retry: the comment is already kept
    if ticket.unhappy_since is not None:
        await notifier.unhappy_comment(uow, ticket, text)
    await bot.edit_message_text(
        chat_id=message.chat.id, message_id=data["message_id"], text=t("rating.comment_received")
    )  # its Skip button goes
    await message.answer(t("rating.thanks"))


async def comment_hint(message: Message, t: Translator) -> None:
    await message.answer(t("rating.ask_comment"))


async def category_answered(
    query: CallbackQuery,
    callback_data: CategoryPick,
    state: FSMContext,
    t: Translator,
    units,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    """A category keyboard answers once: its buttons go with the answer, and one already
    answered (its buttons gone, as an old client may still show them) is no longer current."""
    if isinstance(query.message, Message) and query.message.reply_markup is None:
        await _stale(query, t)
        return
    await report.category_picked(query, callback_data, state, t, units, config, services, uow)
    await tidy(query)


async def button_hint(message: Message, hint: str, t: Translator) -> None:
    await message.answer(t(hint))


async def _stale(query: CallbackQuery, t: Translator) -> None:
    message = message_of(query)
    if message is not None:
        await message.answer(t("error.stale_button"))


async def _finish(services: Services, uow: UnitOfWork, notifier: Notifier, callback_id: int) -> bool:
    """Record the answers; an owner who is not satisfied is reported at once, on the same
    ladder (and with the same once-only keys) the clock climbs later."""
    result = await callbacks.finish_rating(services, uow, callback_id, services.policy.rating_scale)
    if result is None:
        return False
    ticket, unhappy, _ = result
    if unhappy:
        now = services.clock.now()
        for notice in due_notices(ticket, now, services.policy):
            if notice.kind is NoticeKind.UNHAPPY and await uow.tickets.note(ticket.id, notice.key, now):
                role = notice.ladder_step.role
                await notifier.unhappy_alert(uow, ticket, role, notifier.people(role))
    return True
