"""What every part of the Notifier (views/notifier.py) shares: the words (names, times,
the task card's text, each reader's language) and the queueing into the outbox."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

from delivery.pieces import UPLOAD
from delivery.sender import utcnow
from domain.roles import LADDER, Role, roles_of
from domain.tickets import Ticket
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import render
from views.i18n import Catalogs, Translator

DOCUMENT = "doc:"  # a photo the owner sent as a file (its original bytes, EXIF and all)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup
MarkupFor = Callable[[Translator], Markup | None]  # buttons in the reader's language (if any)


class NoticeBase:
    def __init__(self, config: Config, services: Services, catalogs: Catalogs, wake: Callable[[], None]):
        self.config = config
        self.services = services
        self.catalogs = catalogs
        self.t = catalogs.translator(config.property.default_language)  # a group has many readers
        self._wake = wake
        self.bot_username = ""  # known once the bot has asked Telegram who it is (App.start)

    # ---- words ------------------------------------------------------------------------
    def contractor_name(self, code: str | None) -> str:
        contractor = self.config.contractor(code) if code else None
        return contractor.name if contractor else "—"

    def block_name(self, code: str) -> str:
        block = self.config.block(code)
        return block.name if block else code

    def when(self, moment: datetime | None) -> str:
        return render.when(moment, self.services.tz)

    def card_text(self, ticket: Ticket, t: Translator | None = None) -> str:
        t, tz = t or self.t, self.services.tz
        return "\n".join(
            [
                t("card.title", number=ticket.number),
                t("card.category", category=render.category(t, ticket.category), trade=t(f"trade.{ticket.trade}")),
                t("card.urgency", urgency=t(f"urgency.{ticket.urgency}")),
                t(
                    "card.deadlines",
                    accept_by=render.when(ticket.accept_by, tz),
                    on_site_by=render.when(ticket.on_site_by, tz),
                    resolve_by=render.when(ticket.resolve_by, tz),
                ),
                t("card.place", place=render.place(t, ticket.place, self.block_name(ticket.place.block))),
                t("card.description", description=ticket.description),
                t("card.visit", visit=render.visit_time(t, ticket.visit_time)),
                t("card.photos", count=ticket.photo_count),
                t(f"coverage.{ticket.coverage}"),
            ]
            + self._plan_lines(ticket, t)
            + ([t("card.repeat", times=ticket.repeat_count + 1)] if ticket.repeat_count else [])
        )

    def _plan_lines(self, ticket: Ticket, t: Translator) -> list[str]:
        """The written plan once submitted; until then, when it is due (docs/rules.md)."""
        tz = self.services.tz
        if ticket.plan_at and ticket.plan_text:
            finish = render.when(ticket.plan_finish_by, tz)
            return [t("card.plan_submitted", plan=ticket.plan_text, finish=finish)]
        return [t("card.plan_due", at=render.when(ticket.plan_by, tz))] if ticket.plan_by else []

    async def translator_for(self, uow: UnitOfWork, user_id: int, fallback: str | None = None) -> Translator:
        language = await uow.chats.language_of(user_id) or fallback or self.config.property.default_language
        return self.catalogs.translator(language)

    # ---- queueing ---------------------------------------------------------------------
    async def say(
        self,
        uow: UnitOfWork,
        chat_id: int,
        text: str,
        markup: Markup | None = None,
        ticket_id: int | None = None,
        purpose: str | None = None,
        on_forbidden: dict[str, Any] | None = None,
        coalesce_key: str | None = None,
    ) -> None:
        params: dict[str, Any] = {"text": text}
        if markup is not None:
            params["reply_markup"] = markup.model_dump(exclude_none=True)
        await self.queue(uow, chat_id, "sendMessage", params, ticket_id, purpose, on_forbidden, coalesce_key)

    async def queue(
        self,
        uow: UnitOfWork,
        chat_id: int,
        method: str,
        params: dict[str, Any],
        ticket_id: int | None = None,
        purpose: str | None = None,
        on_forbidden: dict[str, Any] | None = None,
        coalesce_key: str | None = None,
    ) -> None:
        payload: dict[str, Any] = {"params": params}
        if on_forbidden is not None:
            payload["on_forbidden"] = on_forbidden
        await uow.outbox.add(
            chat_id, method, payload, utcnow(), purpose=purpose, ticket_id=ticket_id, coalesce_key=coalesce_key
        )
        uow.after_commit(self._wake)

    async def tell(
        self,
        uow: UnitOfWork,
        user_id: int,
        key: str,
        ticket: Ticket | None = None,
        markup_for: MarkupFor | None = None,
        **values: object,
    ) -> None:
        """A message to one person, in their language (a ticket's owner: the language they
        reported in, unless they chose another since)."""
        t = await self.translator_for(uow, user_id, ticket.language if ticket else None)
        markup = markup_for(t) if markup_for else None
        await self.say(uow, user_id, t(key, **values), markup, ticket_id=ticket.id if ticket else None)

    async def alert(
        self, uow: UnitOfWork, text: str, markup: InlineKeyboardMarkup | None = None, ticket: Ticket | None = None
    ) -> None:
        """To the managers' chat on duty now (staff.duty, else staff.alert_chat_id)."""
        chat_id = self.duty_chat()
        if chat_id is not None:
            await self.say(uow, chat_id, text, markup, ticket_id=ticket.id if ticket else None)

    def duty_chat(self) -> int | None:
        return self.config.duty_chat(self.services.clock.now().astimezone(self.services.tz).time())

    async def _photos(self, uow: UnitOfWork, chat_id: int, ticket: Ticket, stage: str = "before") -> None:
        """The ticket's photos as their copies without EXIF (uploaded by the sender). A photo
        kept before such copies existed goes by its Telegram id if Telegram compressed it
        (which drops its metadata), and not at all if it was an original file."""
        media = []
        for file_id, shared_path in await uow.tickets.photos_to_share(ticket.id, stage):
            if shared_path is not None:
                media.append({"type": "photo", "media": UPLOAD + shared_path})
            elif not file_id.startswith(DOCUMENT):
                media.append({"type": "photo", "media": file_id})
        await self.album(uow, chat_id, media, ticket.id)

    async def album(
        self, uow: UnitOfWork, chat_id: int, media: list[dict[str, str]], ticket_id: int | None = None
    ) -> None:
        if len(media) == 1:
            await self.queue(uow, chat_id, "sendPhoto", {"photo": media[0]["media"]}, ticket_id=ticket_id)
        elif media:
            await self.queue(uow, chat_id, "sendMediaGroup", {"media": media}, ticket_id=ticket_id)

    # ---- who holds which rung of the ladder ---------------------------------------------
    def members(self) -> dict[Role, list[int]]:
        staff = self.config.staff
        return {
            Role.MANAGER: staff.managers,
            Role.SUPERVISOR: staff.supervisors,
            Role.PROJECT_MANAGER: staff.project_managers,
            Role.GENERAL_MANAGER: staff.general_managers,
            Role.PROPERTY_MANAGER: staff.property_managers,
            Role.CUSTOMER_SERVICE_MANAGER: staff.customer_service_managers,
            Role.CUSTOMER_SERVICE: staff.customer_service,
        }

    def people(self, role: str) -> list[int]:
        """The people of a rung of the ladder (staff.supervisors, …)."""
        return self.members().get(Role(role), []) if role in LADDER else []

    def roles_of(self, user_id: int) -> frozenset[Role]:
        return roles_of(user_id, self.members())
