"""Managers and complaints: severity in one tap, taking it in hand, proposing a solution."""

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from domain.complaints import Severity
from handlers.manager.decisions import replace_text
from services import complaints
from services.context import Services
from storage.unit_of_work import UnitOfWork
from views.buttons import ComplaintAction, ComplaintSeverityPick
from views.i18n import Translator
from views.notifier import Notifier
from views.replies import ask_to_type, message_of, sender_of


class Proposing(StatesGroup):
    solution = State()


def setup() -> Router:
    router = Router(name="manager-complaints")
    router.callback_query.register(severity_picked, ComplaintSeverityPick.filter())
    router.callback_query.register(take, ComplaintAction.filter(F.action == "take"))
    router.callback_query.register(ask_solution, ComplaintAction.filter(F.action == "propose"))
    router.message.register(solution_written, Proposing.solution, F.text, ~F.text.startswith("/"))
    return router


async def severity_picked(
    query: CallbackQuery,
    callback_data: ComplaintSeverityPick,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if callback_data.severity not in Severity.__members__.values():
        await message.answer(t("error.stale_button"))
        return
    complaint = await complaints.change_severity(
        services, uow, callback_data.complaint_id, Severity(callback_data.severity)
    )
    if complaint is None:
        await message.answer(t("manager.not_open"))
        return
    await notifier.complaint_to_owner(
        uow,
        complaint,
        "complaint.deadlines_changed",
        answer=notifier.when(complaint.answer_by),
        resolve=notifier.when(complaint.resolve_by),
    )
    await replace_text(query, notifier.complaint_text(complaint, t), notifier.complaint_buttons(complaint))


async def take(
    query: CallbackQuery,
    callback_data: ComplaintAction,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    complaint = await complaints.take_in_hand(services, uow, callback_data.complaint_id, query.from_user.id)
    if complaint is None:
        await message.answer(t("manager.not_open"))
        return
    await notifier.complaint_to_owner(uow, complaint, "complaint.in_hand", manager=query.from_user.full_name)
    await message.answer(t("complaint.taken", number=complaint.number, manager=query.from_user.full_name))


async def ask_solution(query: CallbackQuery, callback_data: ComplaintAction, state: FSMContext, t: Translator) -> None:
    message = message_of(query)
    if message is None:
        return
    await state.set_state(Proposing.solution)
    await state.update_data(complaint_id=callback_data.complaint_id)
    await ask_to_type(message, t("complaint.ask_solution"), query.from_user)


async def solution_written(
    message: Message, state: FSMContext, services: Services, uow: UnitOfWork, notifier: Notifier, t: Translator
) -> None:
    manager = sender_of(message)
    if manager is None:  # sent on behalf of a chat: nobody to act for
        return
    data = await state.get_data()
    await state.clear()  # before the write: the conversation store is another connection
    solution = (message.text or "").strip()[:2000]  # registered with F.text
    complaint = await complaints.propose_solution(services, uow, data["complaint_id"], manager.id, solution)
    if complaint is None:
        await message.answer(t("manager.not_open"))
        return
    await notifier.complaint_to_owner(
        uow, complaint, "complaint.solution", notifier.solution_answers(complaint), solution=solution
    )
    await message.answer(t("complaint.proposed", number=complaint.number))
