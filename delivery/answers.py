"""One outbox message sent, and what Telegram's answer means for it (the cases are listed
in delivery/sender.py's docstring). Each function gets the sender that holds the message."""

import contextlib
import functools
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiohttp import ClientError

from delivery import pieces
from domain.tickets import EventKind
from services.log_context import about_ticket
from storage.outbox import Outgoing
from storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from delivery.sender import OutboxSender

log = logging.getLogger(__name__)
# a proxy's HTML error page or a cut-off body reaches us as ClientDecodeError
TRANSIENT = (TelegramServerError, TelegramNetworkError, ClientDecodeError, ClientError, TimeoutError)
STAFF_CHAT_GONE = ("chat not found",)


def utcnow() -> datetime:
    return datetime.now(UTC)


async def deliver(sender: "OutboxSender", item: Outgoing) -> bool:
    """Send one message; False when the chat must wait before its next one."""
    try:
        message_id = await send(sender, item)
    except TelegramRetryAfter as error:
        sender.stats.throttled += 1
        sender.on_too_many_requests()
        return await sender.hold_back(item, utcnow() + timedelta(seconds=error.retry_after), error.message)
    except TelegramMigrateToChat as error:
        await moved(sender, item, error.migrate_to_chat_id)
        return True
    except TelegramForbiddenError as error:
        if item.chat_id < 0:
            return await unreachable(sender, item, error.message)
        await give_up(sender, item, error)
        return True
    except TelegramBadRequest as error:
        return await refused(sender, item, error)
    except TRANSIENT as error:
        sender.stats.retried += 1
        delay = min(sender.limits.retry_base * 2**item.attempts, sender.limits.max_backoff)
        return await sender.hold_back(item, utcnow() + timedelta(seconds=delay), repr(error))
    except TelegramAPIError as error:
        await mark_failed(sender, item, str(error))
        return True
    except Exception as error:  # a message we cannot even build: never retried, never silent
        await about(sender, item)
        log.exception("outbox message %s cannot be sent", item.id)
        await mark_failed(sender, item, repr(error))
        return True
    sender.record_sent(item, message_id)
    return True


async def send(sender: "OutboxSender", item: Outgoing) -> int | None:
    """Send what is left of the message, piece by piece, each at the moment the limits allow
    it; each piece sent is noted, so a retry after a failure in the middle sends only the rest."""
    parts = pieces.pieces(item)
    message_id = None
    for index in range(item.payload.get("sent_pieces", 0), len(parts)):
        piece = parts[index]
        weight = len(piece.params.get("media", [None]))  # an album: one message per photo
        if piece.method == "editCard":
            message_id = await edit_card(sender, item, piece.params)
        else:
            message_id = await sender.call(
                item, weight, functools.partial(pieces.send, sender.bot, item.chat_id, piece, sender.uploads)
            )
        if index + 1 < len(parts):
            async with UnitOfWork(sender.sessions) as uow:
                await uow.outbox.progress(item.id, index + 1, message_id)
    return message_id


async def edit_card(sender: "OutboxSender", item: Outgoing, params: dict) -> int | None:
    """Edit a card that was itself queued: its message id is known only once it went.
    A card Telegram no longer lets us edit (deleted, too old, in the group's old chat)
    is sent anew, and becomes the card."""
    params = dict(params)
    card_id = params.pop("card")
    message_id = await sender.telegram_message_id(card_id)
    if message_id is not None:
        edit = pieces.markup(params)
        try:
            await sender.call(
                item,
                1,
                lambda: sender.bot.edit_message_text(chat_id=item.chat_id, message_id=message_id, **edit),
            )
            return message_id
        except TelegramBadRequest as error:
            if not any(reason in error.message for reason in pieces.EDIT_LOST):
                raise
    anew = pieces.Piece("sendMessage", params)
    message_id = await sender.call(item, 1, lambda: pieces.send(sender.bot, item.chat_id, anew, sender.uploads))
    await sender.card_sent_anew(card_id, item, message_id)
    return message_id


async def refused(sender: "OutboxSender", item: Outgoing, error: TelegramBadRequest) -> bool:
    if "message is not modified" in error.message:
        sender.record_sent(item, None)
        return True
    if item.chat_id < 0 and any(reason in error.message for reason in STAFF_CHAT_GONE):
        return await unreachable(sender, item, error.message)
    await about(sender, item)
    log.error("Telegram refused outbox message %s: %s", item.id, error.message)
    await mark_failed(sender, item, error.message)
    return True


async def about(sender: "OutboxSender", item: Outgoing) -> None:
    """Name the message's ticket on the lines logged next (read only when about to log)."""
    number = None
    if item.ticket_id is not None:
        with contextlib.suppress(Exception):  # the line matters more than its ticket
            async with UnitOfWork(sender.sessions) as uow:
                ticket = await uow.tickets.get(item.ticket_id)
            number = ticket.number if ticket else None
    about_ticket(number)


async def moved(sender: "OutboxSender", item: Outgoing, new_chat: int) -> None:
    await sender.follow_move(item, new_chat)


async def unreachable(sender: "OutboxSender", item: Outgoing, error: str) -> bool:
    """A staff group refuses the bot: its messages wait for it and are tried again
    every few minutes."""
    later = utcnow() + timedelta(seconds=sender.limits.recheck_interval)
    return await sender.hold_back(item, later, error, unreachable=True)


async def mark_failed(sender: "OutboxSender", item: Outgoing, error: str) -> None:
    async with UnitOfWork(sender.sessions) as uow:
        await uow.outbox.failed(item.id, error)


async def give_up(sender: "OutboxSender", item: Outgoing, error: TelegramForbiddenError) -> None:
    """The person cannot be reached: say so where someone will read it."""
    sender.stats.gave_up += 1
    async with UnitOfWork(sender.sessions) as uow:
        await uow.outbox.failed(item.id, error.message)
        fallback = item.payload.get("on_forbidden")
        if fallback is not None:
            await uow.outbox.add(
                fallback["chat_id"],
                "sendMessage",
                {"params": {"text": fallback["text"]}},
                utcnow(),
                ticket_id=item.ticket_id,
            )
            uow.after_commit(sender.wake)
        elif item.ticket_id is not None:
            await uow.tickets.record(item.ticket_id, EventKind.UNDELIVERED, utcnow(), chat=item.chat_id)
