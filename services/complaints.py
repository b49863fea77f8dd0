"""Complaints: filed by the owner, classified, handled by a manager, closed only with the owner's
agreement (silence escalates instead, see clock/complaints.py), and always called back
(docs/rules.md, Complaints)."""

from datetime import datetime, timedelta

from domain.complaints import ComplaintDeadlines, Severity, Topic, classify, complaint_deadlines, silences_passed
from domain.deadlines import same_day_end
from services.context import Services
from storage.complaints import Complaint
from storage.unit_of_work import UnitOfWork

OPEN = ["open", "handling", "proposed"]
CALLBACK_AFTER = timedelta(days=1)  # within 3 days of the resolution (docs/rules.md)


def _deadlines(services: Services, severity: Severity, filed_at: datetime) -> ComplaintDeadlines:
    return complaint_deadlines(severity, filed_at, lambda start: same_day_end(start, services.policy, services.tz))


def solution_due(services: Services, complaint: Complaint) -> datetime | None:
    """When a solution must be proposed (a major complaint's clear answer): from the rules, so
    it needs no column of its own."""
    return _deadlines(services, Severity(complaint.severity), complaint.filed_at).solution_by


def silences(services: Services, complaint: Complaint, now: datetime) -> list[datetime]:
    """Each wait for the owner's agreement that has ended by `now`: one rung more at each."""
    if complaint.status != "proposed" or complaint.proposed_at is None:
        return []
    return silences_passed(complaint.proposed_at, services.policy.confirm_silence_after, now)


async def file_complaint(
    services: Services, uow: UnitOfWork, owner_id: int, topic: Topic, text: str, photos: list[str], language: str
) -> Complaint:
    now = services.clock.now()
    severity = classify(text, topic)
    due = _deadlines(services, severity, now)
    return await uow.complaints.add(
        now.astimezone(services.tz),
        owner_user_id=owner_id,
        topic=topic,
        text=text,
        photos=photos,
        severity=severity,
        language=language,
        filed_at=now,
        first_handling_by=due.first_handling_by,
        answer_by=due.answer_by,
        resolve_by=due.resolve_by,
    )


async def change_severity(
    services: Services, uow: UnitOfWork, complaint_id: int, severity: Severity
) -> Complaint | None:
    complaint = await uow.complaints.get(complaint_id)
    if complaint is None:
        return None
    due = _deadlines(services, severity, complaint.filed_at)
    if not await uow.complaints.move(
        complaint_id,
        OPEN,
        severity=severity,
        first_handling_by=due.first_handling_by,
        answer_by=due.answer_by,
        resolve_by=due.resolve_by,
    ):
        return None
    return await uow.complaints.get(complaint_id)


async def take_in_hand(services: Services, uow: UnitOfWork, complaint_id: int, manager_id: int) -> Complaint | None:
    if not await uow.complaints.move(
        complaint_id, ["open"], status="handling", handled_at=services.clock.now(), handled_by=manager_id
    ):
        return None
    return await uow.complaints.get(complaint_id)


async def propose_solution(
    services: Services, uow: UnitOfWork, complaint_id: int, manager_id: int, solution: str
) -> Complaint | None:
    now = services.clock.now()
    if not await uow.complaints.move(
        complaint_id, ["open", "handling"], status="proposed", solution=solution, proposed_at=now, handled_by=manager_id
    ):
        return None
    complaint = await uow.complaints.get(complaint_id)
    if complaint is not None and complaint.handled_at is None:
        await uow.complaints.move(complaint_id, ["proposed"], handled_at=now)
    return await uow.complaints.get(complaint_id)


async def owner_answers(
    services: Services, uow: UnitOfWork, complaint_id: int, owner_id: int, agrees: bool
) -> Complaint | None:
    """Closed only with the owner's agreement; otherwise back in the managers' hands."""
    complaint = await uow.complaints.get(complaint_id)
    if complaint is None or complaint.owner_user_id != owner_id:
        return None
    now = services.clock.now()
    values = (
        {"status": "closed", "closed_at": now, "callback_due_at": now + CALLBACK_AFTER}
        if agrees
        else {"status": "handling"}
    )
    if not await uow.complaints.move(complaint_id, ["proposed"], **values):
        return None
    return await uow.complaints.get(complaint_id)


async def callback_answered(
    services: Services, uow: UnitOfWork, complaint_id: int, owner_id: int, satisfied: bool
) -> Complaint | None:
    complaint = await uow.complaints.get(complaint_id)
    if complaint is None or complaint.owner_user_id != owner_id or complaint.callback_answer not in (None, "asked"):
        return None
    await uow.complaints.move(
        complaint_id, ["closed", "closed_by_silence"], callback_answer="satisfied" if satisfied else "unsatisfied"
    )
    return await uow.complaints.get(complaint_id)
