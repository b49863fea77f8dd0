"""Public-area reports and the front desk (docs/rules.md, Staff intake)."""

from dataclasses import replace
from datetime import date

from domain.categories import category_by_code
from domain.escalation import NoticeKind, due_notices
from domain.front_desk import name_problem, unit_reference, unit_spellings
from domain.public_areas import awaits_verification, location_problem, verify_by
from domain.roles import Duty, Role, may
from domain.tickets import Place
from domain.tickets import TicketStatus as S
from domain.warranty import Coverage, warranty_for
from tests.domain.test_escalation_and_calendar import DAY, HOUR, POLICY, T0, ticket

DONE = T0 + 2 * HOUR


def public(**changes):
    values = {"place": Place("A", None, None, "lift lobby"), "status": S.DONE, "done_at": DONE} | changes
    return ticket(**values)


def verification(notices):
    return [n for n in notices if n.kind in (NoticeKind.VERIFY_PUBLIC, NoticeKind.MISSED_VERIFICATION)]


def test_003_a_finished_public_area_repair_is_given_to_customer_service_to_verify_at_once():
    [task] = verification(due_notices(public(), DONE, POLICY))
    assert task.kind is NoticeKind.VERIFY_PUBLIC and task.key == f"verify:{DONE.isoformat()}"


def test_003_a_public_area_repair_is_verified_within_3_days():
    assert verify_by(DONE) == DONE + 3 * DAY
    before = verification(due_notices(public(), DONE + 3 * DAY - HOUR, POLICY))
    assert [n.kind for n in before] == [NoticeKind.VERIFY_PUBLIC]
    after = verification(due_notices(public(), DONE + 3 * DAY, POLICY))
    assert [n.kind for n in after] == [NoticeKind.VERIFY_PUBLIC, NoticeKind.MISSED_VERIFICATION]
    assert after[1].key == f"unverified:{DONE.isoformat()}"


def test_003_the_3_days_run_on_after_the_ticket_closed():
    closed = public(status=S.CLOSED)
    assert NoticeKind.MISSED_VERIFICATION in [n.kind for n in due_notices(closed, DONE + 4 * DAY, POLICY)]


def test_003_a_verified_a_unit_or_a_cancelled_repair_is_not_verified_again():
    assert verification(due_notices(public(verified_at=DONE + DAY), DONE + 4 * DAY, POLICY)) == []
    assert verification(due_notices(public(place=Place("A", 1, "1203")), DONE + 4 * DAY, POLICY)) == []
    assert not awaits_verification(public(status=S.CANCELLED))
    assert not awaits_verification(public(done_at=None, status=S.TAKEN))  # reopened: waits for the next done


def test_003_a_redone_repair_is_verified_afresh():
    redone = DONE + 2 * DAY
    [task] = verification(due_notices(public(done_at=redone), redone, POLICY))
    assert task.key == f"verify:{redone.isoformat()}"


def test_002_out_of_warranty_a_public_area_is_paid_by_the_maintenance_fund():
    lamp = category_by_code("lighting")
    verdict = warranty_for(lamp, date(2018, 3, 31), date(2026, 11, 23), POLICY, public_area=True)
    assert verdict.coverage is Coverage.MAINTENANCE_FUND


def test_002_customer_service_files_for_owners_and_verifies_but_manages_nothing():
    front_desk = {Role.CUSTOMER_SERVICE}
    assert may(front_desk, Duty.FILE) and may(front_desk, Duty.VERIFY) and may(front_desk, Duty.OPEN)
    assert not may(front_desk, Duty.REASSIGN) and not may(front_desk, Duty.CLOSE)
    assert may({Role.MANAGER}, Duty.FILE)
    assert not may({Role.SUPERVISOR}, Duty.FILE)


def test_a_public_area_location_is_a_short_text():
    assert location_problem("  lift lobby ") is None
    assert location_problem("   ") == "empty"
    assert location_problem("x" * 201) == "too_long"


def test_unit_tickets_are_not_public_areas():
    assert not awaits_verification(replace(public(), place=Place("A", 7, "0801")))


def test_002_the_desk_reads_a_block_and_unit_however_it_is_typed():
    codes = ["A", "B", "A1"]
    assert unit_reference("A 1203", codes) == ("A", "1203")
    assert unit_reference("a-0801", codes) == ("A", "0801")
    assert unit_reference("B栋0502室", codes) == ("B", "0502")
    assert unit_reference("A1 101", codes) == ("A1", "101")
    assert unit_reference("+86 138 0000 0001", codes) is None
    assert unit_reference("C 1203", codes) is None
    assert unit_reference("A", codes) is None
    assert unit_spellings("502") == ["502", "0502"] and unit_spellings("1203") == ["1203"]


def test_an_owners_name_is_a_short_text():
    assert name_problem("Zhao Lei") is None
    assert name_problem(" ") == "empty"
    assert name_problem("x" * 101) == "too_long"
