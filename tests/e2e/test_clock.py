"""The clock that never forgets: reminders, the fallback on a missed
take-by, the escalation ladder at the right simulated times, night duty, restarts, and
two sweeps at once — each reminder and each alert exactly once."""

import asyncio
from datetime import timedelta

from bot.app import build
from settings.config import load_config
from tests.conftest import ALERT_CHAT, AQUA_GROUP, INHOUSE_GROUP, NIGHT_CHAT
from tests.e2e.steps import quote_accepted, record_work, register, report_leak_in_english, ticket_number


def texts(telegram, chat_id, fragment):
    return [m["text"] for m in telegram.chat_messages(chat_id) if fragment in m.get("text", "")]


async def settle(running):
    """Let the updates in hand finish and the sender deliver everything queued so far."""
    await asyncio.wait_for(running.app.in_flight.idle.wait(), 5)
    for _ in range(250):
        if await running.app.sender.idle():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the outbox did not drain")


async def sweep(running) -> int:
    await settle(running)
    sent = await running.app.clock.sweep()
    await settle(running)
    return sent


async def filed_leak(people) -> str:
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    return number


async def test_a_job_nobody_takes_is_reminded_then_passed_to_the_fallback(running, people, telegram, clock):
    number = await filed_leak(people)
    clock.advance(timedelta(minutes=9))
    assert await sweep(running) == 0
    clock.advance(timedelta(minutes=2))  # 10:11, four minutes before the take-by
    assert await sweep(running) == 1
    assert texts(telegram, AQUA_GROUP, f"Job №{number} is still waiting for an engineer: take it by 11-23 10:15")
    assert await sweep(running) == 0
    clock.advance(timedelta(minutes=5))  # 10:16
    assert await sweep(running) == 1
    await people.olga.expect(f"Job №{number}", chat_id=INHOUSE_GROUP)
    alert = await people.boss.expect(f"Job №{number} was not taken by Aqua Plumbing in time", chat_id=ALERT_CHAT)
    assert "it went to In-house team" in alert["text"]
    assert texts(telegram, AQUA_GROUP, "did not take the job in time; passed to In-house team")
    clock.advance(timedelta(minutes=10))  # the in-house team gets its own reminder, once
    assert await sweep(running) == 1
    assert len(texts(telegram, INHOUSE_GROUP, "is still waiting for an engineer")) == 1
    assert await sweep(running) == 0


async def test_a_missed_resolve_by_climbs_the_ladder_at_the_right_times(running, people, telegram, clock):
    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    clock.advance(timedelta(days=2, hours=-1, minutes=-30))  # 11-25 08:30: 90 minutes before resolve-by
    assert await sweep(running) == 1
    await people.ivan.expect("the job must be resolved by 11-25 10:00")
    clock.advance(timedelta(minutes=91))  # 10:01
    assert await sweep(running) == 1
    first = await people.boss.expect(f"Job №{number}", "missed its resolve deadline", chat_id=ALERT_CHAT)
    assert "Escalated to: supervisor" in first["text"]
    assert [b["text"] for row in first["reply_markup"]["inline_keyboard"] for b in row] == [
        "📄 Open",
        "🔀 Reassign",
        "⏳ Extend",
    ]
    await people.boss.expect("Escalated to: supervisor")  # the supervisor in person
    await people.ivan.expect("The resolve-by deadline was missed")
    clock.advance(timedelta(hours=23))
    assert await sweep(running) == 0
    clock.advance(timedelta(hours=1, minutes=1))
    assert await sweep(running) == 1
    await people.pm.expect("Escalated to: project manager")
    clock.advance(timedelta(days=2))
    assert await sweep(running) == 1
    await people.gm.expect("Escalated to: general manager")
    assert await sweep(running) == 0
    assert len(texts(telegram, ALERT_CHAT, f"Job №{number}")) == 3


async def test_alerts_at_night_go_to_the_night_duty(running, people, telegram, clock):
    clock.advance(timedelta(hours=12))  # 22:00 in Shanghai
    number = await filed_leak(people)
    clock.advance(timedelta(minutes=16))
    assert await sweep(running) == 1
    await people.boss.expect(f"Job №{number} was not taken", chat_id=NIGHT_CHAT)
    assert not texts(telegram, ALERT_CHAT, f"Job №{number}")


async def test_what_fell_due_during_an_outage_is_sent_once_after_the_restart(running, people, telegram, clock):
    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    await running.stop()
    clock.advance(timedelta(days=5))  # on-site and resolve-by long missed
    await running.start()  # the scheduler sweeps at once on start
    await telegram.wait_for(lambda: len(texts(telegram, ALERT_CHAT, f"Job №{number}")) == 2, what="catch-up alerts")
    on_site, resolve = sorted(texts(telegram, ALERT_CHAT, f"Job №{number}"))
    assert "missed its on site deadline" in on_site and "Escalated to: general manager" in on_site
    assert "missed its resolve deadline" in resolve and "Escalated to: general manager" in resolve
    assert not texts(telegram, ALERT_CHAT, "Escalated to: supervisor")  # only the rung reached
    assert await sweep(running) == 0
    await running.restart()
    await asyncio.sleep(0.3)
    assert await sweep(running) == 0
    assert len(texts(telegram, ALERT_CHAT, f"Job №{number}")) == 2


async def test_two_sweeps_at_once_and_a_second_process_send_each_alert_once(
    running, people, telegram, clock, config_path
):
    number = await filed_leak(people)
    clock.advance(timedelta(minutes=16))
    other = build(load_config(config_path), clock)  # a second bot process on the same database
    try:
        results = await asyncio.gather(running.app.clock.sweep(), running.app.clock.sweep(), other.clock.sweep())
    finally:
        await other.close()
    assert sum(results) == 1
    await settle(running)
    assert len(texts(telegram, ALERT_CHAT, f"Job №{number} was not taken")) == 1


async def test_the_scheduler_drives_the_sweep_by_itself(config_path, clock, telegram, people, monkeypatch):
    from tests.conftest import RunningBot

    monkeypatch.setenv("BAOXIU_POLICY__SCHEDULER_TICK", "100ms")
    bot = RunningBot(config_path, clock, telegram)
    await bot.start()
    try:
        number = await filed_leak(people)
        clock.advance(timedelta(minutes=11))
        await people.ivan.expect(f"Job №{number} is still waiting", chat_id=AQUA_GROUP)
    finally:
        await bot.stop()


async def test_visit_reminders_reach_the_engineer_and_the_owner(running, people, telegram, clock):
    await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.press("Propose visit times")
    await people.ivan.press("11-24 09:00")
    await people.ivan.press("Send to owner")
    await people.john.press("11-24 09:00")
    await people.john.expect("Agreed")
    clock.set(clock.now().replace(day=24, hour=0, minute=5))  # 08:05 in Shanghai
    assert await sweep(running) == 1
    await people.john.expect("Reminder: Ivan comes for request", "at 11-24 09:00")
    await people.ivan.expect("Your visit is at 11-24 09:00")
    assert await sweep(running) == 0


async def test_an_owner_who_never_confirms_is_asked_once_more_then_closed_by_silence(
    running, people, telegram, clock, config_path
):
    import sqlite3

    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    await quote_accepted(people)
    await record_work(people.ivan, "Fixed the seal")
    await people.john.expect("Is it fixed?")
    clock.advance(timedelta(days=1, minutes=1))
    assert await sweep(running) == 1
    await people.john.expect(f"We have not heard from you about request №{number}")
    assert await sweep(running) == 0
    clock.advance(timedelta(days=2))
    assert await sweep(running) == 1
    await people.john.expect(f"request №{number} is closed")
    await people.ivan.expect("closed as confirmed by silence")
    with sqlite3.connect(config_path.parent / "baoxiu.db") as db:
        assert db.execute("select status from ticket").fetchall() == [("closed_by_silence",)]
        assert db.execute("select count(*) from callback").fetchall() == [(2,)]  # called back all the same


async def test_the_morning_digest_counts_open_and_overdue_jobs_once_a_day(running, people, telegram, clock):
    number = await filed_leak(people)
    clock.advance(timedelta(days=3))
    await running.app.clock.morning_digest()
    await running.app.clock.morning_digest()  # a second process, or a restart, the same morning
    await settle(running)
    digests = texts(telegram, ALERT_CHAT, "Good morning")
    assert len(digests) == 1
    assert "Open jobs: 1, overdue: 1." in digests[0] and f"№{number}" in digests[0]
