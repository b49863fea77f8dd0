"""Which updates surely are new when polling alone (bot/middlewares.py FreshUpdates): the
database is asked about every other one."""

from bot.middlewares import FreshUpdates


def test_before_polling_began_and_when_not_polling_alone_every_update_is_looked_up():
    assert not FreshUpdates(enabled=True).surely_new(10)  # no floor read yet
    not_alone = FreshUpdates(enabled=False)  # a webhook, or conversations in Redis
    not_alone.begin_after(5)
    assert not not_alone.surely_new(10)


def test_above_the_floor_an_update_is_new_once_and_at_or_below_it_is_looked_up():
    fresh = FreshUpdates(enabled=True)
    fresh.begin_after(100)
    assert [fresh.surely_new(update) for update in (99, 100, 101, 103, 101, 102)] == [
        False,  # recorded before polling began, perhaps: a redelivery after a restart
        False,
        True,
        True,
        False,  # the same update again (its twin): the database decides
        True,
    ]


def test_beyond_what_it_keeps_it_lets_go_of_the_oldest_half_by_raising_the_floor():
    fresh = FreshUpdates(enabled=True)
    fresh.KEPT = 10
    fresh.begin_after(0)
    assert all(fresh.surely_new(update) for update in range(1, 12))  # 11 taken: 1-6 let go
    assert not fresh.surely_new(6)  # below the raised floor: looked up, never called new
    assert not fresh.surely_new(11)  # still remembered as taken
    assert fresh.surely_new(12)
