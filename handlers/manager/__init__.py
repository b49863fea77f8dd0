"""The managers' screens. Only users listed in staff.managers pass the router's filter;
everybody else who presses these buttons or sends these commands is refused politely."""

from aiogram import F, Router
from aiogram.filters import Command, Filter
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from domain.roles import Duty, may
from handlers.manager import approvals, complaints, reports, survey, ticket_actions, tickets
from settings.config import Config
from views.buttons import (
    AssignTo,
    BindingDecision,
    ComplaintAction,
    ComplaintSeverityPick,
    DateApproval,
    ManagerTicket,
    ManagerVisit,
    UrgencyPick,
)
from views.i18n import Translator
from views.keyboards import GroupRebind
from views.notifier import Notifier

COMMANDS = ("bind", "overdue", "open", "ticket", "rain", "stats", "survey")


class IsManager(Filter):
    async def __call__(self, event: TelegramObject, event_from_user: User, config: Config) -> bool:
        return event_from_user.id in config.staff.managers


class May(Filter):
    """The presser's roles allow this duty (domain/roles.py): the ladder's people who are
    not managers may read a job from their alert, nothing more."""

    def __init__(self, duty: Duty) -> None:
        self.duty = duty

    async def __call__(self, event: TelegramObject, event_from_user: User, notifier: Notifier) -> bool:
        return may(notifier.roles_of(event_from_user.id), self.duty)


def setup() -> Router:
    router = Router(name="manager")
    router.message.filter(IsManager())
    router.callback_query.filter(IsManager())
    router.callback_query.register(approvals.binding_decided, BindingDecision.filter())
    router.callback_query.register(approvals.assign, AssignTo.filter())
    router.callback_query.register(approvals.approve_date, DateApproval.filter())
    router.callback_query.register(approvals.visited, ManagerVisit.filter())
    router.callback_query.register(approvals.rebind_decided, GroupRebind.filter())
    router.message.register(approvals.bind_group, Command("bind"), F.chat.type.in_({"group", "supergroup"}))
    router.message.register(approvals.bind_elsewhere, Command("bind"))
    router.include_routers(tickets.setup(), ticket_actions.setup(), complaints.setup(), reports.setup(), survey.setup())
    return router


def ladder() -> Router:
    """After the managers' router: what the other people of the ladder may press."""
    router = Router(name="ladder")
    router.callback_query.register(tickets.show, ManagerTicket.filter(F.action == Duty.OPEN), May(Duty.OPEN))
    return router


def refusals() -> Router:
    router = Router(name="manager-refusals")
    for button in (
        BindingDecision,
        AssignTo,
        DateApproval,
        ManagerTicket,
        UrgencyPick,
        ManagerVisit,
        ComplaintAction,
        ComplaintSeverityPick,
        GroupRebind,
    ):
        router.callback_query.register(refuse_button, button.filter(), flags={"callback_answer": {"disabled": True}})
    router.message.register(refuse_command, Command(*COMMANDS))
    router.message.register(refuse_command, reports.ASKS_FOR_A_REPORT)
    return router


async def refuse_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("manager.only_managers"), show_alert=True)


async def refuse_command(message: Message, t: Translator) -> None:
    await message.reply(t("manager.only_managers"))
