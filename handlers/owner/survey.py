"""The owner answers a satisfaction survey: one message edited in place per question, a
tap each; an owner who stops half-way continues with their next tap (on this message or a
reminder), and an answer given once stands."""

import contextlib

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from services import surveys
from services.context import Services
from storage.unit_of_work import UnitOfWork
from views.i18n import Translator
from views.notifier import Notifier
from views.replies import editable_message_of, message_of, sender_of
from views.surveys import SurveyScore, SurveySkip, call_back_unhappy, question, suggestion_prompt

MAX_SUGGESTION = 1000


class Suggesting(StatesGroup):
    text = State()


def setup() -> Router:
    router = Router(name="owner-survey")
    router.callback_query.register(scored, SurveyScore.filter())
    router.callback_query.register(skipped, SurveySkip.filter())
    router.message.register(suggested, Suggesting.text, F.text, ~F.text.startswith("/"))
    return router


async def _show(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """The survey's one message, edited in place; sent anew when Telegram no longer shows
    the old one to the bot (older than 48 hours)."""
    editable = editable_message_of(query)
    if editable is not None:
        with contextlib.suppress(TelegramBadRequest):  # the same text again: nothing to change
            await editable.edit_text(text, reply_markup=markup)
        return
    message = message_of(query)
    if message is not None:
        await message.answer(text, reply_markup=markup)


async def scored(
    query: CallbackQuery,
    callback_data: SurveyScore,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    owner = query.from_user.id
    result = await surveys.answer(
        services, uow, callback_data.recipient_id, owner, callback_data.step, callback_data.score
    )
    if result == "stale":
        message = message_of(query)
        if message is not None:
            await message.answer(t("error.stale_button"))
        return
    if result == "closed":
        await _show(query, t("survey.closed"))
        return
    assert not isinstance(result, str)
    # a return shows in the managers' progress message at the clock's next tick
    # (clock/surveys.py): counted once for all returns since, not over the whole property for each
    if result.returned_now and result.unhappy:
        scores = await surveys.surveys(uow).scores(result.recipient.id)
        await call_back_unhappy(notifier, uow, result.survey, result.recipient, scores)
    if result.next is not None:
        await _show(query, *question(t, result.survey, result.recipient.id, result.next))
    elif result.returned_now and result.survey.suggestion:
        await state.set_state(Suggesting.text)
        tapped = message_of(query)
        await state.update_data(recipient_id=result.recipient.id, message_id=tapped.message_id if tapped else None)
        await _show(query, *suggestion_prompt(t, result.recipient.id))
    elif result.returned_now:
        await _show(query, t("survey.thanks"))
    else:
        await _show(query, t("survey.already_answered"))


async def skipped(query: CallbackQuery, callback_data: SurveySkip, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await _show(query, t("survey.thanks"))


async def suggested(
    message: Message, state: FSMContext, services: Services, uow: UnitOfWork, t: Translator, bot: Bot
) -> None:
    text, owner = (message.text or "").strip(), sender_of(message)
    if owner is None:
        return
    if len(text) > MAX_SUGGESTION:
        await message.answer(t("report.too_long", max=MAX_SUGGESTION, length=len(text)))
        return
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    recipient = await surveys.surveys(uow).recipient(data["recipient_id"])
    if recipient is None or recipient.owner_user_id != owner.id:
        return
    await surveys.surveys(uow).suggest(recipient.id, text)
    if data.get("message_id") is not None:
        with contextlib.suppress(TelegramBadRequest):  # its Skip button goes
            await bot.edit_message_text(
                chat_id=message.chat.id, message_id=data["message_id"], text=t("survey.suggestion_received")
            )
    await message.answer(t("survey.thanks"))
