"""The sender: delivers the outbox to Telegram within its limits.

One worker per chat sends that chat's messages strictly in order; a message that cannot go
now (429, a 5xx, the network) holds back the ones after it until it is retried. Limits:
about one message a second to a private chat, 20 a minute to a group, 30 a second overall;
a 429 pauses everything for its retry_after. A 403 (the user blocked the bot, or never
started it) is final: the message is marked failed and, if it belongs to a ticket, the
ticket says so. Messages are claimed in the database, so two bot processes never send the
same one, and whatever was not sent when the process stopped is sent after the restart.
"""

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import FSInputFile, InlineKeyboardMarkup, InputMediaDocument, InputMediaPhoto, ReplyKeyboardMarkup
from aiohttp import ClientError
from aiolimiter import AsyncLimiter

from delivery.limits import SendLimits
from domain.tickets import EventKind
from storage.outbox import Outgoing
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
TRANSIENT = (TelegramServerError, TelegramNetworkError, ClientError, TimeoutError)


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
        claim_for: timedelta = timedelta(seconds=120),
    ):  # longer than a request may take
        self.bot = bot
        self.sessions = sessions
        self.limits = limits or SendLimits()
        self.poll_interval = poll_interval
        self.claim_for = claim_for
        self.stats = SenderStats()
        self._wake = asyncio.Event()
        self._stopping = False
        self._workers: dict[int, asyncio.Task] = {}
        self._chat_free_at: dict[int, float] = {}  # monotonic time a chat may get its next message
        self._accepted: set[int] = set()  # sent to Telegram, the "sent" mark not yet written
        self._overall = AsyncLimiter(1, limits.overall_interval)
        self._paused_until = 0.0

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
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
        while not self._stopping:
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
        the overall limit never squeezes two messages of a chat together), then for the
        overall limit, then for any 429 pause."""
        wait = max(self._paused_until, self._chat_free_at.get(chat_id, 0.0)) - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        await self._overall.acquire()
        pause = self._paused_until - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)

    def _sent_to(self, chat_id: int, messages: int = 1) -> None:
        """An album is as many messages as it has photos, for the chat's spacing."""
        interval = self.limits.private_interval if chat_id > 0 else self.limits.group_interval
        self._chat_free_at[chat_id] = time.monotonic() + interval * messages

    async def _deliver(self, item: Outgoing) -> bool:
        """Send one message; False when the chat must wait before its next one."""
        try:
            try:
                message_id = await self._call(item)
            finally:
                self._sent_to(item.chat_id, len(item.payload["params"].get("media", [None])))
        except TelegramRetryAfter as error:
            self.stats.throttled += 1
            self._paused_until = time.monotonic() + error.retry_after
            return await self._later(item, error.retry_after, str(error))
        except TelegramForbiddenError as error:
            await self._give_up(item, error)
            return True
        except TelegramBadRequest as error:
            if "message is not modified" in error.message:
                await self._done(item, None)
            else:
                log.error("Telegram refused outbox message %s: %s", item.id, error.message)
                await self._mark_failed(item, error.message)
            return True
        except TRANSIENT as error:
            self.stats.retried += 1
            delay = min(self.limits.retry_base * 2**item.attempts, self.limits.max_backoff)
            return await self._later(item, delay, repr(error))
        except TelegramAPIError as error:
            await self._mark_failed(item, str(error))
            return True
        except Exception as error:  # a message we cannot even build: never retried, never silent
            log.exception("outbox message %s cannot be sent", item.id)
            await self._mark_failed(item, repr(error))
            return True
        self._accepted.add(item.id)
        # shielded: once Telegram has the message, a shutdown must not leave it unmarked (resent)
        await asyncio.shield(self._done(item, message_id))
        self._accepted.discard(item.id)
        return True

    async def _call(self, item: Outgoing) -> int | None:
        params = dict(item.payload["params"])
        markup = params.pop("reply_markup", None)
        if markup is not None:
            kind = InlineKeyboardMarkup if "inline_keyboard" in markup else ReplyKeyboardMarkup
            params["reply_markup"] = kind.model_validate(markup)
        if item.method == "sendMessage":
            return (await self.bot.send_message(item.chat_id, **params)).message_id
        if item.method == "sendPhoto":
            return (await self.bot.send_photo(item.chat_id, **_made_here(params, "photo"))).message_id
        if item.method == "sendDocument":
            return (await self.bot.send_document(item.chat_id, **_made_here(params, "document"))).message_id
        if item.method == "sendMediaGroup":
            media = [
                InputMediaPhoto(media=m["media"]) if m["type"] == "photo" else InputMediaDocument(media=m["media"])
                for m in params["media"]
            ]
            return (await self.bot.send_media_group(item.chat_id, media))[0].message_id
        if item.method == "editCard":
            return await self._edit_card(item, params)
        raise ValueError(f"unknown outbox method {item.method}")

    async def _edit_card(self, item: Outgoing, params: dict) -> int | None:
        """Edit a card that was itself queued: its message id is known only once it went."""
        card_id = params.pop("card")
        async with UnitOfWork(self.sessions) as uow:
            message_id = await uow.outbox.telegram_message_id(card_id)
        if message_id is None:
            raise TelegramBadRequest(method=None, message="the card was never sent")
        await self.bot.edit_message_text(chat_id=item.chat_id, message_id=message_id, **params)
        return message_id

    async def _done(self, item: Outgoing, message_id: int | None) -> None:
        now = utcnow()
        self.stats.sent += 1
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.sent(item.id, message_id, now)
            if item.purpose == "card" and message_id is not None:
                await uow.tickets.set_card(item.ticket_id, item.chat_id, message_id)

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


def _made_here(params: dict, field: str) -> dict:
    """A file the bot made itself (a report's chart or workbook, clock/reports.py) is
    queued by its path on disk, as {"path": ..., "name": ...}; a Telegram file id as text."""
    value = params.get(field)
    if isinstance(value, dict):
        params[field] = FSInputFile(value["path"], filename=value.get("name"))
    return params
