"""What a satisfaction survey says to owners, to the customer-service manager and to the
managers' chat; queued in the outbox inside the caller's transaction (views/notifier.py)."""

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from domain.satisfaction import SCALES, is_satisfied
from domain.surveys import REACH_TARGET, RETURN_TARGET, BlockProgress, Progress
from storage.surveys import Recipient, Survey, SurveyRepository, ask_key, progress_key
from storage.unit_of_work import UnitOfWork
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.notifier import Notifier


class SurveyScore(CallbackData, prefix="sv"):
    recipient_id: int
    step: int
    score: int


class SurveySkip(CallbackData, prefix="svskip"):
    recipient_id: int


class SurveyClose(CallbackData, prefix="svclose"):
    survey_id: int


def question(t: Translator, survey: Survey, recipient_id: int, step: int) -> tuple[str, InlineKeyboardMarkup]:
    builder = InlineKeyboard()
    for score, level in enumerate(SCALES[survey.scale], start=1):
        builder.button(
            text=t(f"scale.{level}"), callback_data=SurveyScore(recipient_id=recipient_id, step=step, score=score)
        )
    dimension = t(f"dimension.{survey.questions[step]}")
    text = t("survey.question", dimension=dimension, step=step + 1, total=len(survey.questions))
    builder.adjust(1)
    return text, builder.as_markup()


def suggestion_prompt(t: Translator, recipient_id: int) -> tuple[str, InlineKeyboardMarkup]:
    skip = InlineKeyboard().button(text=t("button.skip"), callback_data=SurveySkip(recipient_id=recipient_id))
    return t("survey.ask_suggestion"), skip.as_markup()


async def ask(
    notifier: Notifier, uow: UnitOfWork, survey: Survey, recipient: Recipient, step: int, reminder: bool = False
) -> None:
    """The first ask (its outbox key tells when it reached the owner), or a reminder at the
    question the owner stopped at."""
    t = await notifier.translator_for(uow, recipient.owner_user_id)
    closes = notifier.when(survey.closes_at)
    intro = t("survey.reminder" if reminder else "survey.ask", property=notifier.config.property.name, closes=closes)
    text, markup = question(t, survey, recipient.id, step)
    key = None if reminder else ask_key(survey.id, recipient.id)
    await notifier.say(uow, recipient.owner_user_id, f"{intro}\n\n{text}", markup, coalesce_key=key)


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def _block_line(t: Translator, notifier: Notifier, block: BlockProgress) -> str:
    name = t("survey.all_blocks") if block.block == "*" else notifier.block_name(block.block)
    return t(
        "survey.progress_block",
        mark="✅" if block.on_target else "⚠️",
        block=name,
        units=block.units,
        reached=block.reached,
        reach=_rate(block.reach_rate),
        returned=block.returned,
        back=_rate(block.return_rate),
    )


def progress_text(notifier: Notifier, survey: Survey, figures: Progress, closed: bool = False) -> str:
    t = notifier.t
    lines = [
        t(
            "survey.progress_closed" if closed else "survey.progress",
            id=survey.id,
            closes=notifier.when(survey.closes_at),
            reach_target=f"{REACH_TARGET:g}%",
            return_target=f"{RETURN_TARGET:g}%",
        )
    ]
    lines += [_block_line(t, notifier, block) for block in figures.blocks]
    if len(figures.blocks) > 1:
        lines.append(_block_line(t, notifier, figures.total))
    return "\n".join(lines)


async def show_progress(notifier: Notifier, uow: UnitOfWork, survey: Survey, figures: Progress) -> None:
    """One message in the managers' chat, edited in place whenever the figures change."""
    if survey.progress_chat_id is None:
        return
    closed = survey.status != "open"
    text = progress_text(notifier, survey, figures, closed)
    repository = SurveyRepository(uow.session)
    if not await repository.set_progress_text(survey.id, text):
        return
    markup = None
    if not closed:
        button = InlineKeyboard().button(
            text=notifier.t("button.survey_close"), callback_data=SurveyClose(survey_id=survey.id)
        )
        markup = button.as_markup()
    first = await repository.progress_message(survey.id)
    if first is None:
        await notifier.say(uow, survey.progress_chat_id, text, markup, coalesce_key=progress_key(survey.id))
        return
    # queued or sent, it is edited: a queued one may be in the sender's hands already, and the
    # chat's order puts the edit after it (never a second progress message)
    params: dict = {"card": first[0], "text": text}
    params["reply_markup"] = (markup or InlineKeyboardMarkup(inline_keyboard=[])).model_dump(exclude_none=True)
    await notifier.queue(
        uow, survey.progress_chat_id, "editCard", params, coalesce_key=f"survey:{survey.id}:progress-edit"
    )


async def call_back_unhappy(
    notifier: Notifier, uow: UnitOfWork, survey: Survey, recipient: Recipient, scores: dict[int, int]
) -> None:
    """An owner not satisfied gets a personal callback from the customer-service manager;
    the managers' chat hears of it without the owner's name (views/notifier.py)."""
    t = notifier.t
    low = [
        f"{t(f'dimension.{survey.questions[step]}')}: {t(f'scale.{SCALES[survey.scale][score - 1]}')}"
        for step, score in sorted(scores.items())
        if not is_satisfied(score)
    ]
    units = [unit.label for unit in await uow.owners.bound_units(recipient.owner_user_id)]
    account = await uow.owners.account(recipient.owner_user_id)
    who = f"{account.name} {account.phone or ''}".strip() if account else str(recipient.owner_user_id)
    answers = "; ".join(low)
    people = notifier.people("customer_service_manager")
    for person in people:  # each in his own language; the dimensions and scale words too
        mine = await notifier.translator_for(uow, person)
        theirs = "; ".join(
            f"{mine(f'dimension.{survey.questions[step]}')}: {mine(f'scale.{SCALES[survey.scale][score - 1]}')}"
            for step, score in sorted(scores.items())
            if not is_satisfied(score)
        )
        text = mine("survey.call_back", id=survey.id, owner=who, units=", ".join(units), answers=theirs)
        await notifier.say(uow, person, text)
    await notifier.alert(uow, t("survey.unhappy", id=survey.id, units=", ".join(units), answers=answers))
