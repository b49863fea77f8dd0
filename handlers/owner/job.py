"""The owner's part in a job under way: picking a visit time, agreeing to a later date,
and saying whether it is fixed (docs/rules.md)."""

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, ReplyKeyboardMarkup

from domain.tickets import Ticket
from handlers.owner.filters import BoundOwner
from services import callbacks, job_flow, quotes
from services.context import Services
from storage.unit_of_work import UnitOfWork
from views import job_panel, keyboards, render
from views.buttons import FixedAnswer, NewDateAnswer, QuoteAnswer, VisitChoice
from views.i18n import Translator
from views.keyboards import tidy
from views.notifier import Notifier
from views.replies import message_of, sender_of

MAX_WORDS = 1000
QUOTE_NOTES = {"accept": "quote.accepted", "decline": "quote.declined", "dispute": "quote.disputed"}


class NotFixed(StatesGroup):
    words = State()


def setup() -> Router:
    router = Router(name="owner-job")
    router.callback_query.filter(BoundOwner())
    router.message.filter(BoundOwner())
    router.callback_query.register(visit_chosen, VisitChoice.filter())
    router.callback_query.register(new_date_answered, NewDateAnswer.filter())
    router.callback_query.register(fixed_answered, FixedAnswer.filter())
    router.callback_query.register(quote_answered, QuoteAnswer.filter())
    router.message.register(not_fixed_words, NotFixed.words, F.text, ~F.text.startswith("/"))  # a command is no answer
    router.message.register(words_hint, NotFixed.words)
    return router


async def _moved(query: CallbackQuery, step: job_flow.Step, t: Translator) -> Ticket | None:
    """The ticket the step moved; None when it was refused: an old question (answered, or
    overtaken by the job) says where the job stands now."""
    if step.ok and step.ticket is not None:
        return step.ticket
    await _stale(query, t, step.ticket)
    return None


async def _stale(query: CallbackQuery, t: Translator, ticket: Ticket | None) -> None:
    """Where the owner's job stands now; of a ticket that is not theirs (forged data), nothing."""
    message = message_of(query)
    if message is None:
        return
    if ticket is None or ticket.owner_user_id != query.from_user.id:
        await message.answer(t("error.stale_button"))
    else:
        await message.answer(t("error.stale_job", number=ticket.number, status=render.status(t, ticket)))


async def _answer(query: CallbackQuery, text: str, markup: ReplyKeyboardMarkup | None = None) -> None:
    """The owner hears how their tap went, in the chat of the tapped message."""
    message = message_of(query)
    if message is not None:
        await message.answer(text, reply_markup=markup)


async def visit_chosen(
    query: CallbackQuery,
    callback_data: VisitChoice,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    if callback_data.minute:
        slot = job_panel.from_minute(callback_data.minute)
        step = await job_flow.agree_visit(services, uow, callback_data.ticket_id, query.from_user.id, slot)
    else:
        step = await job_flow.ask_other_time(services, uow, callback_data.ticket_id, query.from_user.id)
    ticket = await _moved(query, step, t)
    if ticket is None:
        return
    when = render.when(ticket.visit_at, services.tz)
    if callback_data.minute:
        await notifier.panel(uow, ticket, "visit.agreed", at=when)
    else:
        await notifier.panel(uow, ticket, "visit.other_time")
    await notifier.mirror(uow, ticket)
    await tidy(query)
    if callback_data.minute:
        await _answer(query, t("owner.visit_agreed", at=when, engineer=ticket.engineer_name))
    else:
        await _answer(query, t("owner.other_time_sent"))


async def new_date_answered(
    query: CallbackQuery,
    callback_data: NewDateAnswer,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    group_t: Translator,
) -> None:
    if callback_data.agree:
        step = await job_flow.agree_new_date(services, uow, callback_data.ticket_id, query.from_user.id, "owner")
    else:
        step = await job_flow.refuse_new_date(services, uow, callback_data.ticket_id, query.from_user.id)
    ticket = await _moved(query, step, t)
    if ticket is None:
        return
    if callback_data.agree:
        await notifier.panel(uow, ticket, "parts.date_agreed")
    else:
        await notifier.alert(uow, group_t("alert.new_date_refused", number=ticket.number), ticket=ticket)
    await tidy(query)
    if callback_data.agree:
        await _answer(query, t("owner.new_date_agreed", until=render.when(ticket.resolve_by, services.tz)))
    else:
        await _answer(query, t("owner.new_date_refused"))


async def fixed_answered(
    query: CallbackQuery,
    callback_data: FixedAnswer,
    state: FSMContext,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    if not callback_data.fixed:
        ticket = await uow.tickets.get(callback_data.ticket_id)
        if ticket is None or ticket.owner_user_id != query.from_user.id or ticket.status != "done":
            await _stale(query, t, ticket)
            return
        await state.set_state(NotFixed.words)
        await state.update_data(ticket_id=ticket.id)
        await _answer(query, t("owner.ask_not_fixed"))
        return
    step = await job_flow.confirm_fixed(services, uow, callback_data.ticket_id, query.from_user.id)
    confirmed = await _moved(query, step, t)
    if confirmed is None:
        return
    await callbacks.schedule_after_confirmation(services, uow, confirmed, services.clock.now())
    await notifier.panel(uow, confirmed, "finish.confirmed")
    await notifier.mirror(uow, confirmed)
    await tidy(query)
    await _answer(query, t("owner.thanks_fixed"), keyboards.main_menu(t))


async def not_fixed_words(
    message: Message, state: FSMContext, services: Services, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    owner = sender_of(message)
    if owner is None:
        return
    text = message.text or ""  # registered with F.text: there is always a text
    if len(text) > MAX_WORDS:
        await message.answer(t("report.too_long", max=MAX_WORDS, length=len(text)))
        return
    words = text.strip()
    data = await state.get_data()
    await state.clear()  # before the step's write: the conversation store is another connection
    step = await job_flow.report_not_fixed(services, uow, data["ticket_id"], owner.id, words)
    if not step.ok or step.ticket is None:
        await message.answer(t("error.stale_button"))
        return
    await notifier.panel(uow, step.ticket, "finish.not_fixed", words=words)
    await notifier.mirror(uow, step.ticket)
    await message.answer(t("owner.reopened", number=step.ticket.number))


async def words_hint(message: Message, t: Translator) -> None:
    await message.answer(t("owner.ask_not_fixed"))


async def quote_answered(
    query: CallbackQuery,
    callback_data: QuoteAnswer,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
    group_t: Translator,
) -> None:
    ticket = await quotes.answer(services, uow, callback_data.ticket_id, query.from_user.id, callback_data.choice)
    if ticket is None:
        await _stale(query, t, None)
        return
    if callback_data.choice == "dispute":
        await notifier.alert(
            uow,
            group_t("alert.quote_disputed", number=ticket.number, quote=ticket.quote, engineer=ticket.engineer_name),
            notifier.manager_buttons(ticket),
            ticket,
        )
    await notifier.panel(uow, ticket, QUOTE_NOTES[callback_data.choice])
    if callback_data.choice == "decline":
        await notifier.mirror(uow, ticket)
    await tidy(query)
    await _answer(query, t(f"owner.quote_{callback_data.choice}"))
