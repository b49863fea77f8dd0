"""/evidence N: the ticket's evidence pack as a ZIP, for managers and for the engineers of
the contractor responsible for the job (its engineer, or its contractor's group)."""

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from domain.tickets import Ticket, id_from_number, names_ticket
from services.context import Services
from services.evidence_pack import evidence_pack
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import render
from views.i18n import Translator
from views.notifier import Notifier
from views.replies import sender_of


def setup() -> Router:
    router = Router(name="evidence")
    router.message.register(evidence, Command("evidence"))
    return router


async def _may_see(message: Message, ticket: Ticket, services: Services, uow: UnitOfWork, config: Config) -> bool:
    sender = sender_of(message)
    if sender is None:  # an anonymous admin or a channel: nobody to check
        return False
    user = sender.id
    if user in config.staff.managers or (ticket.engineer_user_id is not None and ticket.engineer_user_id == user):
        return True
    group = await services.contractor_chat(uow, ticket.contractor_code) if ticket.contractor_code else None
    return group is not None and group == message.chat.id


async def evidence(
    message: Message,
    command: CommandObject,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    config: Config,
    t: Translator,
) -> None:
    ticket_id = id_from_number(command.args or "")
    ticket = await uow.tickets.get(ticket_id) if ticket_id else None
    if ticket is None or not names_ticket(command.args or "", ticket.number):
        await message.answer(t("evidence.usage"))
        return
    if not await _may_see(message, ticket, services, uow, config):
        await message.answer(t("evidence.refused"))
        return
    names = {c.code: c.name for c in config.contractors}
    history = await uow.tickets.history(ticket.id)
    lines = [render.history_line(t, event, services.tz, names) for event in history]
    facts = [
        (t("evidence.ticket"), render.number(t, ticket.number)),
        (t("evidence.category"), render.category(t, ticket.category)),
        (t("evidence.place"), render.place(t, ticket.place, notifier.block_name(ticket.place.block))),
        (t("evidence.status"), render.status(t, ticket)),
        (t("evidence.contractor"), notifier.contractor_name(ticket.contractor_code)),
        (t("evidence.engineer"), ticket.engineer_name or "—"),
        (t("evidence.filed"), notifier.when(ticket.filed_at)),
        (t("evidence.done"), notifier.when(ticket.done_at)),
        (t("evidence.description"), ticket.description),
    ]
    content, packed = await evidence_pack(uow, ticket, facts, lines)
    caption = t("evidence.caption", number=ticket.number, photos=len(packed), events=len(history))
    await message.answer_document(BufferedInputFile(content, f"evidence-{ticket.number}.zip"), caption=caption)
