"""The sender: delivers the outbox to Telegram at Telegram's own limits.

It takes due messages from the database many at a time (oldest first), keeps them in a
queue per chat, and one worker per chat sends that chat's messages strictly in order: the
next waits for the previous one's answer, and a message that cannot go now holds back the
ones after it until it is retried. Each call asks for its permit at the moment it is made
(delivery/gate.py, delivery/limits.py: about one message a second to a private chat, 20 in
any minute to a group with an album counted per photo, 30 a second overall). What Telegram
(or a proxy in front of it) answers decides (delivery/answers.py):

- a 429: the chat waits its retry_after, the call does not count, other chats go on;
- a 5xx, an HTML page or other body that is not Telegram's JSON, a dropped connection or a
  timeout: retried with a growing pause, never given up;
- a group upgraded to a supergroup: its contractor, cards and waiting messages move to the
  new chat id, and the managers are told;
- a staff group that refuses the bot (removed, or "chat not found"): its messages wait and
  are tried again every few minutes; the managers are told once, elsewhere;
- a 403 from a person (blocked the bot, never started it) is final: the message is marked
  failed and, if it belongs to a ticket, the ticket says so;
- a card that can no longer be edited is sent anew, and later edits go to the new one.

Messages are claimed in the database under this sender's name, so two bot processes never
send the same one nor a chat's messages out of turn, and whatever was not sent when the
process stopped is sent after the restart. What was sent is written down in batches.

A little over 300 lines: claiming, the per-chat workers and writing down what went share the
sender's state (queues, claims, results), and read best together; the answers to Telegram's
errors, the limits and the texts are modules of their own.
"""

import asyncio
import contextlib
import logging
import math
import os
import socket
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError

from delivery import answers, chat_troubles, pieces
from delivery.answers import utcnow
from delivery.chat_troubles import ChatTroubles
from delivery.gate import Gate
from delivery.limits import LimitBook, SendLimits
from delivery.retries import from_the_sender
from services.log_context import about_ticket
from storage.outbox import Outgoing
from storage.unit_of_work import UnitOfWork

__all__ = ["OutboxSender", "SendLimits", "SenderStats", "utcnow"]

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class SenderStats:
    sent: int = 0
    retried: int = 0
    throttled: int = 0  # 429 answers received
    gave_up: int = 0


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        sessions,
        limits: SendLimits | None = None,
        poll_interval: float = 0.5,
        claim_for: timedelta = timedelta(seconds=120),  # renewed while held
        troubles: ChatTroubles | None = None,
        sole: bool = False,
        on_too_many_requests: Callable[[], None] = lambda: None,  # counted for the operator
        batch: int = 5000,  # messages held in memory at most: a whole burst, to see its longest chats
        flush_interval: float = 0.2,  # how often the sent marks are written
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
        self.batch = batch
        self.flush_interval = flush_interval
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stats = SenderStats()
        self.gate = Gate(LimitBook(self.limits))
        self.uploads = pieces.Uploads()
        self._wake = asyncio.Event()
        self._stopping = False
        self._queues: dict[int, deque[Outgoing]] = {}
        self._workers: dict[int, asyncio.Task] = {}
        self._claiming = asyncio.Lock()  # a claim and a chat's holding back never interleave
        self._results: list[tuple[Outgoing, int | None]] = []  # sent, not yet written down
        self._fresh: dict[int, int | None] = {}  # outbox id → Telegram's id, until written down
        self._renewed = 0.0
        self._more_waiting = False  # the last claim was cut short by the batch: claim again soon
        self._flusher: asyncio.Task | None = None
        self._flush_soon = asyncio.Event()
        self._writing = asyncio.Lock()  # one batch of sent marks at a time

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        if self.sole:
            async with UnitOfWork(self.sessions) as uow:
                await uow.outbox.release_all()
        self._flusher = asyncio.create_task(self._flush_now_and_then())
        while not self._stopping:
            try:
                await self._claim()
                await self._renew()
            except Exception:  # the database hiccupped: try again on the next round
                log.exception("the sender could not read the outbox")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_interval)
            self._wake.clear()

    async def stop(self, drain: float = 5.0) -> None:
        """Stop taking new work, give the sends under way a moment to finish, write down what
        went and let go of the rest: it stays in the outbox for the next start."""
        self._stopping = True
        self._wake.set()
        workers = [task for task in self._workers.values() if not task.done()]
        if workers:
            _done, pending = await asyncio.wait(workers, timeout=drain)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._flusher is not None:  # let it finish its batch: a write cut off mid-way holds the database
            self._flush_soon.set()
            await asyncio.gather(self._flusher, return_exceptions=True)
        async with self._claiming:
            await self._flush()
            async with UnitOfWork(self.sessions) as uow:
                await uow.outbox.release_of(self.name)
        self._queues.clear()

    async def idle(self) -> bool:
        """True when nothing is due and no worker is busy (tests and benchmarks wait on it)."""
        if any(not task.done() for task in self._workers.values()) or self._results:
            return False
        async with UnitOfWork(self.sessions) as uow:
            return not await uow.outbox.chats_with_due_messages(utcnow(), limit=1)

    # ---- taking messages from the outbox ------------------------------------------------
    async def _claim(self) -> None:
        room = self.batch - sum(len(queue) for queue in self._queues.values())
        if room < self.batch // 4:  # plenty in hand: a claim scans the outbox, not free
            return
        async with self._claiming:
            if self._stopping:
                return
            now = utcnow()
            async with UnitOfWork(self.sessions) as uow:
                taken = await uow.outbox.claim_batch(self.name, now, now + self.claim_for, room)
            self._more_waiting = len(taken) == room
            if taken:
                async with UnitOfWork(self.sessions) as uow:
                    late = set(await uow.outbox.out_of_turn(self.name, [item.id for item in taken], now))
                    await uow.outbox.release_many(sorted(late))
                for item in taken:
                    if item.id not in late:
                        self._queues.setdefault(item.chat_id, deque()).append(item)
        for chat_id in list(self._queues):
            worker = self._workers.get(chat_id)
            if worker is None or worker.done():
                self._workers[chat_id] = asyncio.create_task(self._drain(chat_id))

    async def _renew(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() - self._renewed < self.claim_for.total_seconds() / 4:
            return
        self._renewed = loop.time()
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.renew(self.name, utcnow() + self.claim_for)

    async def hold_back(self, item: Outgoing, not_before: datetime, error: str, unreachable: bool = False) -> bool:
        """The chat's first message must wait: it and everything after it go back to the
        outbox, in one transaction, to be taken again in order once it is due. (Under the
        claim's lock: a claim must not add the chat's later messages meanwhile.)"""
        async with self._claiming:
            rest = self._let_go(item)
            async with UnitOfWork(self.sessions) as uow:
                await uow.outbox.retry_later(item.id, not_before, error)
                await uow.outbox.release_many(rest)
                if unreachable:
                    await chat_troubles.refused(uow, self.troubles, item.chat_id, error, utcnow())
        return False

    async def follow_move(self, item: Outgoing, new_chat: int) -> None:
        """The group moved: what waits for it, here and in the outbox, goes to its new id."""
        async with self._claiming:
            self._let_go(item)
            self.gate.book.forget(item.chat_id)
            async with UnitOfWork(self.sessions) as uow:
                await chat_troubles.follow_move(uow, self.troubles, item.chat_id, new_chat, utcnow())
                uow.after_commit(self.wake)

    def _let_go(self, item: Outgoing) -> list[int]:
        """Empty the chat's queue; the ids taken after `item`, to be released."""
        queue = self._queues.get(item.chat_id, deque())
        rest = [waiting.id for waiting in queue if waiting.id != item.id]
        queue.clear()
        return rest

    # ---- one chat, in order -------------------------------------------------------------
    async def _drain(self, chat_id: int) -> None:
        from_the_sender()  # the session's retry middleware leaves our calls to us
        queue = self._queues.get(chat_id, deque())
        try:
            while queue and not self._stopping:
                about_ticket(None)  # each message's lines name its own ticket
                item = queue[0]
                if self._superseded(item, queue):
                    queue.popleft()
                    self.record_sent(item, None)
                    continue
                if not await answers.deliver(self, item):
                    return
                if queue and queue[0] is item:
                    queue.popleft()
        finally:
            if not queue and self._queues.get(chat_id) is queue:
                del self._queues[chat_id]
                if self._more_waiting:
                    self._wake.set()  # room for more

    @staticmethod
    def _superseded(item: Outgoing, queue: deque[Outgoing]) -> bool:
        """An edit of a card with a later edit of the same card waiting: only the latest goes."""
        if item.coalesce_key is None or item.method != "editCard":
            return False
        return any(later is not item and later.coalesce_key == item.coalesce_key for later in queue)

    async def call(self, item: Outgoing, weight: int, make: Callable[[], Awaitable[T]]) -> T:
        """Make one call to Telegram for the chat, at the moment the limits allow it."""
        permit = await self.gate.permit(item.chat_id, weight, item.id, self._urgency(item.chat_id))
        try:
            result = await make()
        except TelegramRetryAfter as error:
            if self.gate.too_many(permit, error.retry_after):
                log.warning("429s for several chats: every chat waits %ss", error.retry_after)
            raise
        except TelegramServerError:
            self.gate.refused(permit)  # not counted by Telegram
            raise
        except BaseException:
            self.gate.answered(permit)
            raise
        self.gate.answered(permit)
        return result

    def _urgency(self, chat_id: int) -> float:
        """Seconds the chat's own limit needs to send what it has waiting, when that is more
        than a group's window; otherwise 0, and the oldest goes first (delivery/gate.py)."""
        queue = self._queues.get(chat_id, deque())
        if chat_id > 0:
            chain = max(len(queue) - 1, 0) * self.limits.private_interval
        else:
            photos = sum(len(item.payload.get("params", {}).get("media", [None])) for item in queue)
            chain = max(math.ceil(photos / self.limits.group_messages) - 1, 0) * self.limits.group_window
        return chain if chain >= self.limits.group_window else 0.0

    # ---- what was sent ------------------------------------------------------------------
    def record_sent(self, item: Outgoing, message_id: int | None) -> None:
        """Telegram has the message: the mark is written with the next batch."""
        self.stats.sent += 1
        self._results.append((item, message_id))
        self._fresh[item.id] = message_id
        if len(self._results) >= 200:
            self._wake_flusher()

    def _wake_flusher(self) -> None:
        if self._flusher is not None and not self._flusher.done():
            self._flush_soon.set()

    async def telegram_message_id(self, outbox_id: int) -> int | None:
        if outbox_id in self._fresh:
            return self._fresh[outbox_id]
        async with UnitOfWork(self.sessions) as uow:
            return await uow.outbox.telegram_message_id(outbox_id)

    async def card_sent_anew(self, card_id: int, item: Outgoing, message_id: int) -> None:
        """The card could not be edited and went as a new message: later edits go to that one."""
        async with self._writing:
            if card_id in self._fresh:
                self._fresh[card_id] = message_id
            self._results = [(sent, message_id if sent.id == card_id else kept) for sent, kept in self._results]
            async with UnitOfWork(self.sessions) as uow:
                await uow.outbox.card_sent_anew(card_id, message_id)
                if item.ticket_id is not None:
                    await uow.tickets.set_card(item.ticket_id, item.chat_id, message_id)

    async def _flush_now_and_then(self) -> None:
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flush_soon.wait(), self.flush_interval)
            self._flush_soon.clear()
            try:
                await self._flush()
            except Exception:
                log.exception("the sender could not write down what it sent")

    async def _flush(self) -> None:
        async with self._writing:
            await self._write_down()

    async def _write_down(self) -> None:
        results, self._results = self._results, []
        if not results:
            return
        try:
            async with UnitOfWork(self.sessions) as uow:
                await uow.outbox.sent_many([(item.id, message_id) for item, message_id in results], utcnow())
                for item, message_id in results:
                    if item.purpose == "card" and message_id is not None and item.ticket_id is not None:
                        await uow.tickets.set_card(item.ticket_id, item.chat_id, message_id)
                for chat_id in sorted({item.chat_id for item, _ in results if item.chat_id < 0}):
                    await chat_troubles.got_through(uow, self.troubles, chat_id)
        except BaseException:
            self._results[:0] = results  # written with the next batch
            raise
        for item, _ in results:
            self._fresh.pop(item.id, None)
