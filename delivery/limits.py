"""Telegram's sending limits, kept as Telegram applies them (apart from the sender, so that
reading the config does not load the Telegram client).

- a private chat: about one message a second. An album counts once here: it is one burst,
  and counted per photo it could never go at all;
- a group: at most 20 messages in any 60 seconds, a sliding window, and an album counts
  each of its photos;
- the bot overall: at most 30 messages in any second, albums counted per photo.

The book counts every call from the moment it is made until its answer arrives, and then
as made at the moment of the answer: Telegram saw it somewhere between the two, so the
answer's moment is the latest it can have counted it. The next call is measured from there,
which keeps the limits however long the requests travel. A call Telegram refused with a 429
or a server error did not count on its side and leaves the book. Times are plain seconds of
whatever clock the caller keeps (the sender's monotonic clock; plain numbers in the tests).
"""

import math
from collections import deque
from dataclasses import dataclass, field

WAIT_FOR_ANSWER = math.inf  # the call cannot go before an earlier one is answered


@dataclass(frozen=True)
class SendLimits:
    private_interval: float = 1.0  # seconds between two messages to one private chat
    group_messages: int = 20  # messages to one group in any group_window seconds
    group_window: float = 60.0
    overall_messages: int = 30  # messages in any overall_window seconds, all chats together
    overall_window: float = 1.0
    retry_base: float = 1.0  # the first retry after a 5xx or a network error; doubles each time
    max_backoff: float = 300.0
    recheck_interval: float = 300.0  # how often a staff group that refuses the bot is tried again
    chats_for_overall_429: int = 3  # 429s for this many chats within a second: the bot's limit


@dataclass(eq=False)
class Permit:
    """One call to Telegram in the book: `weight` messages (an album's photos) to a chat."""

    chat_id: int
    weight: int
    made: float
    answered: float = WAIT_FOR_ANSWER  # until then it counts as made now, whenever now is


@dataclass
class _Window:
    """At most `capacity` messages in any `seconds`: the permits still inside it."""

    capacity: int
    seconds: float
    permits: deque[Permit] = field(default_factory=deque)
    pruned_at: float = -math.inf

    def prune(self, now: float) -> None:
        """Once per moment: the sender asks for many chats at the same moment, and an answer
        noted at that moment cannot leave the window yet."""
        if now != self.pruned_at:
            self.pruned_at = now
            if any(p.answered + self.seconds <= now for p in self.permits):
                self.permits = deque(p for p in self.permits if p.answered + self.seconds > now)

    def wait(self, weight: int, now: float) -> float:
        """Seconds until `weight` more messages fit (WAIT_FOR_ANSWER if only an answer frees room)."""
        self.prune(now)
        weight = min(weight, self.capacity)  # a burst bigger than the window goes alone
        excess = sum(p.weight for p in self.permits) + weight - self.capacity
        if excess <= 0:
            return 0.0
        freed = 0
        for permit in sorted(self.permits, key=lambda p: p.answered):
            freed += permit.weight
            if freed >= excess:
                return permit.answered + self.seconds - now
        return WAIT_FOR_ANSWER

    def remove(self, permit: Permit) -> None:
        if permit in self.permits:
            self.permits.remove(permit)


class LimitBook:
    def __init__(self, limits: SendLimits) -> None:
        self.limits = limits
        self._last_private: dict[int, Permit] = {}
        self._groups: dict[int, _Window] = {}
        self._overall = _Window(limits.overall_messages, limits.overall_window)
        self._overall_next = 0.0  # the overall limit's places are handed out evenly, see take()
        self._chat_paused: dict[int, float] = {}
        self._all_paused = 0.0
        self._recent_429: deque[tuple[float, int]] = deque()

    def chat_wait(self, chat_id: int, weight: int, now: float) -> float:
        """Seconds before the chat may get a call carrying `weight` messages (0: now)."""
        wait = max(self._chat_paused.get(chat_id, 0.0) - now, 0.0)
        if chat_id > 0:
            last = self._last_private.get(chat_id)
            if last is not None:
                wait = max(wait, last.answered + self.limits.private_interval - now)
        else:
            wait = max(wait, self._group(chat_id).wait(weight, now))
        return max(wait, 0.0)

    def overall_wait(self, weight: int, now: float) -> float:
        wait = max(self._all_paused, self._overall_next) - now
        return max(wait, self._overall.wait(weight, now), 0.0)

    def wait(self, chat_id: int, weight: int, now: float) -> float:
        return max(self.chat_wait(chat_id, weight, now), self.overall_wait(weight, now))

    def take(self, chat_id: int, weight: int, now: float) -> Permit:
        """A call goes now: it counts in its chat and overall until it is answered and after."""
        permit = Permit(chat_id, weight, now)
        if chat_id > 0:
            self._last_private[chat_id] = permit
        else:
            self._group(chat_id).permits.append(permit)
        self._overall.permits.append(permit)
        # 30 a second handed out evenly, not all at the second's start: a group that must
        # wait for each answer before its next message then finds a place free soon after
        self._overall_next = now + weight * self.limits.overall_window / self.limits.overall_messages
        return permit

    def answered(self, permit: Permit, now: float) -> None:
        permit.answered = now

    def refused(self, permit: Permit) -> None:
        """Telegram did not count the call (a 429, a server error): it leaves the book."""
        if self._last_private.get(permit.chat_id) is permit:
            del self._last_private[permit.chat_id]
        if permit.chat_id in self._groups:
            self._groups[permit.chat_id].remove(permit)
        self._overall.remove(permit)
        if self._overall_next > permit.made:  # it was the last: its even share is free again
            self._overall_next = permit.made

    def too_many(self, permit: Permit, retry_after: float, now: float) -> bool:
        """A 429: the call did not count, and its chat waits retry_after. Telegram does not say
        which limit it was; 429s for several chats within a second mean the bot's overall
        limit, and then every chat waits. True when it was taken as the overall limit."""
        self.refused(permit)
        until = now + retry_after
        self._chat_paused[permit.chat_id] = max(self._chat_paused.get(permit.chat_id, 0.0), until)
        self._recent_429.append((now, permit.chat_id))
        while self._recent_429 and self._recent_429[0][0] <= now - self.limits.overall_window:
            self._recent_429.popleft()
        if len({chat for _, chat in self._recent_429}) >= self.limits.chats_for_overall_429:
            self._all_paused = max(self._all_paused, until)
            return True
        return False

    def forget(self, chat_id: int) -> None:
        """A chat moved to a new id: its old book is of no use."""
        self._last_private.pop(chat_id, None)
        self._groups.pop(chat_id, None)
        self._chat_paused.pop(chat_id, None)

    def _group(self, chat_id: int) -> _Window:
        window = self._groups.get(chat_id)
        if window is None:
            window = self._groups[chat_id] = _Window(self.limits.group_messages, self.limits.group_window)
        return window
