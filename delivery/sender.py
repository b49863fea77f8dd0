"""The sender: delivers the outbox to Telegram within its limits.

One worker per chat sends that chat's messages strictly in order; a message that cannot go
now holds back the ones after it until it is retried. Limits: about one message a second to
a private chat, 20 a minute to a group, 30 a second overall; a 429 pauses only the chat it
names, for its retry_after. What Telegram (or a proxy in front of it) answers decides:

- a 5xx, an HTML page or other body that is not Telegram's JSON, a dropped connection or a
  timeout: retried with a growing pause, never given up;
- a group upgraded to a supergroup: its contractor, cards and waiting messages move to the
  new chat id, and the managers are told;
- a staff group that refuses the bot (removed, or "chat not found"): its messages wait and
  are tried again every few minutes; the managers are told once, elsewhere;
- a 403 from a person (blocked the bot, never started it) is final: the message is marked
  failed and, if it belongs to a ticket, the ticket says so;
- a card that can no longer be edited is sent anew, and later edits go to the new one.

Messages are claimed in the database, so two bot processes never send the same one, and
whatever was not sent when the process stopped is sent after the restart. (A little over
300 lines: each case above is a short method, kept beside the loop that meets it; how a
message becomes Telegram calls is delivery/pieces.py, the texts' limits delivery/texts.py.)
"""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiogram import Bot
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
from aiolimiter import AsyncLimiter

from delivery import chat_troubles, pieces
from delivery.chat_troubles import ChatTroubles
from delivery.limits import SendLimits
from delivery.retries import from_the_sender
from domain.tickets import EventKind
from services.log_context import about_ticket
from storage.outbox import Outgoing
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
# a proxy's HTML error page or a cut-off body reaches us as ClientDecodeError
TRANSIENT = (TelegramServerError, TelegramNetworkError, ClientDecodeError, ClientError, TimeoutError)
STAFF_CHAT_GONE = ("chat not found",)


@dataclass
class SenderStats:
    sent: int = 0
    retried: int = 0
    throttled: int = 0  # 429 answers received
    gave_up: int = 0


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        sessions,
        limits: SendLimits | None = None,
        poll_interval: float = 0.5,
        claim_for: timedelta = timedelta(seconds=120),  # longer than a request may take
        troubles: ChatTroubles | None = None,
        sole: bool = False,
        on_too_many_requests: Callable[[], None] = lambda: None,  # counted for the operator
    ):
        self.bot = bot
        self.sessions = sessions
        self.limits = limits or SendLimits()
        self.poll_interval = poll_interval
        self.claim_for = claim_for
        self.troubles = troubles
        # the only process sending from this database: a claim found at start was left by
        # this process's previous run (stopped mid-send), not held by a live one
        self.sole = sole
        self.on_too_many_requests = on_too_many_requests
        self.stats = SenderStats()
        self._wake = asyncio.Event()
        self._stopping = False
        self._workers: dict[int, asyncio.Task] = {}
        self._chat_free_at: dict[int, float] = {}  # monotonic time a chat may get its next message
        self._accepted: set[int] = set()  # sent to Telegram, the "sent" mark not yet written
        self._overall = AsyncLimiter(1, self.limits.overall_interval)
        self.uploads = pieces.Uploads()

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        if self.sole:
            async with UnitOfWork(self.sessions) as uow:
                await uow.outbox.release_all()
        while not self._stopping:
            try:
                await self._start_workers()
            except Exception:  # the database hiccupped: try again on the next round
                log.exception("the sender could not read the outbox")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)
            self._wake.clear()

    async def stop(self, drain: float = 5.0) -> None:
        """Stop taking new work and give the sends under way a moment to finish; what is
        left stays in the outbox for the next start."""
        self._stopping = True
        self._wake.set()
        workers = [task for task in self._workers.values() if not task.done()]
        if workers:
            _done, pending = await asyncio.wait(workers, timeout=drain)
            for task in pending:
                task.cancel()

    async def idle(self) -> bool:
        """True when nothing is due and no worker is busy (tests and benchmarks wait on it)."""
        if any(not task.done() for task in self._workers.values()):
            return False
        async with UnitOfWork(self.sessions) as uow:
            return not await uow.outbox.chats_with_due_messages(utcnow(), limit=1)

    async def _start_workers(self) -> None:
        async with UnitOfWork(self.sessions) as uow:
            chats = await uow.outbox.chats_with_due_messages(utcnow())
        for chat_id in chats:
            worker = self._workers.get(chat_id)
            if worker is None or worker.done():
                self._workers[chat_id] = asyncio.create_task(self._drain(chat_id))

    async def _drain(self, chat_id: int) -> None:
        from_the_sender()  # the session's retry middleware leaves our calls to us
        while not self._stopping:
            about_ticket(None)  # each message's lines name its own ticket
            await self._throttle(chat_id)  # wait first, then claim: a claim never ages in a queue
            async with UnitOfWork(self.sessions) as uow:
                item = await uow.outbox.next_for_chat(chat_id)
                now = utcnow()
                if item is None or not await uow.outbox.claim(item.id, now, now + self.claim_for):
                    return
            try:
                delivered = await self._deliver(item)
            except asyncio.CancelledError:
                if item.id not in self._accepted:  # Telegram never answered: the next start sends it
                    await self._release(item)
                raise
            if not delivered:
                return

    async def _throttle(self, chat_id: int) -> None:
        """Wait for the chat's own spacing (counted from its last actual send, so a wait for
        the overall limit never squeezes two messages of a chat together; a 429 for the
        chat extends it), then for the overall limit."""
        wait = self._chat_free_at.get(chat_id, 0.0) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        await self._overall.acquire()

    def _sent_to(self, chat_id: int, messages: int = 1) -> None:
        """An album is as many messages as it has photos, for the chat's spacing."""
        interval = self.limits.private_interval if chat_id > 0 else self.limits.group_interval
        self._chat_free_at[chat_id] = time.monotonic() + interval * messages

    async def _deliver(self, item: Outgoing) -> bool:
        """Send one message; False when the chat must wait before its next one."""
        try:
            message_id = await self._send(item)
        except TelegramRetryAfter as error:
            self.stats.throttled += 1
            self.on_too_many_requests()
            self._chat_free_at[item.chat_id] = time.monotonic() + error.retry_after
            return await self._later(item, error.retry_after, error.message)
        except TelegramMigrateToChat as error:
            await self._moved(item, error.migrate_to_chat_id)
            return True
        except TelegramForbiddenError as error:
            if item.chat_id < 0:
                return await self._unreachable(item, error.message)
            await self._give_up(item, error)
            return True
        except TelegramBadRequest as error:
            return await self._refused(item, error)
        except TRANSIENT as error:
            self.stats.retried += 1
            delay = min(self.limits.retry_base * 2**item.attempts, self.limits.max_backoff)
            return await self._later(item, delay, repr(error))
        except TelegramAPIError as error:
            await self._mark_failed(item, str(error))
            return True
        except Exception as error:  # a message we cannot even build: never retried, never silent
            await self._about(item)
            log.exception("outbox message %s cannot be sent", item.id)
            await self._mark_failed(item, repr(error))
            return True
        self._accepted.add(item.id)
        # shielded: once Telegram has the message, a shutdown must not leave it unmarked (resent)
        await asyncio.shield(self._done(item, message_id))
        self._accepted.discard(item.id)
        return True

    async def _send(self, item: Outgoing) -> int | None:
        """Send what is left of the message, piece by piece; each piece sent is noted, so a
        retry after a failure in the middle sends only the rest."""
        parts = pieces.pieces(item)
        message_id = None
        for index in range(item.payload.get("sent_pieces", 0), len(parts)):
            piece = parts[index]
            if index > item.payload.get("sent_pieces", 0):
                await self._throttle(item.chat_id)
            try:
                if piece.method == "editCard":
                    message_id = await self._edit_card(item, piece.params)
                else:
                    message_id = await pieces.send(self.bot, item.chat_id, piece, self.uploads)
            finally:
                self._sent_to(item.chat_id, len(piece.params.get("media", [None])))
            if index + 1 < len(parts):
                async with UnitOfWork(self.sessions) as uow:
                    await uow.outbox.progress(item.id, index + 1, message_id)
        return message_id

    async def _edit_card(self, item: Outgoing, params: dict) -> int | None:
        """Edit a card that was itself queued: its message id is known only once it went.
        A card Telegram no longer lets us edit (deleted, too old, in the group's old chat)
        is sent anew, and becomes the card."""
        params = dict(params)
        card_id = params.pop("card")
        async with UnitOfWork(self.sessions) as uow:
            message_id = await uow.outbox.telegram_message_id(card_id)
        if message_id is not None:
            try:
                await self.bot.edit_message_text(chat_id=item.chat_id, message_id=message_id, **pieces.markup(params))
                return message_id
            except TelegramBadRequest as error:
                if not any(reason in error.message for reason in pieces.EDIT_LOST):
                    raise
        message_id = await pieces.send(self.bot, item.chat_id, pieces.Piece("sendMessage", params), self.uploads)
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.card_sent_anew(card_id, message_id)
            if item.ticket_id is not None:
                await uow.tickets.set_card(item.ticket_id, item.chat_id, message_id)
        return message_id

    async def _refused(self, item: Outgoing, error: TelegramBadRequest) -> bool:
        if "message is not modified" in error.message:
            await self._done(item, None)
            return True
        if item.chat_id < 0 and any(reason in error.message for reason in STAFF_CHAT_GONE):
            return await self._unreachable(item, error.message)
        await self._about(item)
        log.error("Telegram refused outbox message %s: %s", item.id, error.message)
        await self._mark_failed(item, error.message)
        return True

    async def _about(self, item: Outgoing) -> None:
        """Name the message's ticket on the lines logged next (read only when about to log)."""
        number = None
        if item.ticket_id is not None:
            with contextlib.suppress(Exception):  # the line matters more than its ticket
                async with UnitOfWork(self.sessions) as uow:
                    ticket = await uow.tickets.get(item.ticket_id)
                number = ticket.number if ticket else None
        about_ticket(number)

    async def _done(self, item: Outgoing, message_id: int | None) -> None:
        now = utcnow()
        self.stats.sent += 1
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.sent(item.id, message_id, now)
            if item.purpose == "card" and message_id is not None and item.ticket_id is not None:
                await uow.tickets.set_card(item.ticket_id, item.chat_id, message_id)
            await chat_troubles.got_through(uow, self.troubles, item.chat_id)

    async def _moved(self, item: Outgoing, new_chat: int) -> None:
        async with UnitOfWork(self.sessions) as uow:
            await chat_troubles.follow_move(uow, self.troubles, item.chat_id, new_chat, utcnow())
            uow.after_commit(self.wake)

    async def _unreachable(self, item: Outgoing, error: str) -> bool:
        """A staff group refuses the bot: its messages wait for it and are tried again
        every few minutes."""
        now = utcnow()
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.retry_later(item.id, now + timedelta(seconds=self.limits.recheck_interval), error)
            await chat_troubles.refused(uow, self.troubles, item.chat_id, error, now)
        return False

    async def _later(self, item: Outgoing, delay: float, error: str) -> bool:
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.retry_later(item.id, utcnow() + timedelta(seconds=delay), error)
        return False

    async def _release(self, item: Outgoing) -> None:
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.release(item.id)

    async def _mark_failed(self, item: Outgoing, error: str) -> None:
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.failed(item.id, error)

    async def _give_up(self, item: Outgoing, error: TelegramForbiddenError) -> None:
        """The person cannot be reached: say so where someone will read it."""
        self.stats.gave_up += 1
        async with UnitOfWork(self.sessions) as uow:
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
                uow.after_commit(self.wake)
            elif item.ticket_id is not None:
                await uow.tickets.record(item.ticket_id, EventKind.UNDELIVERED, utcnow(), chat=item.chat_id)
