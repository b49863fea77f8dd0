"""The managers' screens. Only users listed in staff.managers pass the router's filter;
everybody else who presses these buttons or sends these commands is refused politely."""

from aiogram import F, Router
from aiogram.filters import Command, Filter
from aiogram.types import CallbackQuery, Message, User

from handlers.manager import approvals, complaints, survey, tickets
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

COMMANDS = ("bind", "overdue", "open", "ticket", "rain", "stats")


class IsManager(Filter):
    async def __call__(self, event, event_from_user: User, config: Config) -> bool:
        return event_from_user.id in config.staff.managers


def setup() -> Router:
    router = Router(name="manager")
    router.message.filter(IsManager())
    router.callback_query.filter(IsManager())
    router.callback_query.register(approvals.binding_decided, BindingDecision.filter())
    router.callback_query.register(approvals.assign, AssignTo.filter())
    router.callback_query.register(approvals.approve_date, DateApproval.filter())
    router.callback_query.register(approvals.visited, ManagerVisit.filter())
    router.message.register(approvals.bind_group, Command("bind"), F.chat.type.in_({"group", "supergroup"}))
    router.message.register(approvals.bind_elsewhere, Command("bind"))
    router.include_routers(tickets.setup(), complaints.setup(), survey.setup())
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
    ):
        router.callback_query.register(refuse_button, button.filter(), flags={"callback_answer": {"disabled": True}})
    router.message.register(refuse_command, Command(*COMMANDS))
    return router


async def refuse_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("manager.only_managers"), show_alert=True)


async def refuse_command(message: Message, t: Translator) -> None:
    await message.reply(t("manager.only_managers"))
