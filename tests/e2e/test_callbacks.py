"""The bot comes back to every owner after the repair: callbacks on schedule,
ratings, unanswered callbacks, rain, repeat repairs and unhappy owners."""

import asyncio
import sqlite3
from datetime import timedelta

from bot import cli
from tests.conftest import ALERT_CHAT, AQUA_GROUP
from tests.e2e.steps import quote_accepted, record_work, register, report_leak_in_english, ticket_number
from tests.e2e.test_clock import settle, sweep


async def shown(person, fragment: str, chat_id: int | None = None) -> dict:
    """A message in the chat that holds the fragment, new or edited in place."""
    chat = chat_id or person.id
    return await person.tg.wait_for(
        lambda: next((m for m in person.tg.chat_messages(chat) if fragment in m.get("text", "")), None), what=fragment
    )


def db(config_path, query):
    with sqlite3.connect(config_path.parent / "baoxiu.db") as connection:
        return connection.execute(query).fetchall()


async def fixed_leak(people, rain: bool = False, paid: bool = True) -> str:
    """John's leak, repaired by Ivan and confirmed fixed on Monday 10:00."""
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    ivan = people.ivan
    await ivan.press("Take the job", chat_id=AQUA_GROUP)
    await ivan.press("Arrived")
    await ivan.expect("engineer on site")
    if paid:
        await quote_accepted(people)
    await record_work(ivan, "Resealed the roof drain", paid=paid)
    await ivan.expect("Was the leak caused by rain?")
    await ivan.press("Yes" if rain else "No")
    await ivan.expect("Noted")
    await people.john.expect("Is it fixed?")
    await people.john.press("Fixed")
    await people.john.expect("Thank you for confirming")
    return number


async def rate_everything(john, score_text: str, comment: str | None = None) -> None:
    await john.press("Yes, it is still fine")
    for step in range(1, 6):  # John's repair was paid work, so price is asked too
        await john.tg.wait_for(
            lambda step=step: (
                john.find_button(score_text) and f"Question {step} of 5" in john.find_button(score_text)[0]["text"]
            ),
            what=f"rating question {step}",
        )
        await john.press(score_text)
    await john.tg.wait_for(lambda: john.find_button("Skip"), what="the comment question")
    if comment is None:
        await john.press("Skip")
    else:
        await john.send(comment)


async def test_a_leak_is_called_back_twice_and_rated_one_tap_at_a_time(running, people, telegram, clock, config_path):
    number = await fixed_leak(people)
    assert db(config_path, "select kind, due_at, status from callback order by id") == [
        ("repair", "2026-11-24 02:00:00.000000", "scheduled"),
        ("repair", "2026-11-26 02:00:00.000000", "scheduled"),
    ]
    clock.advance(timedelta(hours=23))  # Tuesday 09:00
    assert await sweep(running) == 0
    clock.advance(timedelta(hours=1, minutes=1))
    assert await sweep(running) == 1
    ask = await people.john.expect(f"We are checking back on request №{number}")
    await rate_everything(people.john, "Very satisfied", "Quick and tidy, thanks")
    await people.john.expect("Thank you for your answers")
    edited = telegram.messages[(people.john.id, ask["message_id"])]
    assert edited["text"] == "Your comment: received." and "reply_markup" not in edited  # one message, edited
    assert db(config_path, "select dimension, score from rating order by id") == [
        ("timeliness", 1),
        ("skill", 1),
        ("attitude", 1),
        ("price", 1),
        ("overall", 1),
    ]
    clock.advance(timedelta(days=2))
    assert await sweep(running) == 1
    await people.john.expect(f"We are checking back on request №{number}")
    await rate_everything(people.john, "Satisfied")
    await telegram.wait_for(
        lambda: (
            len(
                [m for m in telegram.chat_messages(people.john.id) if "Thank you for your answers" in m.get("text", "")]
            )
            == 2
        ),
        what="thanks",
    )
    assert db(config_path, "select status, comment from callback order by id") == [
        ("answered", "Quick and tidy, thanks"),
        ("answered", None),
    ]
    await people.boss.send("/stats", chat_id=ALERT_CHAT)
    stats = await people.boss.expect("Service figures", chat_id=ALERT_CHAT)
    assert "Overall satisfaction: 100% of 2 returned ratings" in stats["text"]
    assert "• price: 100% (2)" in stats["text"]
    assert "Callbacks asked: 2, answered: 2, unanswered: 0" in stats["text"]
    assert "Closed with the owner's confirmation: 1; closed by silence: 0" in stats["text"]
    assert not [m for m in telegram.chat_messages(ALERT_CHAT) if "not satisfied" in m.get("text", "")]


async def test_an_unanswered_callback_is_asked_once_more_then_counted(running, people, clock, config_path):
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    assert await sweep(running) == 1
    await people.john.expect(f"We are checking back on request №{number}")
    clock.advance(timedelta(days=2))
    assert await sweep(running) == 2  # the first asked again, the second asked
    await people.john.expect("Sorry to ask again")
    clock.advance(timedelta(days=2))
    await sweep(running)
    statuses = [row[0] for row in db(config_path, "select status from callback order by id")]
    assert statuses[0] == "unanswered"
    assert db(config_path, "select count(*) from ticket_event where kind = 'callback_unanswered'") == [(1,)]


async def test_a_rain_caused_leak_is_called_back_after_the_next_rain(running, people, clock, config_path):
    number = await fixed_leak(people, rain=True)
    assert db(config_path, "select status from callback where kind = 'rain'") == [("held",)]
    clock.advance(timedelta(days=10))
    await sweep(running)
    assert db(config_path, "select status from callback where kind = 'rain'") == [("held",)]
    await people.ivan.send("/rain", chat_id=AQUA_GROUP)  # not a manager
    await people.ivan.expect("only the property's managers", chat_id=AQUA_GROUP)
    await people.boss.send("/rain A", chat_id=ALERT_CHAT)
    await people.boss.expect("0 callbacks held for the rain", chat_id=ALERT_CHAT)
    await people.boss.send("/rain B", chat_id=ALERT_CHAT)
    await people.boss.expect("1 callback held for the rain", chat_id=ALERT_CHAT)
    await sweep(running)
    await people.john.expect(f"We are checking back on request №{number}")


async def test_came_back_reopens_as_a_repeat_repair_that_waits_for_the_managers_visit(
    running, people, telegram, clock, config_path
):
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    await sweep(running)
    await people.john.press("No, it came back")
    await shown(people.john, "open again as a repeat repair")
    alert = await people.boss.expect(f"Repeat repair №{number}", chat_id=ALERT_CHAT)
    assert "repair no. 2" in alert["text"] and "came back after the repair" in alert["text"]
    assert "earlier" not in alert["text"]  # the reopened ticket is not its own earlier repair
    await settle(running)
    assert not [m for m in people.ivan.read_all(AQUA_GROUP) if "REPEAT" in m.get("text", "")]  # not yet
    await people.boss.press("I looked personally", chat_id=ALERT_CHAT)
    card = await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    assert "REPEAT REPAIR: repair no. 2 of this problem here" in card["text"]
    assert db(config_path, "select status, repeat_count from ticket") == [("assigned", 1)]
    assert db(config_path, "select status from callback order by id") == [("answered",), ("cancelled",)]


async def test_out_of_warranty_the_same_problem_again_is_a_new_repair(running, people, clock):
    await fixed_leak(people)  # John's unit was handed over in 2018: waterproofing warranty over
    clock.advance(timedelta(days=3))
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)


async def test_a_new_report_of_the_same_problem_is_a_repeat_and_the_third_needs_a_corrective_action(
    running, people, telegram, clock, config_path
):
    roster = config_path.parent / "roster-2.csv"  # John's unit is handed over again: in warranty
    roster.write_text(
        "block,unit,owner_name,phone,handover_date,language\nB,0502,John Smith,13700000003,2024-06-30,en\n"
    )
    assert await asyncio.to_thread(cli.main, ["import-units", "--config", str(config_path), str(roster)]) == 0
    await fixed_leak(people, paid=False)
    people.ivan.read_all(AQUA_GROUP)
    for repair in (2, 3):
        clock.advance(timedelta(days=3))
        number = ticket_number(await report_leak_in_english(people.john))
        alert = await people.boss.expect(f"Repeat repair №{number}", chat_id=ALERT_CHAT)
        assert f"repair no. {repair}" in alert["text"]
        await people.boss.press("I looked personally", chat_id=ALERT_CHAT)
        await people.ivan.expect(f"Job №{number}", "REPEAT REPAIR", chat_id=AQUA_GROUP)
        if repair == 3:
            await people.boss.expect("has now been repaired 3 times here", chat_id=ALERT_CHAT)
            break
        people.ivan.read_all()
        await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
        await people.ivan.expect("Your job", f"Job №{number}")
        await people.ivan.press("Arrived")
        await people.ivan.expect("engineer on site")  # in warranty now: no price to agree
        await record_work(people.ivan, "Again", paid=False)
        await people.ivan.press("No")
        await people.john.expect("Is it fixed?")
        await people.john.press("Fixed")
        await people.john.expect("Thank you for confirming")


async def test_an_unhappy_owner_climbs_the_same_ladder_until_a_manager_resolves_it(running, people, telegram, clock):
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    await sweep(running)
    await rate_everything(people.john, "Very unsatisfied", "Nobody called before coming")
    await shown(people.john, "Thank you for your answers")
    first = await people.boss.expect(f"The owner of №{number} is not satisfied", chat_id=ALERT_CHAT)
    assert "For: supervisor" in first["text"]  # sent with the last tap, before the comment
    await shown(people.boss, "adds: Nobody called before coming", ALERT_CHAT)
    await people.pm.expect("For: customer-service manager")  # very unsatisfied: called personally
    clock.advance(timedelta(days=5, minutes=1))
    await sweep(running)
    await people.gm.expect("For: property manager")  # still unresolved after 5 days
    assert await sweep(running) == 0
    await people.boss.press("Resolved", chat_id=ALERT_CHAT)
    await telegram.wait_for(
        lambda: any("Resolved by Boss" in m.get("text", "") for m in telegram.chat_messages(ALERT_CHAT)),
        what="resolved",
    )


async def test_004_a_ladder_alert_reaches_each_person_in_his_own_language(running, people, clock):
    """The managers' chat reads the property's language; a person told privately reads his own."""
    await people.pm.send("/language")
    await people.pm.press("Русский")
    await people.pm.expect("русск")
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    await sweep(running)
    await rate_everything(people.john, "Very unsatisfied", "Nobody called before coming")
    await people.boss.expect(f"The owner of №{number} is not satisfied", chat_id=ALERT_CHAT)
    private = await people.pm.expect(f"Владелец по №{number} недоволен")
    assert "руководитель клиентской службы" in private["text"]


async def test_the_owner_can_say_it_happened_before(running, people, telegram, clock, config_path):
    earlier = await fixed_leak(people)
    clock.advance(timedelta(days=5))
    john = people.john
    await john.send("/report")
    await john.press("Blocked or leaking sink")
    await john.press("unit 0502")
    await john.send("Water again under the bathroom sink")
    await john.press("No photos")
    await john.press("Today")
    await john.expect("Please check your report")
    await john.press("This happened before")
    await john.expect("Which earlier repair does this repeat?")
    await john.press(f"№{earlier}")
    summary = await john.expect("Please check your report")
    assert f"Happened before: №{earlier} (a repeat repair)" in summary["text"]
    await john.press("Confirm")
    filed = await john.expect("is registered")
    assert "repair manager will first come to look" in filed["text"] and "minutes" not in filed["text"]
    number = ticket_number(filed)
    alert = await people.boss.expect(f"Repeat repair №{number}", chat_id=ALERT_CHAT)
    assert f"earlier №{earlier}" in alert["text"]
    assert db(config_path, f"select status, repeat_of from ticket where number = '{number}'") == [("awaiting_visit", 1)]


async def test_a_callback_answered_days_later_asks_its_questions_anew(running, people, clock):
    """Telegram stops showing the bot its own message after 48 hours (an inaccessible
    message, date 0): the question that would replace it comes as a new message."""
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1, minutes=1))
    assert await sweep(running) == 1
    await people.john.expect(f"We are checking back on request №{number}")
    message, data = people.john.find_button("Yes, it is still fine")
    await people.john.press_data(data, {"message_id": message["message_id"], "chat": message["chat"], "date": 0})
    question = await people.john.expect("Question 1 of 5")
    assert question["message_id"] != message["message_id"]


async def test_an_emergency_is_heard_while_a_callback_waits_for_its_answer(running, people, clock):
    """Words the bot would otherwise hold to "answer with the buttons above" are an
    emergency's first: the safety advice at once, and the report goes on."""
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    assert await sweep(running) == 1
    await people.john.expect(f"We are checking back on request №{number}")
    await people.john.send("how long will it hold?")
    await people.john.expect("Please answer with the buttons above")
    await people.john.send("I smell gas in the kitchen")
    await people.john.expect("This is an emergency")
    await people.john.expect("Where is the problem?")


async def test_004_a_ladder_alert_reaches_a_manager_in_his_apps_language(running, people, clock):
    """Someone of the ladder who only ever opened the bot from a Russian app reads Russian."""
    people.pm.user["language_code"] = "ru"
    await people.pm.send("/start")
    await people.pm.expect("Здравствуйте")
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1))
    await sweep(running)
    await rate_everything(people.john, "Very unsatisfied", "Nobody called before coming")
    await people.pm.expect(f"Владелец по №{number} недоволен")
