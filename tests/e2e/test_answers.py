"""Nobody is left without an answer: a handler that fails, a press Telegram will no longer
let us answer, and an old button all get a clear reply in the person's language."""

import logging
import re

from sandbox.spec import BadRequest
from tests.conftest import AQUA_GROUP
from tests.e2e.steps import register, report_leak_in_english, ticket_number


async def test_a_handler_that_fails_is_answered_and_logged_without_personal_data(running, people, telegram, caplog):
    await register(people.anna, "ru")
    caplog.set_level(logging.ERROR)
    telegram.faults.append(BadRequest("Bad Request: chat not found"))  # /help's own reply fails
    await people.anna.send("/help")
    apology = await people.anna.expect("что-то пошло не так")
    assert "сохранено" in apology["text"]
    failures = [r for r in caplog.records if r.levelno == logging.ERROR and "failed" in r.getMessage()]
    assert len(failures) == 1 and failures[0].exc_info is not None
    logged = failures[0].getMessage()
    assert re.fullmatch(r"update \d+ \(message\) failed", logged)
    assert "/help" not in logged and people.anna.phone not in logged and "Anna" not in logged
    await people.anna.send("/help")  # Telegram works again: the same command simply works
    await people.anna.expect("/report")


async def test_a_press_telegram_will_not_answer_still_does_its_work(running, people, telegram):
    await people.john.send("/language")
    message, data = await telegram.wait_for(lambda: people.john.find_button("中文"), what="the language buttons")
    old = {"id": "cq-too-old", "from": people.john.user, "chat_instance": "ci", "data": data, "message": message}
    telegram.callback_answers["cq-too-old"] = {}  # Telegram: "query is too old"
    await telegram.push_update({"callback_query": old})
    assert "我将使用中文" in (await people.john.expect("中文"))["text"]


async def test_an_old_button_says_where_the_job_stands_now(running, people, telegram):
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.press("Propose visit times")
    await people.ivan.press("11-24 09:00")
    await people.ivan.press("Send to owner")
    offer = await people.john.expect("can come for request")
    none_of_these = people.john.find_button("None of these")[1]
    await people.john.press("11-24 09:00")
    await people.john.expect("Agreed: Ivan will come at 11-24 09:00")
    await people.john.press_data(none_of_these, offer)  # the offer's keyboard, as an old client still shows it
    await people.john.expect(f"no longer current — job №{number} is now: visit agreed")
    answer = await people.ivan.press_data("fin:1", None)  # «Done» with the result's photos, long after
    assert answer["text"] == f"This button is no longer current — job №{number} is now: visit agreed."


async def test_an_unknown_button_too_old_to_answer_gets_a_message(running, people, telegram):
    await register(people.john)
    old = {"id": "cq-ancient", "from": people.john.user, "chat_instance": "ci", "data": "gone:1"}
    telegram.callback_answers["cq-ancient"] = {}
    await telegram.push_update({"callback_query": old})
    await people.john.expect("This button is no longer active")


async def test_a_refusal_too_late_to_show_on_the_button_comes_as_a_message(running, people, telegram):
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    card, take = await telegram.wait_for(lambda: people.petr.find_button("Take the job", AQUA_GROUP), what="the card")
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job", f"№{number}")
    late = {"id": "cq-late", "from": people.petr.user, "chat_instance": "ci", "data": take, "message": card}
    telegram.callback_answers["cq-late"] = {}  # Telegram: "query is too old"
    await telegram.push_update({"callback_query": late})
    await people.petr.expect("Already taken by Ivan")


async def test_a_forged_button_tells_another_owner_nothing_of_a_ticket(running, people, telegram):
    """Ticket ids are counted: a button naming someone else's ticket says only that it is
    not current, never that ticket's number or where it stands."""
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await register(people.anna, "ru")
    last = telegram.chat_messages(people.anna.id)[-1]
    for data in ("newdate:1:1", "before:1", "fin:1"):
        answer = await people.anna.press_data(data, last)
        said = answer.get("text") or (await people.anna.next_message())["text"]
        assert said and number not in said
    assert not any(number in m.get("text", "") for m in telegram.chat_messages(people.anna.id))


async def test_a_registered_owner_at_no_step_is_answered_whatever_he_sends(running, people):
    await register(people.john)
    await people.john.send_voice()
    await people.john.expect("I read words and photos")
    await people.john.send_sticker()
    await people.john.expect("I read words and photos")
    await people.john.send("/cancel")
    await people.john.expect("There is nothing to cancel")
