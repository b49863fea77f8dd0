"""Task cards: the job as the contractor's engineer group sees it, and as managers see
a job nobody could be found for. No owner name or phone ever goes to a group (§10)."""
import logging
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup, InputMediaDocument, InputMediaPhoto
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Config
from bot.i18n import Translator
from domain.tickets import Ticket, TicketStatus
from handlers import keyboards, render
from handlers.callbacks import AssignTo
from services.context import Services
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
DOCUMENT = "doc:"  # a photo sent as a file keeps its original bytes; Telegram resends it as a file


@dataclass
class CardDesk:
    bot: Bot
    config: Config
    services: Services
    t: Translator  # the property's default language: a group has many readers

    def contractor_name(self, code: str | None) -> str:
        contractor = self.config.contractor(code) if code else None
        return contractor.name if contractor else "—"

    def block_name(self, code: str) -> str:
        block = self.config.block(code)
        return block.name if block else code

    def text(self, ticket: Ticket, t: Translator | None = None) -> str:
        t, tz = t or self.t, self.services.tz
        lines = [
            t("card.title", number=ticket.number),
            t("card.category", category=render.category(t, ticket.category), trade=t(f"trade.{ticket.trade}")),
            t("card.urgency", urgency=t(f"urgency.{ticket.urgency}")),
            t("card.deadlines", accept_by=render.when(ticket.accept_by, tz),
              on_site_by=render.when(ticket.on_site_by, tz), resolve_by=render.when(ticket.resolve_by, tz)),
            t("card.place", place=render.place(t, ticket.place, self.block_name(ticket.place.block))),
            t("card.description", description=ticket.description),
            t("card.visit", visit=render.visit_time(t, ticket.visit_time)),
            t("card.photos", count=ticket.photo_count),
            t(f"coverage.{ticket.coverage}"),
        ]
        return "\n".join(lines)

    async def dispatch(self, uow: UnitOfWork, ticket: Ticket) -> None:
        """Put the job in front of whoever is responsible for it now."""
        if ticket.status is TicketStatus.REFERRED:
            return
        chat_id = None
        if ticket.status is TicketStatus.ASSIGNED:
            chat_id = await self.services.contractor_chat(uow, ticket.contractor_code)
        if chat_id is None:
            await self.alert_unassigned(uow, ticket)
            return
        await self._send_photos(uow, chat_id, ticket)
        card = await self.bot.send_message(chat_id, self.text(ticket), reply_markup=keyboards.job_card(self.t, ticket.id))
        await uow.tickets.set_card(ticket.id, chat_id, card.message_id)
        await uow.commit()

    async def alert_unassigned(self, uow: UnitOfWork, ticket: Ticket) -> None:
        alert_chat = self.config.staff.alert_chat_id
        if alert_chat is None:
            log.error("ticket %s has nobody responsible and staff.alert_chat_id is not set", ticket.number)
            return
        reason = (self.t("card.no_group", contractor=self.contractor_name(ticket.contractor_code))
                  if ticket.contractor_code else self.t("card.no_contractor"))
        await self._send_photos(uow, alert_chat, ticket)
        await self.bot.send_message(alert_chat, f"{reason}\n\n{self.text(ticket)}",
                                    reply_markup=self._assign_keyboard(ticket))

    def _assign_keyboard(self, ticket: Ticket) -> InlineKeyboardMarkup:
        builder = InlineKeyboardBuilder()
        for contractor in self.config.contractors:
            builder.button(text=self.t("button.assign_to", contractor=contractor.name),
                           callback_data=AssignTo(ticket_id=ticket.id, contractor=contractor.code))
        return builder.adjust(1).as_markup()

    async def _send_photos(self, uow: UnitOfWork, chat_id: int, ticket: Ticket) -> None:
        file_ids = await uow.tickets.photo_file_ids(ticket.id)
        photos = [InputMediaPhoto(media=f) for f in file_ids if not f.startswith(DOCUMENT)]
        files = [InputMediaDocument(media=f.removeprefix(DOCUMENT)) for f in file_ids if f.startswith(DOCUMENT)]
        for album in (photos, files):
            if len(album) == 1:
                await self._send_single(chat_id, album[0])
            elif album:
                await self.bot.send_media_group(chat_id, album)

    async def _send_single(self, chat_id: int, media: InputMediaPhoto | InputMediaDocument) -> None:
        if isinstance(media, InputMediaPhoto):
            await self.bot.send_photo(chat_id, media.media)
        else:
            await self.bot.send_document(chat_id, media.media)

    async def mark(self, uow: UnitOfWork, ticket: Ticket, note: str) -> None:
        """Show on the group card what became of the job, and take its buttons away."""
        card = await uow.tickets.card_of(ticket.id)
        if card is None:
            return
        try:
            await self.bot.edit_message_text(text=f"{self.text(ticket)}\n\n{note}", chat_id=card[0],
                                             message_id=card[1], reply_markup=None)
        except TelegramAPIError as error:  # the card was deleted in the group: the job goes on
            log.warning("could not update the card of %s: %s", ticket.number, error)
