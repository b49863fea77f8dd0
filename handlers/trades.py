"""Moving a report to another trade: the engineer holding it, or a manager, picks the trade
and the job goes to the contractor responsible for that trade in its block."""

from aiogram import Router
from aiogram.types import CallbackQuery

from domain.trades import Trade
from services import management
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views.buttons import TradeMenu, TradePick
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.notifier import Notifier
from views.replies import message_of


def setup() -> Router:
    router = Router(name="trades")
    router.callback_query.register(menu, TradeMenu.filter())
    router.callback_query.register(picked, TradePick.filter())
    return router


async def menu(query: CallbackQuery, callback_data: TradeMenu, t: Translator) -> None:
    message = message_of(query)
    if message is None:
        return
    builder = InlineKeyboard()
    for trade in Trade:
        builder.button(
            text=t(f"trade.{trade}"), callback_data=TradePick(ticket_id=callback_data.ticket_id, trade=trade)
        )
    await message.answer(t("trade.ask"), reply_markup=builder.adjust(2).as_markup())


async def picked(
    query: CallbackQuery,
    callback_data: TradePick,
    services: Services,
    uow: UnitOfWork,
    notifier: Notifier,
    config: Config,
    t: Translator,
    group_t: Translator,
) -> None:
    message = message_of(query)
    if message is None:
        return
    before = await uow.tickets.get(callback_data.ticket_id)
    ticket = await management.change_trade(
        services, uow, callback_data.ticket_id, callback_data.trade, query.from_user.id, config.staff.managers
    )
    if ticket is None or before is None:
        await message.answer(t("trade.refused"))
        return
    await notifier.mark_card(uow, before, group_t("card.trade_changed", trade=group_t(f"trade.{ticket.trade}")))
    if before.engineer_user_id and before.engineer_user_id != query.from_user.id:
        await notifier.tell(uow, before.engineer_user_id, "job.reassigned_away", number=ticket.number)
    await notifier.dispatch(uow, ticket)
    await message.answer(
        t(
            "trade.moved",
            number=ticket.number,
            trade=t(f"trade.{ticket.trade}"),
            contractor=notifier.contractor_name(ticket.contractor_code),
        )
    )
