"""Telegram's limits as the sender keeps them (delivery/limits.py, delivery/gate.py), with
plain numbers for time and no network."""

import asyncio
import math

from pytest import approx

from delivery.gate import Gate
from delivery.limits import LimitBook, SendLimits

OWNER, OTHER_OWNER, GROUP, OTHER_GROUP = 101, 102, -1001, -1002


def book() -> LimitBook:
    return LimitBook(SendLimits())


def sent(limits: LimitBook, chat_id: int, made: float, answered: float, weight: int = 1) -> None:
    limits.answered(limits.take(chat_id, weight, made), answered)


def test_a_private_chat_gets_its_next_message_a_second_after_the_answer_to_the_last():
    limits = book()
    permit = limits.take(OWNER, 1, 10.0)
    assert limits.chat_wait(OWNER, 1, 10.5) == math.inf  # not answered yet: Telegram may count it any moment
    limits.answered(permit, 10.2)
    assert limits.chat_wait(OWNER, 1, 10.5) == approx(1.0 - 0.3)
    assert limits.chat_wait(OWNER, 1, 11.2) == 0
    assert limits.chat_wait(OTHER_OWNER, 1, 10.5) == 0


def test_a_group_takes_twenty_in_any_minute_not_one_every_three_seconds():
    limits = book()
    for second in range(20):
        assert limits.chat_wait(GROUP, 1, second * 0.1) == 0
        sent(limits, GROUP, second * 0.1, second * 0.1 + 0.05)
    assert limits.chat_wait(GROUP, 1, 2.0) == approx(0.05 + 60 - 2.0)  # the first leaves the window
    assert limits.chat_wait(GROUP, 2, 2.0) == approx(0.15 + 60 - 2.0)  # two places: the second must leave too
    assert limits.chat_wait(GROUP, 1, 60.05) == 0
    assert limits.chat_wait(OTHER_GROUP, 1, 2.0) == 0


def test_an_album_counts_each_photo_in_the_groups_minute():
    limits = book()
    sent(limits, GROUP, 0.0, 0.1, weight=7)
    sent(limits, GROUP, 1.0, 1.1, weight=7)
    assert limits.chat_wait(GROUP, 6, 2.0) == 0  # 14 + 6 = 20: fits
    wait = limits.chat_wait(GROUP, 7, 2.0)  # a third album of 7 would make 21
    assert wait == approx(0.1 + 60 - 2.0)
    assert limits.chat_wait(GROUP, 7, 2.0 + wait) == 0


def test_an_album_to_a_private_chat_counts_once_there_and_per_photo_overall():
    limits = book()
    sent(limits, OWNER, 0.0, 0.1, weight=10)
    assert limits.chat_wait(OWNER, 1, 1.1) == 0
    for chat in range(20):
        sent(limits, 200 + chat, 0.2, 0.3)
    assert limits.overall_wait(1, 0.5) == approx(0.1 + 1.0 - 0.5)  # 10 + 20 = 30 in the second


def test_thirty_a_second_overall_handed_out_evenly():
    limits = book()
    limits.take(OWNER, 1, 0.0)
    assert limits.overall_wait(1, 0.0) == approx(1 / 30)
    limits.take(GROUP, 6, 0.1)  # an album of six takes six places
    assert limits.overall_wait(1, 0.1) == approx(6 / 30)
    assert limits.overall_wait(1, 0.31) == 0


def test_thirty_a_second_overall_counting_calls_not_yet_answered():
    limits = book()
    permits = [limits.take(1000 + chat, 1, 0.0) for chat in range(30)]
    assert limits.overall_wait(1, 0.5) == math.inf  # all thirty still on their way
    for index, permit in enumerate(permits):
        limits.answered(permit, 0.01 * (index + 1))
    assert limits.overall_wait(1, 0.5) == approx(0.01 + 1.0 - 0.5)
    assert limits.overall_wait(1, 1.02) == 0


def test_a_refused_call_does_not_use_up_the_chats_turn():
    limits = book()
    sent(limits, OWNER, 0.0, 0.1)
    permit = limits.take(OWNER, 1, 1.1)
    limits.refused(permit)  # a 500: Telegram did not count it
    assert limits.chat_wait(OWNER, 1, 1.2) == 0
    group_permit = limits.take(GROUP, 20, 2.0)
    limits.refused(group_permit)
    assert limits.chat_wait(GROUP, 20, 2.1) == 0
    assert limits.overall_wait(30, 2.1) == 0


def test_a_429_holds_its_own_chat_only():
    limits = book()
    permit = limits.take(OWNER, 1, 5.0)
    assert not limits.too_many(permit, retry_after=7, now=5.1)
    assert limits.chat_wait(OWNER, 1, 5.2) == approx(7 - 0.1)
    assert limits.chat_wait(OTHER_OWNER, 1, 5.2) == 0
    assert limits.chat_wait(GROUP, 1, 5.2) == 0
    assert limits.overall_wait(1, 5.2) == 0


def test_429s_for_several_chats_at_once_are_the_bots_overall_limit():
    limits = book()
    assert not limits.too_many(limits.take(OWNER, 1, 0.0), 2, 0.1)
    assert not limits.too_many(limits.take(GROUP, 1, 0.0), 2, 0.2)
    assert limits.too_many(limits.take(OTHER_OWNER, 1, 0.0), 2, 0.3)
    assert limits.overall_wait(1, 0.4) == approx(2.3 - 0.4)
    assert not limits.too_many(limits.take(OTHER_GROUP, 1, 3.0), 1, 3.0)  # the earlier ones are old news


def test_429s_for_one_chat_in_a_row_stay_that_chats():
    limits = book()
    for attempt in range(5):
        assert not limits.too_many(limits.take(OWNER, 1, attempt * 0.1), 1, attempt * 0.1)
    assert limits.overall_wait(1, 0.5) == 0


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_the_oldest_message_goes_first_when_the_overall_limit_frees_a_place():
    """The gate looks again when the first wait ends (a real timer of 50 ms here); the
    book's clock is set past it by hand, so the timer only decides when, never whether."""
    clock = Clock()
    gate = Gate(LimitBook(SendLimits(overall_messages=1, overall_window=0.05)), clock)
    first = await gate.permit(1, 1, priority=5)
    waiting = {priority: asyncio.create_task(gate.permit(priority, 1, priority)) for priority in (30, 10, 20)}
    await asyncio.sleep(0)
    clock.now = 0.5
    gate.answered(first)  # the overall window is full until 0.55
    await asyncio.sleep(0)
    assert not any(task.done() for task in waiting.values())
    clock.now = 0.6
    await asyncio.sleep(0.1)
    assert [p for p, task in waiting.items() if task.done()] == [10]
    clock.now = 0.7
    gate.answered(waiting[10].result())
    clock.now = 0.8
    await asyncio.sleep(0.1)
    assert [p for p, task in waiting.items() if task.done()] == [10, 20]
    for task in waiting.values():
        task.cancel()


async def test_a_chat_held_by_its_own_limit_lets_younger_messages_of_other_chats_pass():
    clock = Clock()
    gate = Gate(LimitBook(SendLimits()), clock)
    gate.answered(await gate.permit(OWNER, 1, priority=1))
    clock.now = 0.5  # past the overall limit's even spacing, within the owner's second
    held = asyncio.create_task(gate.permit(OWNER, 1, priority=2))
    other = asyncio.create_task(gate.permit(OTHER_OWNER, 1, priority=3))
    await asyncio.sleep(0)
    assert other.done() and not held.done()
    held.cancel()
