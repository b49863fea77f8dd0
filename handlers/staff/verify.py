"""Customer service's check of a finished public-area repair on site: Verified, or Not
fixed (back to the engineer, like an owner's "not fixed"). docs/rules.md, Staff intake."""

from aiogram.types import CallbackQuery

from services import staff_intake
from services.context import Services
from services.staff_intake import Check
from storage.unit_of_work import UnitOfWork
from views.desk import Verify
from views.i18n import Translator
from views.keyboards import tidy
from views.notifier import Notifier
from views.replies import message_of

ANSWERS = {
    Check.VERIFIED: "desk.verified",
    Check.REOPENED: "desk.reopened",
    Check.NOT_FIXED_CLOSED: "desk.not_fixed_closed",
}


async def verified(
    query: CallbackQuery,
    callback_data: Verify,
    t: Translator,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
) -> None:
    message = message_of(query)
    if message is None:
        return
    checked = await staff_intake.verify(services, uow, callback_data.ticket_id, query.from_user.id, callback_data.fixed)
    ticket = checked.ticket
    if ticket is None or checked.outcome is Check.NOT_NOW:
        await message.answer(t("desk.verify_not_now", number=ticket.number if ticket else "—"))
        return
    if checked.outcome is Check.REOPENED:
        await notifier.panel(uow, ticket, "desk.panel_not_verified")
        await notifier.mirror(uow, ticket)
    elif ticket.status == "closed" and ticket.filed_by == ticket.owner_user_id:
        await notifier.panel(uow, ticket, "finish.confirmed")
        await notifier.mirror(uow, ticket)
    await tidy(query)
    await message.answer(t(ANSWERS[checked.outcome], number=ticket.number))
