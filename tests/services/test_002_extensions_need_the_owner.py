"""A manager's extension needs the owner's agreement only when it goes past what the rules
allow the ticket's urgency (docs/rules.md, "Deadlines")."""

from dataclasses import replace
from datetime import timedelta

from domain.tickets import TicketStatus
from services.management import past_the_rules
from tests.domain.test_escalation_and_calendar import ticket
from tests.services.test_003_ratings_and_reopening import FILED, services_on


async def test_002_an_extension_within_the_rules_needs_nobody(tmp_path):
    services = await services_on(tmp_path)  # the clock stands at the filing
    leak = replace(ticket(), filed_at=FILED, resolve_by=FILED + timedelta(days=1))  # the rules allow 2 days
    assert past_the_rules(services, leak, timedelta(hours=12)) is None


async def test_002_an_extension_past_the_rules_names_the_date_the_owner_must_agree_to(tmp_path):
    services = await services_on(tmp_path)
    leak = replace(ticket(), filed_at=FILED, resolve_by=FILED + timedelta(days=2))
    assert past_the_rules(services, leak, timedelta(days=1)) == FILED + timedelta(days=3)


async def test_002_moving_a_missed_arrival_is_not_an_extension_of_the_repair(tmp_path):
    services = await services_on(tmp_path)
    services.clock.set(FILED + timedelta(hours=2))  # type: ignore[attr-defined]
    late = replace(ticket(), status=TicketStatus.TAKEN, filed_at=FILED, on_site_by=FILED + timedelta(minutes=30))
    assert past_the_rules(services, late, timedelta(days=5)) is None
