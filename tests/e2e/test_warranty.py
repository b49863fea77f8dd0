"""A month before a unit's warranties end, its owners are reminded."""

from datetime import UTC, datetime

from tests.e2e.steps import register
from tests.e2e.test_clock import settle


async def test_owners_are_reminded_a_month_before_their_warranty_ends_once(running, people, telegram, clock):
    await register(people.wang, "zh")  # A-1203, handed over 2024-06-30: two-year parts end 2026-06-30
    await register(people.john)  # B-0502, handed over 2018: nothing left to remind of
    clock.set(datetime(2026, 5, 1, 0, tzinfo=UTC))
    assert await running.app.clock.remind_warranty_endings() == 0  # two months ahead: not yet
    clock.set(datetime(2026, 6, 1, 0, tzinfo=UTC))
    assert await running.app.clock.remind_warranty_endings() == 1
    await settle(running)
    reminder = await people.wang.expect("保修期将于2026-06-30到期")
    assert "给排水管道" in reminder["text"] and "屋面" not in reminder["text"]  # waterproofing lasts 5 years
    assert await running.app.clock.remind_warranty_endings() == 0
    assert not [m for m in telegram.chat_messages(people.john.id) if "warranty" in m.get("text", "")]
    await people.wang.press("报修")
    await people.wang.expect("请选择问题类型")
