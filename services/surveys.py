"""Satisfaction surveys: start one, record an owner's taps, and count where it stands
(docs/rules.md). What is said to whom is views/surveys.py."""

from dataclasses import dataclass
from datetime import date, datetime

from domain.satisfaction import is_satisfied
from domain.surveys import Progress, Scope, UnitStatus, next_step, progress
from services.context import Services
from storage.surveys import Recipient, Survey, SurveyRepository
from storage.unit_of_work import UnitOfWork


def surveys(uow: UnitOfWork) -> SurveyRepository:
    return SurveyRepository(uow.session)


async def owners_in_scope(services: Services, uow: UnitOfWork, scope: Scope, today: date) -> dict[int, list[int]]:
    """Each bound owner of a unit in scope, with those units."""
    owners: dict[int, list[int]] = {}
    for unit, users in await uow.owners.bound_units_with_owners():
        if scope.covers(unit.block, unit.handover_date, today):
            for user in users:
                owners.setdefault(user, []).append(unit.id)
    return owners


async def start(
    services: Services,
    uow: UnitOfWork,
    kind: str,
    scope: Scope,
    questions: list[str],
    suggestion: bool,
    closes_at: datetime,
    created_by: int | None,
    progress_chat: int | None,
) -> tuple[Survey, list[Recipient]]:
    """The survey and everyone it asks, written in one transaction with their messages."""
    now = services.clock.now()
    today = now.astimezone(services.tz).date()
    repository = surveys(uow)
    survey_id = await repository.create(
        kind,
        scope,
        services.policy.rating_scale,
        suggestion,
        questions,
        created_by=created_by,
        created_at=now,
        closes_at=closes_at,
        progress_chat_id=progress_chat,
    )
    for owner, units in (await owners_in_scope(services, uow, scope, today)).items():
        await repository.add_recipient(survey_id, owner, units, now)
    survey = await repository.get(survey_id)
    assert survey is not None
    return survey, await repository.recipients(survey_id)


@dataclass(frozen=True)
class Answered:
    survey: Survey
    recipient: Recipient
    next: int | None  # the next question to ask, None when all are answered
    returned_now: bool  # this tap answered the last question
    unhappy: bool  # some answer is below "satisfied"


async def answer(
    services: Services, uow: UnitOfWork, recipient_id: int, owner: int, position: int, score: int
) -> Answered | str:
    """Record one tap; a reason ("stale", "closed") when it cannot count. A second tap on a
    question answered already changes nothing and moves on to the next open question."""
    repository = surveys(uow)
    recipient = await repository.recipient(recipient_id)
    survey = await repository.get(recipient.survey_id) if recipient else None
    if recipient is None or survey is None or recipient.owner_user_id != owner:
        return "stale"
    now = services.clock.now()
    if survey.status != "open" or survey.closes_at <= now:  # past its day, though the clock has not closed it yet
        return "closed"
    question = await repository.question_id(survey.id, position)
    if question is None or not 1 <= score <= survey.scale:
        return "stale"
    await repository.answer(recipient.id, question, score, now)
    scores = await repository.scores(recipient.id)
    upcoming = next_step(scores, len(survey.questions))
    unhappy = any(not is_satisfied(value) for value in scores.values())
    returned_now = upcoming is None and await repository.mark_returned(recipient.id, now, unhappy)
    return Answered(survey, await repository.recipient(recipient.id) or recipient, upcoming, returned_now, unhappy)


async def where_it_stands(
    services: Services, uow: UnitOfWork, survey: Survey, recipients: list[Recipient] | None = None
) -> Progress:
    """Occupied units in scope per block, how many the survey reached, how many answered
    (`recipients`: the survey's, when already read)."""
    with uow.reading_at_length():  # every owner asked and every occupied unit: a whole property
        return await _where_it_stands(services, uow, survey, recipients)


async def _where_it_stands(
    services: Services, uow: UnitOfWork, survey: Survey, recipients: list[Recipient] | None
) -> Progress:
    repository = surveys(uow)
    started = survey.created_at.astimezone(services.tz).date()
    sent = await repository.reached(survey.id)
    reached: set[int] = set()
    returned: set[int] = set()
    for recipient in recipients if recipients is not None else await repository.recipients(survey.id):
        if recipient.id in sent or recipient.returned_at is not None:
            reached |= set(recipient.unit_ids)
        if recipient.returned_at is not None:
            returned |= set(recipient.unit_ids)
    units = [
        unit
        for unit in await repository.occupied_units()
        if survey.scope.covers(unit.block, unit.handover_date, started)
    ]
    return progress(UnitStatus(unit.block, unit.id in reached, unit.id in returned) for unit in units)
