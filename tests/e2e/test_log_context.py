"""Log lines say which ticket they are about, and INFO lines never carry a person's name or
phone number."""

import logging

from bot.logs import ContextFilter, KeyValueFormatter
from tests.conftest import AQUA_GROUP
from tests.e2e.steps import register, report_leak_in_english, ticket_number


async def test_filing_and_taking_a_job_are_logged_with_the_ticket_and_no_personal_data(running, people, caplog):
    caplog.handler.addFilter(ContextFilter())
    caplog.handler.setFormatter(KeyValueFormatter())
    with caplog.at_level(logging.INFO):
        await register(people.john)
        number = ticket_number(await report_leak_in_english(people.john))
        await people.ivan.press("Take the job", chat_id=AQUA_GROUP)
        await people.ivan.expect(f"№{number}")
    filed = [record for record in caplog.records if record.getMessage().startswith("ticket filed")]
    assert [record.ticket for record in filed] == [number]
    assert filed[0].getMessage() == "ticket filed: category=leak contractor=aqua"
    lines = caplog.text
    assert f"ticket={number}" in lines
    for personal in ("John", "Smith", "johnsmith", "13700000003", "137 0000 0003", "Ivan", "ivan_fix"):
        assert personal not in lines, personal
