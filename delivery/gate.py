"""Where the sender's calls wait for Telegram's limits (delivery/limits.py): each call asks
for its permit at the moment it is about to be made, and the oldest message whose chat may
get it goes first. A message held back by its own chat never holds back another chat's; one
held back by the overall limit keeps its place ahead of younger ones.

One exception to "oldest first": a chat whose own limit makes its queue the longest to send
(a group with more than a minute's worth waiting: its next minute cannot start before its
first one) goes ahead, by how long its queue needs. A place in a group's minute left unused
is lost for good, while the overall second it takes is the same for every chat; so a burst
is over when the busiest chat's own limit allows, not a minute or more later. Without such
a queue (the usual day), every chat's urgency is 0 and the oldest goes first."""

import asyncio
import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from delivery.limits import LimitBook, Permit


@dataclass(eq=False)
class _Waiter:
    urgency: float  # seconds the chat's own limit needs for what it has waiting: the most first
    priority: int  # the outbox id: then the oldest first
    order: int
    chat_id: int
    weight: int
    granted: asyncio.Future[Permit]


class Gate:
    def __init__(self, book: LimitBook, clock: Callable[[], float] = time.monotonic) -> None:
        self.book = book
        self.clock = clock
        self._waiting: list[_Waiter] = []
        self._order = itertools.count()
        self._timer: asyncio.TimerHandle | None = None

    async def permit(self, chat_id: int, weight: int, priority: int, urgency: float = 0.0) -> Permit:
        """Wait until a call of `weight` messages to the chat may go, and count it as gone."""
        future: asyncio.Future[Permit] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiter(urgency, priority, next(self._order), chat_id, weight, future))
        self._grant()
        try:
            return await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.book.refused(future.result())  # granted, but the call was never made
            raise

    def answered(self, permit: Permit) -> None:
        self.book.answered(permit, self.clock())
        self._grant()

    def refused(self, permit: Permit) -> None:
        self.book.refused(permit)
        self._grant()

    def too_many(self, permit: Permit, retry_after: float) -> bool:
        overall = self.book.too_many(permit, retry_after, self.clock())
        self._grant()
        return overall

    def _grant(self) -> None:
        now = self.clock()
        self._waiting = [w for w in self._waiting if not w.granted.done()]
        self._waiting.sort(key=lambda w: (-w.urgency, w.priority, w.order))
        next_try, left = math.inf, []
        for index, waiter in enumerate(self._waiting):
            overall_wait = self.book.overall_wait(1, now)
            if overall_wait == 0:
                chat_wait = self.book.chat_wait(waiter.chat_id, waiter.weight, now)
                if chat_wait > 0:
                    next_try = min(next_try, chat_wait)
                    left.append(waiter)
                    continue
                overall_wait = self.book.overall_wait(waiter.weight, now)
            if overall_wait > 0:  # the overall limit: this one and every younger one wait
                next_try = min(next_try, overall_wait)
                left.extend(self._waiting[index:])
                break
            waiter.granted.set_result(self.book.take(waiter.chat_id, waiter.weight, now))
        self._waiting = left
        self._wake_in(next_try)

    def _wake_in(self, seconds: float) -> None:
        """Try again when the first wait ends (an answer tries again by itself)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._waiting and seconds < math.inf:
            self._timer = asyncio.get_running_loop().call_later(seconds, self._grant)
