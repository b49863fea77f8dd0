"""Lists longer than a page: a manager's /open and /overdue, an engineer's /my and an
owner's /my turn pages with Previous and Next, each page read from the database as it
stands (services/lists.py)."""

from datetime import timedelta

from domain.tickets import Place, TicketStatus
from storage.tickets import NewTicket
from tests.conftest import ALERT_CHAT
from tests.e2e.steps import register


async def seed(running, count: int, owner_id: int = 1, held_by: int | None = None, late: bool = False) -> list[str]:
    """Tickets filed straight into the database (the lists, not the filing, are tested here)."""
    now = running.clock.now()
    numbers = []
    async with running.app.services.unit_of_work() as uow:
        if held_by is not None:
            await uow.chats.meet_engineer(held_by, "Ivan", None)
        for _ in range(count):
            ticket = await uow.tickets.add(
                NewTicket(
                    owner_user_id=owner_id,
                    place=Place("A", None, None, "lobby"),
                    category="leak",
                    trade="waterproofing",
                    urgency="urgent",
                    description="drip",
                    visit_time="asap",
                    coverage="paid",
                    status=TicketStatus.ASSIGNED,
                    contractor_code="aqua",
                    language="en",
                    filed_at=now,
                    accept_by=now + timedelta(hours=1),
                    on_site_by=None,
                    resolve_by=now + (timedelta(hours=-1) if late else timedelta(days=2)),
                ),
                now,
            )
            if held_by is not None:
                assert await uow.tickets.take(ticket.id, "aqua", held_by, "Ivan", now)
            numbers.append(ticket.number)
    return numbers


def buttons(message: dict) -> list[str]:
    return [button["text"] for row in message["reply_markup"]["inline_keyboard"] for button in row]


async def turned(telegram, message: dict, page: str) -> dict:
    """The list message once it shows `page` ("Page 2 of 2"): a turned page edits it."""

    def now_shown() -> dict | None:
        chat = message["chat"]["id"]
        current = next(m for m in telegram.chat_messages(chat) if m["message_id"] == message["message_id"])
        return current if current["text"].endswith(page) else None

    return await telegram.wait_for(now_shown, what=f"the list to show {page}")


async def test_open_jobs_page_forward_and_back_with_their_filters(running, people, telegram):
    numbers = await seed(running, 23)
    await seed(running, 2, late=True)
    boss = people.boss
    await boss.send("/open block=A contractor=aqua", chat_id=ALERT_CHAT)
    # the clock may escalate the two late ones in the same chat meanwhile: read past it
    first = await boss.expect("Open jobs:", chat_id=ALERT_CHAT)
    assert first["text"] == "Open jobs: 25\nPage 1 of 2"
    assert len(buttons(first)) == 21 and buttons(first)[-1] == "Next ▶️" and numbers[0] in buttons(first)[0]
    await boss.press("Next ▶️", chat_id=ALERT_CHAT)
    second = await turned(telegram, first, "Page 2 of 2")
    assert second["text"] == "Open jobs: 25\nPage 2 of 2"
    assert len(buttons(second)) == 6 and buttons(second)[-1] == "◀️ Previous" and numbers[20] in buttons(second)[0]
    await boss.press("◀️ Previous", chat_id=ALERT_CHAT)
    assert (await turned(telegram, first, "Page 1 of 2"))["text"] == "Open jobs: 25\nPage 1 of 2"
    await boss.send("/open contractor=volt", chat_id=ALERT_CHAT)
    await boss.expect("No open job matches", chat_id=ALERT_CHAT)
    await boss.send("/overdue", chat_id=ALERT_CHAT)
    overdue = await boss.expect("Overdue jobs:", chat_id=ALERT_CHAT)
    assert overdue["text"] == "Overdue jobs: 2" and len(buttons(overdue)) == 2


async def test_an_engineers_my_lists_the_jobs_he_holds_and_opens_one(running, people, telegram):
    numbers = await seed(running, 12, held_by=people.ivan.id)
    await seed(running, 3)  # not taken: not his
    ivan = people.ivan
    await ivan.send("/my")
    first = await ivan.next_message()
    assert first["text"].startswith("Jobs you hold: 12.") and first["text"].endswith("Page 1 of 2")
    assert len(buttons(first)) == 11
    await ivan.press("Next ▶️")
    assert buttons(await turned(telegram, first, "Page 2 of 2"))[:2] == [
        f"№{numbers[10]} · 💧 Leak / seepage · engineer assigned",
        f"№{numbers[11]} · 💧 Leak / seepage · engineer assigned",
    ]
    await ivan.press(f"№{numbers[11]}")
    details = await ivan.expect("📋 Your job", f"№{numbers[11]}")
    assert "On my way" in str(details["reply_markup"])


async def test_an_owners_my_pages_his_requests_newest_first(running, people, telegram):
    await register(people.john)
    numbers = await seed(running, 11, owner_id=people.john.id)
    john = people.john
    await john.send("/my")
    first = await john.expect("Your requests")
    assert first["text"].endswith("Page 1 of 2") and numbers[-1] in buttons(first)[0]
    await john.press("Next ▶️")
    last = await turned(telegram, first, "Page 2 of 2")
    assert numbers[0] in buttons(last)[0] and len(buttons(last)) == 2
