"""Managers approve: owners the roster did not know, jobs to assign, new dates, /bind."""

from aiogram.filters import CommandObject
from aiogram.types import CallbackQuery, Message

from handlers.manager.decisions import note_decision, replace_text
from services import callbacks, job_flow, management
from services.binding import contractors_of_group, decide_binding
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import keyboards, render
from views.buttons import AssignTo, BindingDecision, DateApproval, ManagerVisit
from views.i18n import Translator
from views.keyboards import GroupRebind
from views.notifier import Notifier
from views.replies import message_of


async def binding_decided(
    query: CallbackQuery,
    callback_data: BindingDecision,
    services: Services,
    uow: UnitOfWork,
    group_t: Translator,
    notifier: Notifier,
) -> None:
    message = message_of(query)
    if message is None:
        return
    request = await decide_binding(services, uow, callback_data.request_id, callback_data.approve, query.from_user.id)
    if request is None:
        await message.answer(group_t("manager.already_decided"))
        return
    unit = await uow.owners.unit_by_id(request.unit_id)
    owner = request.telegram_user_id
    if callback_data.approve:
        label = unit.label if unit else "—"  # a unit the roster has since dropped
        await notifier.tell(uow, owner, "binding.approved", markup_for=keyboards.main_menu, units=label)
    else:
        await notifier.tell(uow, owner, "binding.rejected")
    verdict = "manager.approved" if callback_data.approve else "manager.rejected"
    await note_decision(query, group_t(verdict, manager=query.from_user.full_name))


async def assign(
    query: CallbackQuery,
    callback_data: AssignTo,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    group_t: Translator,
    config: Config,
) -> None:
    """A job nobody could be found for, or one taken away from whoever had it."""
    message = message_of(query)
    if message is None:
        return
    if config.contractor(callback_data.contractor) is None:
        await message.answer(group_t("error.stale_button"))
        return
    before = await uow.tickets.get(callback_data.ticket_id)
    ticket = await management.reassign(
        services, uow, callback_data.ticket_id, callback_data.contractor, query.from_user.id
    )
    if ticket is None or before is None:
        await message.answer(group_t("manager.cannot_assign"))
        return
    if before.engineer_user_id:
        await notifier.tell(uow, before.engineer_user_id, "job.reassigned_away", number=ticket.number)
        await notifier.mark_card(
            uow, before, group_t("card.reassigned", contractor=notifier.contractor_name(ticket.contractor_code))
        )
    await notifier.dispatch(uow, ticket)
    await note_decision(
        query,
        group_t(
            "manager.assigned",
            contractor=notifier.contractor_name(ticket.contractor_code),
            manager=query.from_user.full_name,
        ),
    )


async def bind_group(
    message: Message, command: CommandObject, config: Config, services: Services, uow: UnitOfWork, t: Translator
) -> None:
    code = (command.args or "").strip()
    contractor = config.contractor(code)
    codes = ", ".join(f"{c.code} ({c.name})" for c in config.contractors)
    if contractor is None:
        await message.reply(t("manager.bind_usage", codes=codes))
        return
    current = await contractors_of_group(services, uow, message.chat.id, [c.code for c in config.contractors])
    if code in current:
        await message.reply(t("manager.already_bound", contractor=contractor.name))
        return
    if current:  # the group serves another contractor: its cards would stop coming here
        names = _names(config, current)
        await message.reply(
            t("manager.rebind_confirm", current=names, contractor=contractor.name),
            reply_markup=keyboards.group_rebind(t, code, contractor.name, names),
        )
        return
    await uow.chats.bind_group(message.chat.id, message.chat.title or "", code, services.clock.now())
    await message.reply(t("manager.bound", contractor=contractor.name))


async def rebind_decided(
    query: CallbackQuery,
    callback_data: GroupRebind,
    config: Config,
    services: Services,
    uow: UnitOfWork,
    t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    contractor = config.contractor(callback_data.contractor)
    chat = message.chat
    if contractor is None or chat.type not in ("group", "supergroup"):
        await message.answer(t("error.stale_button"))
        return
    if not callback_data.confirm:
        current = await contractors_of_group(services, uow, chat.id, [c.code for c in config.contractors])
        await replace_text(query, t("manager.rebind_kept", contractor=_names(config, current) or "—"))
        return
    await uow.chats.bind_group(chat.id, chat.title or "", contractor.code, services.clock.now())
    await replace_text(query, t("manager.bound", contractor=contractor.name))


def _names(config: Config, codes: list[str]) -> str:
    """The contractors' names, in the config's order (codes come from the config)."""
    return ", ".join(c.name for c in config.contractors if c.code in codes)


async def bind_elsewhere(message: Message, t: Translator) -> None:
    await message.answer(t("manager.bind_in_group"))


async def approve_date(
    query: CallbackQuery,
    callback_data: DateApproval,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    group_t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    step = await job_flow.agree_new_date(services, uow, callback_data.ticket_id, query.from_user.id, "manager")
    ticket = step.ticket
    if not step.ok or ticket is None:
        await message.answer(group_t("manager.date_already_decided"))
        return
    until = render.when(ticket.resolve_by, services.tz)
    await notifier.tell(uow, ticket.owner_user_id, "owner.new_date_approved", ticket, number=ticket.number, until=until)
    await notifier.panel(uow, ticket, "parts.date_agreed")
    await note_decision(query, group_t("manager.date_approved", manager=query.from_user.full_name, until=until))


async def visited(
    query: CallbackQuery,
    callback_data: ManagerVisit,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    group_t: Translator,
) -> None:
    """The repair manager looked at the repeat repair: now it goes back to a contractor."""
    message = message_of(query)
    if message is None:
        return
    ticket = await callbacks.manager_visited(services, uow, callback_data.ticket_id, query.from_user.id)
    if ticket is None:
        await message.answer(group_t("manager.not_open"))
        return
    await notifier.dispatch(uow, ticket)
    await note_decision(
        query,
        group_t(
            "manager.visited",
            manager=query.from_user.full_name,
            contractor=notifier.contractor_name(ticket.contractor_code),
        ),
    )
