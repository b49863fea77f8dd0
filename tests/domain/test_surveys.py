"""Who a survey asks, when it reminds, and how its figures compare with the targets."""

from datetime import UTC, date, datetime, timedelta

from domain.satisfaction import Dimension
from domain.surveys import (
    Scope,
    UnitStatus,
    moved_in_window,
    next_step,
    progress,
    reminder_due,
    results,
    yearly_due,
)

TODAY = date(2026, 12, 1)


def test_a_scope_of_some_blocks_asks_only_their_owners():
    scope = Scope("blocks", ("A",))
    assert scope.covers("A", None, TODAY) and not scope.covers("B", None, TODAY)
    assert Scope("all").covers("B", None, TODAY)
    assert Scope.from_dict(scope.as_dict()) == scope


def test_moved_in_six_months_ago_is_the_month_up_to_that_day_and_windows_meet():
    assert moved_in_window(TODAY, 6) == (date(2026, 5, 1), date(2026, 6, 1))
    scope = Scope("moved_in", months=6)
    assert scope.covers("A", date(2026, 6, 1), TODAY)
    assert scope.covers("A", date(2026, 5, 2), TODAY)
    assert not scope.covers("A", date(2026, 5, 1), TODAY)  # last month's survey had it
    assert scope.covers("A", date(2026, 5, 1), date(2026, 11, 1))
    assert not scope.covers("A", date(2026, 6, 2), TODAY)
    assert not scope.covers("A", None, TODAY)


def test_an_owner_who_stopped_half_way_continues_at_the_first_open_question():
    assert next_step([], 4) == 0
    assert next_step([0, 1], 4) == 2
    assert next_step([0, 2], 4) == 1
    assert next_step([0, 1, 2, 3], 4) is None


def test_reminders_come_every_so_often_and_stop_after_the_last():
    asked = datetime(2026, 11, 23, 2, tzinfo=UTC)
    every = timedelta(days=3)
    assert not reminder_due(asked, None, 0, asked + every - timedelta(minutes=1), every=every, most=2)
    assert reminder_due(asked, None, 0, asked + every, every=every, most=2)
    reminded = asked + every
    assert not reminder_due(asked, reminded, 1, reminded + timedelta(days=2), every=every, most=2)
    assert reminder_due(asked, reminded, 1, reminded + every, every=every, most=2)
    assert not reminder_due(asked, reminded, 2, reminded + 10 * every, every=every, most=2)


def test_the_yearly_survey_starts_on_its_day():
    assert yearly_due(date(2026, 3, 15), "03-15")
    assert not yearly_due(date(2026, 3, 16), "03-15")
    assert not yearly_due(date(2026, 3, 15), None)


def test_reach_and_return_per_block_against_ninety_and_eighty_percent():
    units = [UnitStatus("A", True, True)] * 9 + [UnitStatus("A", False, False)]
    units += [UnitStatus("B", True, True)] * 3 + [UnitStatus("B", True, False)]
    figures = progress(units)
    a, b = figures.blocks
    assert (a.units, a.reached, a.returned, a.reach_rate, a.return_rate) == (10, 9, 9, 90.0, 100.0)
    assert a.on_target
    assert (b.reach_rate, b.return_rate) == (100.0, 75.0)
    assert not b.on_target  # 75% returned, under 80%
    total = figures.total
    assert (total.units, total.reached, total.returned) == (14, 13, 12)


def test_a_unit_not_reached_cannot_count_as_returned_and_an_empty_block_has_no_rate():
    figures = progress([UnitStatus("A", False, True)])
    assert figures.blocks[0].returned == 0
    assert figures.blocks[0].return_rate is None and not figures.blocks[0].on_target


def test_the_satisfaction_rate_per_question_counts_the_top_two():
    rates = results([("overall", 1), ("overall", 2), ("overall", 3), ("skill", 4)])
    assert rates[Dimension.OVERALL].percent == 66.7
    assert rates[Dimension.SKILL].percent == 0.0
