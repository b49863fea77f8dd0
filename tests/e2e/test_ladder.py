"""The ladder's people who are not managers (domain/roles.py): told of every escalation,
shown only the buttons they may press, and refused when they forge another."""

from datetime import timedelta

import pytest

from tests.conftest import AQUA_GROUP, MANAGER_ID
from tests.e2e.test_clock import filed_leak, sweep
from tests.fake_telegram.people import Person

SUPERVISOR_ID = 900004  # a supervisor, not in staff.managers


@pytest.fixture
def config_path(config_path):
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(
        text.replace(f"supervisors = [{MANAGER_ID}]", f"supervisors = [{MANAGER_ID}, {SUPERVISOR_ID}]"),
        encoding="utf-8",
    )
    return config_path


def button_texts(message: dict) -> list[str]:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


async def test_a_supervisor_who_is_not_a_manager_may_read_but_not_manage(running, people, telegram, clock):
    sam = Person(telegram, SUPERVISOR_ID, "Sam", None, "en")
    telegram.started.add(sam.id)
    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    clock.advance(timedelta(days=2, minutes=1))  # past the resolve-by
    assert await sweep(running) >= 1
    alert = await sam.expect(f"Job №{number}", "Escalated to: supervisor")
    assert button_texts(alert) == ["📄 Open"]
    boss_alert = await people.boss.expect(f"Job №{number}", "Escalated to: supervisor")
    assert button_texts(boss_alert) == ["📄 Open", "🔀 Reassign", "⏳ Extend"]  # a manager as well

    await sam.press("Open")
    view = await sam.expect(f"Job №{number}", "Status: engineer on site")
    assert button_texts(view) == []

    reassign = people.boss.find_button("Reassign")[1]
    answer = await sam.press_data(reassign, alert)  # a forged press
    assert answer["text"] == "Sorry, only the property's managers can do this."
    close = reassign.replace("reassign", "close")
    answer = await sam.press_data(close, alert)
    assert answer["text"] == "Sorry, only the property's managers can do this."
    await sam.send(f"/ticket {number}")
    assert "only the property's managers" in (await sam.next_message())["text"]
    await people.ivan.press("Arrived")  # the job is untouched: still Ivan's, still on site
    await people.ivan.expect("not possible for this job now")
