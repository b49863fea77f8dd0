"""Managers in the chat: /overdue, /open, /ticket, and the changes they
make, each recorded with who and when; nobody else may make them."""

from datetime import timedelta

from tests.conftest import ALERT_CHAT, AQUA_GROUP, INHOUSE_GROUP
from tests.e2e.steps import quote_accepted, record_work, register, report_leak_in_english, ticket_number
from tests.e2e.test_complaints import complain


class PrivacyMode:
    """A manager typing in a group where BotFather's group privacy mode is on: the bot gets
    his commands and his replies to its own messages, nothing else. So a typed answer can
    only be a reply to a prompt he was asked with: a message the bot sent (an edit carries
    no forced reply) with a forced reply that is his alone (selective, and he is mentioned
    in it or it replies to his message)."""

    def __init__(self, telegram, person, chat_id: int) -> None:
        self.tg, self.person, self.chat_id = telegram, person, chat_id
        self.last_typed = 0  # the id of his last message in the chat

    async def command(self, text: str) -> None:
        assert text.startswith("/")
        self.last_typed = (await self.person.send(text, chat_id=self.chat_id))["message_id"]

    async def answer(self, fragment: str, text: str) -> dict:
        """Reply to the bot's prompt holding `fragment`, newer than what he typed last."""
        bot = self.tg.bot["id"]
        prompt = await self.tg.wait_for(
            lambda: next(
                (
                    m
                    for m in reversed(self.tg.chat_messages(self.chat_id))
                    if m["from"]["id"] == bot and m["message_id"] > self.last_typed and fragment in m.get("text", "")
                ),
                None,
            ),
            what=f"a prompt «{fragment}»",
        )
        sent = [p for p in self.tg.sent("sendMessage", chat_id=self.chat_id) if p["text"] == prompt["text"]]
        assert sent, f"«{fragment}» was edited in, not sent: it cannot carry a forced reply"
        asked = sent[-1]
        markup = asked.get("reply_markup") or {}
        assert markup.get("force_reply") is True, f"«{fragment}» has no forced reply: {markup}"
        assert markup.get("selective") is True, f"«{fragment}» forces a reply from everybody in the group"
        mentioned = any(
            e["type"] == "text_mention" and e["user"]["id"] == self.person.id for e in asked.get("entities") or []
        )
        replies_to_him = (asked.get("reply_parameters") or {}).get("message_id") == self.last_typed
        assert mentioned or replies_to_him, f"«{fragment}»'s forced reply targets nobody: {asked}"
        typed = await self.person._send(self.chat_id, text=text, reply_to_message=prompt)
        self.last_typed = typed["message_id"]
        return typed


async def filed_leak(people) -> str:
    await register(people.john)
    number = ticket_number(await report_leak_in_english(people.john))
    await people.ivan.expect(f"Job №{number}", chat_id=AQUA_GROUP)
    return number


async def test_open_and_overdue_lists_with_filters(running, people, clock):
    number = await filed_leak(people)
    boss = people.boss
    await boss.send("/overdue", chat_id=ALERT_CHAT)
    assert "No job is overdue" in (await boss.next_message(ALERT_CHAT))["text"]
    await boss.send("/open urgency=urgent block=B", chat_id=ALERT_CHAT)
    listing = await boss.next_message(ALERT_CHAT)
    assert listing["text"] == "Open jobs: 1" and number in str(listing["reply_markup"])
    await boss.send("/open contractor=volt", chat_id=ALERT_CHAT)
    assert "No open job matches" in (await boss.next_message(ALERT_CHAT))["text"]
    await boss.send("/open colour=red", chat_id=ALERT_CHAT)
    assert "filter with block=" in (await boss.next_message(ALERT_CHAT))["text"]
    clock.advance(timedelta(days=3))
    await boss.send("/overdue", chat_id=ALERT_CHAT)
    assert (await boss.next_message(ALERT_CHAT))["text"] == "Overdue jobs: 1"


async def test_a_ticket_opens_with_its_history_and_can_be_reassigned(running, people, telegram):
    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    boss = people.boss
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    view = await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    assert "Status: engineer assigned · contractor: Aqua Plumbing · engineer: Ivan" in view["text"]
    assert "taken by Ivan (Aqua Plumbing)" in view["text"]
    await boss.press("Reassign", chat_id=ALERT_CHAT)
    await boss.press("Assign to In-house team", chat_id=ALERT_CHAT)
    await people.olga.expect(f"Job №{number}", chat_id=INHOUSE_GROUP)
    await people.ivan.expect(f"A manager reassigned job №{number}")
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    again = await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    assert "reassigned to In-house team" in again["text"]


async def test_urgency_extension_cancel_and_close(running, people, telegram, config_path):
    import sqlite3

    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    boss = people.boss
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    await boss.press("Urgency", chat_id=ALERT_CHAT)
    await boss.press("EMERGENCY", chat_id=ALERT_CHAT)
    await boss.expect("is now 🔴 EMERGENCY", chat_id=ALERT_CHAT)
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    emergency = await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    assert "resolve by 11-24 00:00" in emergency["text"]  # an emergency's same day, from the filing
    await boss.press("Extend", chat_id=ALERT_CHAT)
    await boss.expect("how much longer and why", chat_id=ALERT_CHAT)
    await boss.send("soon please", chat_id=ALERT_CHAT)
    await boss.expect("how much longer and why", chat_id=ALERT_CHAT)
    await boss.send("2d waiting for the building's water shut-off", chat_id=ALERT_CHAT)
    await boss.expect("later than the rules allow", chat_id=ALERT_CHAT)
    await boss.press("Agreed with the owner by phone", chat_id=ALERT_CHAT)
    extended = await boss.expect(f"Job №{number}: on site by", chat_id=ALERT_CHAT)
    assert "resolve by 11-26 00:00" in extended["text"]
    await people.ivan.expect("A manager extended the deadline (waiting for the building's water shut-off)")
    await boss.press("Cancel", chat_id=ALERT_CHAT)
    await boss.send("Duplicate of an earlier report", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number} is cancelled", chat_id=ALERT_CHAT)
    await people.john.expect("was cancelled by the management: Duplicate of an earlier report")
    await boss.press("Close", chat_id=ALERT_CHAT)
    await boss.expect("no longer open", chat_id=ALERT_CHAT)
    with sqlite3.connect(config_path.parent / "baoxiu.db") as db:
        kinds = [row[0] for row in db.execute("select kind from ticket_event where actor_user_id = 900001")]
    assert kinds == ["urgency_changed", "extended", "new_date_agreed", "cancelled"]


async def test_strangers_and_engineers_cannot_manage(running, people, telegram):
    number = await filed_leak(people)
    telegram.chats[ALERT_CHAT].members[people.ivan.id] = "member"
    await people.ivan.send("/overdue", chat_id=ALERT_CHAT)
    assert "only the property's managers" in (await people.ivan.next_message(ALERT_CHAT))["text"]
    await people.ivan.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    assert "only the property's managers" in (await people.ivan.next_message(ALERT_CHAT))["text"]
    await register(people.wang, "zh")
    await people.wang.send("/open")
    assert "只有物业管理人员" in (await people.wang.next_message())["text"]
    await people.boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    view = await people.boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    close = people.boss.find_button("Close", ALERT_CHAT)[1]
    answer = await people.ivan.press_data(close, view)
    assert answer["text"] == "Sorry, only the property's managers can do this."
    await people.boss.send("/ticket 99999", chat_id=ALERT_CHAT)
    assert "Send /ticket and a ticket number" in (await people.boss.expect("/ticket", chat_id=ALERT_CHAT))["text"]


async def test_000_an_extension_past_the_rules_moves_only_when_the_owner_agrees(running, people, telegram):
    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    boss = people.boss
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    await boss.press("Extend", chat_id=ALERT_CHAT)
    await boss.expect("how much longer and why", chat_id=ALERT_CHAT)
    await boss.send("3d the tiles are on order", chat_id=ALERT_CHAT)
    await boss.expect("finishing by 11-28 10:00 is later than the rules allow", chat_id=ALERT_CHAT)
    await boss.press("Ask the owner in the chat", chat_id=ALERT_CHAT)
    await boss.expect("the owner is asked to agree to finishing by 11-28 10:00", chat_id=ALERT_CHAT)
    asked = await people.john.expect("The property management asks to finish by 11-28 10:00")
    assert "the tiles are on order" in asked["text"]
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    unchanged = await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    assert "resolve by 11-25 10:00" in unchanged["text"]  # nothing moves before the owner agrees
    await people.john.press("Agree")
    await people.john.expect("11-28 10:00")
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    moved = await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    assert "resolve by 11-28 10:00" in moved["text"]
    assert "new completion date agreed (by the owner)" in moved["text"]


async def test_000_a_missed_arrival_extended_needs_no_agreement(running, people, telegram, clock):
    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    clock.advance(timedelta(minutes=40))  # the leak's 30 minutes to arrive have passed
    boss = people.boss
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    await boss.press("Extend", chat_id=ALERT_CHAT)
    await boss.expect("how much longer and why", chat_id=ALERT_CHAT)
    await boss.send("1h the lift is out of order", chat_id=ALERT_CHAT)
    extended = await boss.expect(f"Job №{number}: on site by 11-23 11:40", chat_id=ALERT_CHAT)
    assert "resolve by 11-25 10:00" in extended["text"]


async def test_a_paused_job_and_a_done_one_are_not_overdue(running, people, clock):
    """Only a job whose clock runs can be late: not one paused for the owner, nor one whose
    work is done and waits for the owner's word."""
    done = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    await quote_accepted(people)
    await record_work(people.ivan, "Replaced seal")
    await people.john.expect("Is it fixed?")
    paused = ticket_number(await report_leak_in_english(people.john))
    await people.petr.expect(f"Job №{paused}", chat_id=AQUA_GROUP)
    await people.petr.press("Take the job", chat_id=AQUA_GROUP)
    await people.petr.expect("Your job")
    await people.petr.press("Arrived")
    await people.petr.expect("engineer on site")
    await people.petr.press("Waiting for the owner")
    await people.petr.press("Nobody at home")
    await people.petr.expect("The clock is paused")
    late = ticket_number(await report_leak_in_english(people.john))
    clock.advance(timedelta(days=3))
    boss = people.boss
    await boss.send("/overdue", chat_id=ALERT_CHAT)
    listing = await boss.next_message(ALERT_CHAT)
    assert listing["text"] == "Overdue jobs: 1"
    assert late in str(listing["reply_markup"])
    assert paused not in str(listing["reply_markup"]) and done not in str(listing["reply_markup"])
    await running.app.clock.morning_digest()
    digest = await boss.expect("Good morning", chat_id=ALERT_CHAT)
    assert "Open jobs: 3, overdue: 1." in digest["text"]


async def test_a_paused_job_reassigned_keeps_its_pause(running, people, clock):
    """The time the job waited on the owner is not lost when a manager gives it to another
    group: its deadlines move on by the pause, as when the engineer resumes it himself."""
    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    await people.ivan.expect("Your job")
    await people.ivan.press("Arrived")
    await people.ivan.expect("engineer on site")
    await people.ivan.press("Waiting for the owner")
    await people.ivan.press("Nobody at home")
    await people.ivan.expect("The clock is paused")
    clock.advance(timedelta(hours=2))
    boss = people.boss
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    before = await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    assert "resolve by 11-25 10:00" in before["text"]
    await boss.press("Reassign", chat_id=ALERT_CHAT)
    await boss.press("Assign to In-house team", chat_id=ALERT_CHAT)
    await people.olga.expect(f"Job №{number}", chat_id=INHOUSE_GROUP)
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    after = await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    assert "resolve by 11-25 12:00" in after["text"]
    assert "clock running again (paused 120 min)" in after["text"]


async def test_typed_answers_in_the_managers_chat_work_with_privacy_mode(running, people, telegram):
    """An extension, its re-prompt after an answer that would not do, a cancel reason and a
    complaint's solution: each asked with a forced reply the manager can answer."""
    number = await filed_leak(people)
    await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
    boss = people.boss
    private = PrivacyMode(telegram, boss, ALERT_CHAT)
    await private.command(f"/ticket {number}")
    await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    await boss.press("Extend", chat_id=ALERT_CHAT)
    await private.answer("how much longer and why", "soon please")
    await private.answer("how much longer and why", "three days")  # asked again, once more
    await private.answer("how much longer and why", "3d the tiles are on order")
    await boss.expect("later than the rules allow", chat_id=ALERT_CHAT)
    await boss.press("Cancel", chat_id=ALERT_CHAT)
    await private.answer("reason for cancelling", "Duplicate of an earlier report")
    await boss.expect(f"Job №{number} is cancelled", chat_id=ALERT_CHAT)

    complaint = await complain(people.john, "An engineer", "The engineer was rude")
    await boss.expect(f"Complaint №{complaint}", chat_id=ALERT_CHAT)
    await boss.press("Propose a solution", chat_id=ALERT_CHAT)
    await private.answer("Write the solution", "A written apology")
    await boss.expect("The solution was sent", chat_id=ALERT_CHAT)
    await people.john.expect("we propose: A written apology")


async def test_an_extension_of_nothing_or_of_ages_is_asked_again(running, people):
    number = await filed_leak(people)
    boss = people.boss
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    await boss.press("Extend", chat_id=ALERT_CHAT)
    await boss.expect("how much longer and why", chat_id=ALERT_CHAT)
    for typo in ("3000000d parts on a slow boat", "0m nothing"):
        await boss.send(typo, chat_id=ALERT_CHAT)
        await boss.expect("how much longer and why", chat_id=ALERT_CHAT)
    await boss.send("1h waiting for parts", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number}: finishing by 11-25 11:00", chat_id=ALERT_CHAT)


async def test_a_cancelled_jobs_old_buttons_say_it_is_no_longer_open(running, people):
    number = await filed_leak(people)
    boss = people.boss
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    await boss.press("Cancel", chat_id=ALERT_CHAT)
    await boss.send("Duplicate of an earlier report", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number} is cancelled", chat_id=ALERT_CHAT)
    for button in ("Reassign", "Urgency", "Extend", "Cancel"):
        await boss.press(button, chat_id=ALERT_CHAT)
        await boss.expect("This job is no longer open", chat_id=ALERT_CHAT)


async def test_a_ticket_number_with_another_date_opens_no_ticket(running, people):
    number = await filed_leak(people)
    wrong_date = "251231-" + number.split("-")[1]
    await people.boss.send(f"/ticket {wrong_date}", chat_id=ALERT_CHAT)
    await people.boss.expect("/ticket", chat_id=ALERT_CHAT)  # the usage, not ticket 1


async def test_a_filter_of_open_jobs_that_names_nothing_known_gets_the_usage(running, people):
    for typo in ("urgency=bogus", "block=Z", "contractor=acqua"):
        await people.boss.send(f"/open {typo}", chat_id=ALERT_CHAT)
        await people.boss.expect("filter with block=", chat_id=ALERT_CHAT)


async def test_cancel_drops_a_managers_typed_step_and_says_nothing_when_there_is_none(running, people, telegram):
    number = await filed_leak(people)
    boss = people.boss
    await boss.send(f"/ticket {number}", chat_id=ALERT_CHAT)
    await boss.expect(f"Job №{number}", chat_id=ALERT_CHAT)
    await boss.press("Extend", chat_id=ALERT_CHAT)
    await boss.expect("how much longer and why", chat_id=ALERT_CHAT)
    await boss.send("/cancel", chat_id=ALERT_CHAT)
    await boss.expect("Cancelled: nothing of what you were entering was kept", chat_id=ALERT_CHAT)
    await boss.send("/cancel", chat_id=ALERT_CHAT)  # nothing under way: the group is not told so
    await boss.send("/overdue", chat_id=ALERT_CHAT)
    await boss.expect("No job is overdue", chat_id=ALERT_CHAT)
    assert not any("nothing to cancel" in m.get("text", "") for m in telegram.chat_messages(ALERT_CHAT))
