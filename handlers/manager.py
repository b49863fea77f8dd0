"""The managers' screens: binding requests, jobs to assign by hand, and /bind in a group.
Only users listed in staff.managers pass the router's filter; everybody else who presses
these buttons is refused politely by `refusals`."""
from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import CallbackQuery, Message, User

from bot.config import Config
from bot.i18n import Translator
from bot.notifier import Notifier
from domain.tickets import EventKind
from handlers import keyboards
from handlers import render
from handlers.callbacks import AssignTo, BindingDecision, DateApproval
from services import job_flow
from services.binding import decide_binding
from services.context import Services
from storage.unit_of_work import UnitOfWork


class IsManager(Filter):
    async def __call__(self, event, event_from_user: User, config: Config) -> bool:
        return event_from_user.id in config.staff.managers


def setup() -> Router:
    router = Router(name="manager")
    router.message.filter(IsManager())
    router.callback_query.filter(IsManager())
    router.callback_query.register(binding_decided, BindingDecision.filter())
    router.callback_query.register(assign, AssignTo.filter())
    router.callback_query.register(approve_date, DateApproval.filter())
    router.message.register(bind_group, Command("bind"), F.chat.type.in_({"group", "supergroup"}))
    router.message.register(bind_elsewhere, Command("bind"))
    return router


def refusals() -> Router:
    router = Router(name="manager-refusals")
    for button in (BindingDecision, AssignTo, DateApproval):
        router.callback_query.register(refuse_button, button.filter(), flags={"callback_answer": {"disabled": True}})
    router.message.register(refuse_command, Command("bind"))
    return router


async def refuse_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("manager.only_managers"), show_alert=True)


async def refuse_command(message: Message, t: Translator) -> None:
    await message.reply(t("manager.only_managers"))


async def binding_decided(query: CallbackQuery, callback_data: BindingDecision, services: Services,
                          uow: UnitOfWork, group_t: Translator, notifier: Notifier) -> None:
    request = await decide_binding(services, uow, callback_data.request_id, callback_data.approve, query.from_user.id)
    if request is None:
        await query.message.answer(group_t("manager.already_decided"))
        return
    unit = await uow.owners.unit_by_id(request.unit_id)
    owner = request.telegram_user_id
    if callback_data.approve:
        await notifier.tell(uow, owner, "binding.approved", markup_for=keyboards.main_menu, units=unit.label)
    else:
        await notifier.tell(uow, owner, "binding.rejected")
    await uow.commit()
    verdict = "manager.approved" if callback_data.approve else "manager.rejected"
    await query.message.edit_text(f"{query.message.text}\n\n{group_t(verdict, manager=query.from_user.full_name)}")


async def assign(query: CallbackQuery, callback_data: AssignTo, services: Services, uow: UnitOfWork,
                 notifier: Notifier, group_t: Translator, config: Config) -> None:
    if config.contractor(callback_data.contractor) is None:
        await query.message.answer(group_t("error.stale_button"))
        return
    if not await uow.tickets.assign(callback_data.ticket_id, callback_data.contractor):
        await query.message.answer(group_t("manager.cannot_assign"))
        return
    now = services.clock.now()
    await uow.tickets.record(callback_data.ticket_id, EventKind.ASSIGNED, now, query.from_user.id,
                             contractor=callback_data.contractor)
    ticket = await uow.tickets.get(callback_data.ticket_id)
    await notifier.dispatch(uow, ticket)
    await uow.commit()
    await query.message.edit_text(f"{query.message.text}\n\n" + group_t(
        "manager.assigned", contractor=notifier.contractor_name(ticket.contractor_code),
        manager=query.from_user.full_name))


async def bind_group(message: Message, command: CommandObject, config: Config, services: Services,
                     uow: UnitOfWork, t: Translator) -> None:
    code = (command.args or "").strip()
    contractor = config.contractor(code)
    codes = ", ".join(f"{c.code} ({c.name})" for c in config.contractors)
    if contractor is None:
        await message.reply(t("manager.bind_usage", codes=codes))
        return
    await uow.chats.bind_group(message.chat.id, message.chat.title or "", code, services.clock.now())
    await uow.commit()
    await message.reply(t("manager.bound", contractor=contractor.name))


async def bind_elsewhere(message: Message, t: Translator) -> None:
    await message.answer(t("manager.bind_in_group"))


async def approve_date(query: CallbackQuery, callback_data: DateApproval, services: Services, uow: UnitOfWork,
                       notifier: Notifier, group_t: Translator) -> None:
    step = await job_flow.agree_new_date(services, uow, callback_data.ticket_id, query.from_user.id, "manager")
    if not step.ok:
        await query.message.answer(group_t("manager.date_already_decided"))
        return
    ticket = step.ticket
    until = render.when(ticket.resolve_by, services.tz)
    await notifier.tell(uow, ticket.owner_user_id, "owner.new_date_approved", ticket, number=ticket.number, until=until)
    await notifier.panel(uow, ticket, "parts.date_agreed")
    await uow.commit()
    await query.message.edit_text(f"{query.message.text}\n\n" + group_t(
        "manager.date_approved", manager=query.from_user.full_name, until=until))
