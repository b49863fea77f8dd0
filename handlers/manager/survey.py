"""/survey: a manager chooses who is asked, what is asked and until when, and the bot asks
every owner in scope; the live figures stay in one message of the managers' chat."""

from datetime import date, datetime, time

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from domain.surveys import LONGEST_OPEN, QUESTIONS, Scope
from services import surveys
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.notifier import Notifier
from views.replies import ask_again, ask_to_type, editable_message_of, message_of
from views.survey_report import close, send_files
from views.surveys import SurveyClose, ask, show_progress


class SurveySetup(StatesGroup):
    choosing = State()
    closes = State()
    confirming = State()


class SurveyPick(CallbackData, prefix="svset"):
    action: str  # all, moved_in, block, question, suggestion, next, send, cancel
    value: str = ""


def setup() -> Router:
    router = Router(name="manager-survey")
    router.message.register(begin, Command("survey"))
    router.callback_query.register(picked, SurveyPick.filter(F.action.in_({"all", "moved_in", "block"})))
    router.callback_query.register(toggled, SurveyPick.filter(F.action.in_({"question", "suggestion"})))
    router.callback_query.register(ask_closing_date, SurveyPick.filter(F.action == "next"))
    router.callback_query.register(cancelled, SurveyPick.filter(F.action == "cancel"))
    router.callback_query.register(send, SurveyPick.filter(F.action == "send"))
    router.callback_query.register(close_now, SurveyClose.filter())
    router.message.register(closing_date, SurveySetup.closes, F.text, ~F.text.startswith("/"))
    return router


def _draft_keyboard(t: Translator, config: Config, draft: dict, months: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()

    def mark(on: bool) -> str:
        return "✅ " if on else "▫️ "

    builder.button(text=mark(draft["kind"] == "all") + t("survey.scope_all"), callback_data=SurveyPick(action="all"))
    for block in config.blocks:
        chosen = draft["kind"] == "blocks" and block.code in draft["blocks"]
        builder.button(text=mark(chosen) + block.name, callback_data=SurveyPick(action="block", value=block.code))
    builder.button(
        text=mark(draft["kind"] == "moved_in") + t("survey.scope_moved_in", months=months),
        callback_data=SurveyPick(action="moved_in"),
    )
    for dimension in QUESTIONS:
        on = dimension in draft["questions"]
        builder.button(
            text=mark(on) + t(f"dimension.{dimension}"), callback_data=SurveyPick(action="question", value=dimension)
        )
    builder.button(
        text=mark(draft["suggestion"]) + t("survey.question_suggestion"), callback_data=SurveyPick(action="suggestion")
    )
    builder.button(text=t("button.next"), callback_data=SurveyPick(action="next"))
    builder.button(text=t("button.cancel"), callback_data=SurveyPick(action="cancel"))
    builder.adjust(1)
    return builder.as_markup()


async def _say(query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer into the chat of the tapped message."""
    message = message_of(query)
    if message is not None:
        await message.answer(text, reply_markup=reply_markup)


async def _edit(query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Change the tapped message; a message Telegram no longer shows the bot is sent anew."""
    message = editable_message_of(query)
    if message is None:
        await _say(query, text, reply_markup)
        return
    await message.edit_text(text, reply_markup=reply_markup)


def _chat_of(query: CallbackQuery) -> int:
    message = message_of(query)
    return message.chat.id if message is not None else query.from_user.id


async def begin(message: Message, state: FSMContext, services: Services, config: Config, t: Translator) -> None:
    draft = {"kind": "all", "blocks": [], "questions": [str(d) for d in QUESTIONS], "suggestion": True}
    await state.set_state(SurveySetup.choosing)
    await state.update_data(survey=draft)
    months = services.policy.survey_move_in_months
    await message.answer(t("survey.setup"), reply_markup=_draft_keyboard(t, config, draft, months))


async def _draft(query: CallbackQuery, state: FSMContext, t: Translator) -> dict | None:
    if await state.get_state() != SurveySetup.choosing.state:
        await _say(query, t("error.stale_button"))
        return None
    return (await state.get_data())["survey"]


async def _redraw(
    query: CallbackQuery, state: FSMContext, draft: dict, services: Services, config: Config, t: Translator
) -> None:
    await state.update_data(survey=draft)
    markup = _draft_keyboard(t, config, draft, services.policy.survey_move_in_months)
    await _edit(query, t("survey.setup"), reply_markup=markup)


async def picked(
    query: CallbackQuery,
    callback_data: SurveyPick,
    state: FSMContext,
    services: Services,
    config: Config,
    t: Translator,
) -> None:
    draft = await _draft(query, state, t)
    if draft is None:
        return
    if callback_data.action == "block" and config.block(callback_data.value) is not None:
        blocks = set(draft["blocks"]) if draft["kind"] == "blocks" else set()
        blocks ^= {callback_data.value}
        draft["kind"], draft["blocks"] = ("blocks", sorted(blocks)) if blocks else ("all", [])
    elif callback_data.action in ("all", "moved_in"):
        draft["kind"], draft["blocks"] = callback_data.action, []
    await _redraw(query, state, draft, services, config, t)


async def toggled(
    query: CallbackQuery,
    callback_data: SurveyPick,
    state: FSMContext,
    services: Services,
    config: Config,
    t: Translator,
) -> None:
    draft = await _draft(query, state, t)
    if draft is None:
        return
    if callback_data.action == "suggestion":
        draft["suggestion"] = not draft["suggestion"]
    elif callback_data.value in QUESTIONS:
        chosen = set(draft["questions"]) ^ {callback_data.value}
        draft["questions"] = [str(d) for d in QUESTIONS if d in chosen]
    await _redraw(query, state, draft, services, config, t)


async def ask_closing_date(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    draft = await _draft(query, state, t)
    if draft is None:
        return
    if not draft["questions"]:
        await _say(query, t("survey.no_questions"))
        return
    message = message_of(query)
    if message is None:
        return
    await state.set_state(SurveySetup.closes)
    # a new message with a forced reply, not an edit: in a group with privacy mode on the
    # date comes to the bot only as a reply to it; the draft keeps its text, not its buttons
    await ask_to_type(message, t("survey.ask_closes"), query.from_user)
    draft_message = editable_message_of(query)
    if draft_message is not None:
        await draft_message.edit_reply_markup(reply_markup=None)


async def cancelled(query: CallbackQuery, state: FSMContext, t: Translator) -> None:
    await state.clear()
    await _edit(query, t("survey.cancelled"))


def _scope(draft: dict, services: Services) -> Scope:
    return Scope(draft["kind"], tuple(draft["blocks"]), services.policy.survey_move_in_months)


async def closing_date(message: Message, state: FSMContext, services: Services, uow: UnitOfWork, t: Translator) -> None:
    today = services.clock.now().astimezone(services.tz).date()
    try:
        closes = date.fromisoformat((message.text or "").strip())
    except ValueError:
        await ask_again(message, t("survey.bad_date"))
        return
    if closes <= today:
        await ask_again(message, t("survey.date_past"))
        return
    if closes > today + LONGEST_OPEN:
        await ask_again(message, t("survey.date_far", latest=(today + LONGEST_OPEN).isoformat()))
        return
    draft = (await state.get_data())["survey"]
    owners = await surveys.owners_in_scope(services, uow, _scope(draft, services), today)
    if not owners:
        await state.clear()
        await message.answer(t("survey.nobody"))
        return
    await state.set_state(SurveySetup.confirming)
    await state.update_data(closes=closes.isoformat())
    send = InlineKeyboard()
    send.button(text=t("button.survey_send"), callback_data=SurveyPick(action="send"))
    send.button(text=t("button.cancel"), callback_data=SurveyPick(action="cancel"))
    summary = t(
        "survey.confirm",
        owners=len(owners),
        questions=", ".join(t(f"dimension.{d}") for d in draft["questions"]),
        closes=closes.isoformat(),
    )
    await message.answer(summary, reply_markup=send.adjust(2).as_markup())


async def send(
    query: CallbackQuery,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    config: Config,
    t: Translator,
) -> None:
    if await state.get_state() != SurveySetup.confirming.state:
        await _say(query, t("error.stale_button"))
        return
    data = await state.get_data()
    await state.clear()  # before the write: a second tap finds no draft to send
    draft, closes = data["survey"], date.fromisoformat(data["closes"])
    closes_at = datetime.combine(closes, time(23, 59), services.tz)
    chat = config.staff.alert_chat_id or _chat_of(query)
    survey, recipients = await surveys.start(
        services,
        uow,
        "manual",
        _scope(draft, services),
        draft["questions"],
        draft["suggestion"],
        closes_at,
        query.from_user.id,
        chat,
    )
    for recipient in recipients:
        await ask(notifier, uow, survey, recipient, 0)
    await show_progress(notifier, uow, survey, await surveys.where_it_stands(services, uow, survey))
    await _edit(query, t("survey.started", id=survey.id, owners=len(recipients)))


async def close_now(
    query: CallbackQuery, callback_data: SurveyClose, uow: UnitOfWork, notifier: Notifier, bot: Bot, t: Translator
) -> None:
    closed = await close(notifier, uow, callback_data.survey_id)
    if closed is None:
        await _say(query, t("survey.already_closed"))
        return
    survey, png, xlsx = closed
    await send_files(bot, survey.progress_chat_id or _chat_of(query), survey, png, xlsx)
