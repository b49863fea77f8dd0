"""The property group bench/scale.py measures, written straight into the database: 20
blocks of 500 units with an owner each, and years of tickets (by default 100,000: ~95%
closed over three years, the rest open in every state, some overdue), with their photos,
history, the notices the clock already sent, callbacks, complaints and a yearly survey in
proportion. Random but repeatable (one seed)."""

import json
import random
import string
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.categories import CATEGORIES
from domain.escalation import due_notices
from domain.policy import Policy
from domain.surveys import QUESTIONS, Scope
from domain.tickets import Place, Ticket, ticket_number
from domain.tickets import TicketStatus as S
from storage.tables import (
    CallbackRow,
    ComplaintRow,
    NoticeRow,
    OwnerAccountRow,
    ResidentRow,
    SurveyQuestionRow,
    SurveyRecipientRow,
    SurveyRow,
    TicketEventRow,
    TicketPhotoRow,
    TicketRow,
    UnitBindingRow,
    UnitRow,
)
from storage.ticket_clock import NEEDS_A_LOOK

BLOCKS = string.ascii_uppercase[:20]
UNITS_PER_BLOCK = 500
FIRST_OWNER = 10_000_000
ENGINEERS = [(20_000_000 + i, f"Engineer {i}") for i in range(40)]
CONTRACTOR_OF = {"waterproofing": "aqua", "plumbing": "aqua", "electrical": "volt"}  # else in-house
OPEN_MIX = {  # the open tickets' states, in shares
    S.UNASSIGNED: 3,
    S.ASSIGNED: 15,
    S.TAKEN: 12,
    S.VISIT_PROPOSED: 6,
    S.VISIT_AGREED: 8,
    S.ON_THE_WAY: 3,
    S.ON_SITE: 12,
    S.WAITING_PARTS: 8,
    S.WAITING_OWNER: 6,
    S.AWAITING_VISIT: 2,
    S.DONE: 25,
}
HOLDS = {S.TAKEN, S.VISIT_PROPOSED, S.VISIT_AGREED, S.ON_THE_WAY, S.ON_SITE, S.WAITING_PARTS, S.WAITING_OWNER}
CATEGORY_CHOICES = [c for c in CATEGORIES if c.urgency != "referral"]
CHUNK = 5_000


async def seed(engine: AsyncEngine, tickets: int, now: datetime, policy: Policy) -> dict[str, int]:
    """Fill a freshly migrated database; returns how many rows of each kind went in."""
    rng = random.Random(20261126)
    owners = len(BLOCKS) * UNITS_PER_BLOCK
    rows: dict[str, list[dict]] = {name: [] for name in ("unit", "resident", "owner", "binding")}
    for index, (block, number) in enumerate((b, n) for b in BLOCKS for n in range(UNITS_PER_BLOCK)):
        unit_id, owner = index + 1, FIRST_OWNER + index
        handover = (now - timedelta(days=365 * (1 + index % 6))).date()
        rows["unit"].append({"id": unit_id, "block": block, "number": f"{number // 20 + 1:02d}{number % 20 + 1:02d}"})
        rows["unit"][-1]["handover_date"] = handover
        phone = f"+86139{index:08d}"
        rows["resident"].append({"unit_id": unit_id, "name": f"Owner {index}", "phone": phone, "language": "zh"})
        rows["owner"].append({"telegram_user_id": owner, "name": f"Owner {index}", "phone": None, "bound_at": now})
        rows["binding"].append({"telegram_user_id": owner, "unit_id": unit_id, "via": "contact", "bound_at": now})
    await _insert(engine, UnitRow, rows["unit"])
    await _insert(engine, ResidentRow, rows["resident"])
    await _insert(engine, OwnerAccountRow, rows["owner"])
    await _insert(engine, UnitBindingRow, rows["binding"])
    counts = {"units": owners, "owners": owners}
    open_count = tickets // 20
    ticket_rows = [_ticket(rng, i + 1, now, policy, i >= tickets - open_count, owners) for i in range(tickets)]
    await _insert(engine, TicketRow, ticket_rows)
    counts["tickets"] = tickets
    counts["open tickets"] = open_count
    for table, made in (
        (TicketPhotoRow, _photos(ticket_rows)),
        (TicketEventRow, _events(ticket_rows)),
        (NoticeRow, _notices(ticket_rows, now, policy)),
        (CallbackRow, _callbacks(rng, ticket_rows, now)),
        (ComplaintRow, _complaints(rng, tickets // 100, now, owners)),
    ):
        await _insert(engine, table, made)
        counts[table.__tablename__] = len(made)
    counts["survey recipients"] = await _survey(engine, rng, now, owners)
    return counts


def _ticket(rng: random.Random, ticket_id: int, now: datetime, policy: Policy, is_open: bool, owners: int) -> dict:
    category = rng.choice(CATEGORY_CHOICES)
    unit = rng.randrange(owners)
    if is_open:
        filed = now - timedelta(minutes=rng.randrange(20, 4 * 24 * 60))
        status = rng.choices(list(OPEN_MIX), weights=list(OPEN_MIX.values()))[0]
    else:
        filed = now - timedelta(days=4 + rng.random() * 3 * 365)
        status = rng.choices([S.CLOSED, S.CLOSED_BY_SILENCE, S.CANCELLED], weights=[85, 10, 5])[0]
    engineer = rng.choice(ENGINEERS)
    row = {
        "id": ticket_id,
        "number": ticket_number(ticket_id, filed),
        "owner_user_id": FIRST_OWNER + unit,
        "unit_id": unit + 1,
        "block": BLOCKS[unit // UNITS_PER_BLOCK],
        "public_area": None,
        "category": category.code,
        "trade": category.trade,
        "urgency": category.urgency,
        "description": "seeded for the scale bench",
        "visit_time": "asap",
        "coverage": rng.choice(["warranty", "paid"]),
        "status": status,
        "contractor_code": None if status is S.UNASSIGNED else CONTRACTOR_OF.get(category.trade, "inhouse"),
        "engineer_user_id": engineer[0] if status in HOLDS or not is_open else None,
        "engineer_name": engineer[1] if status in HOLDS or not is_open else None,
        "language": "zh",
        "filed_at": filed,
        "taken_at": filed + timedelta(minutes=10) if status in HOLDS or not is_open else None,
        "accept_by": filed + policy.accept_within,
        "on_site_by": filed + timedelta(hours=rng.choice([2, 4, 24])),
        "resolve_by": filed + timedelta(days=rng.choice([1, 2, 3, 5, 7])),
        "visit_slots": "[]",
        "visit_at": filed + timedelta(hours=rng.randrange(2, 30)) if status is S.VISIT_AGREED else None,
        "paused_since": now - timedelta(hours=rng.randrange(1, 30)) if status is S.AWAITING_VISIT else None,
        "done_at": now - policy.confirm_silence_after * rng.random() * 0.9 if status is S.DONE else None,
        "confirmed_at": filed + timedelta(days=2) if status is S.CLOSED else None,
        "unhappy_since": None,
        "next_due_at": NEEDS_A_LOOK if is_open else None,
        "due_version": 0,
    }
    if not is_open and rng.random() < 0.002:  # a callback answered "not satisfied" lately
        row["unhappy_since"] = now - timedelta(hours=rng.randrange(1, 48))
        row["next_due_at"] = NEEDS_A_LOOK
    return row


def _photos(tickets: list[dict]) -> list[dict]:
    return [
        {"ticket_id": t["id"], "stage": "before", "file_id": f"seed-{t['id']}", "received_at": t["filed_at"]}
        for t in tickets
    ]


def _events(tickets: list[dict]) -> list[dict]:
    events = []
    for t in tickets:
        events.append({"ticket_id": t["id"], "at": t["filed_at"], "kind": "filed", "detail": "{}"})
        if t["taken_at"]:
            events.append({"ticket_id": t["id"], "at": t["taken_at"], "kind": "taken", "detail": "{}"})
        if t["status"] in (S.CLOSED, S.CLOSED_BY_SILENCE, S.CANCELLED):
            at = t["confirmed_at"] or t["filed_at"] + timedelta(days=3)
            events.append({"ticket_id": t["id"], "at": at, "kind": str(t["status"]), "detail": "{}"})
    return events


def _notices(tickets: list[dict], now: datetime, policy: Policy) -> list[dict]:
    """What the clock sent before the pause: every notice due until now, as a running bot
    would have sent it, so the first sweep owes nothing new."""
    notices = []
    for row in tickets:
        if row["next_due_at"] is None:
            continue
        for notice in due_notices(_as_ticket(row), now, policy):
            for key in (notice.key, *notice.silent):
                notices.append({"ticket_id": row["id"], "key": key, "at": now})
    return notices


def _as_ticket(row: dict) -> Ticket:
    return Ticket(
        id=row["id"],
        number=row["number"],
        owner_user_id=row["owner_user_id"],
        place=Place(row["block"], row["unit_id"], None),
        category=row["category"],
        trade=row["trade"],
        urgency=row["urgency"],
        description=row["description"],
        visit_time=row["visit_time"],
        coverage=row["coverage"],
        status=row["status"],
        contractor_code=row["contractor_code"],
        engineer_user_id=row["engineer_user_id"],
        engineer_name=row["engineer_name"],
        filed_at=row["filed_at"],
        taken_at=row["taken_at"],
        accept_by=row["accept_by"],
        on_site_by=row["on_site_by"],
        resolve_by=row["resolve_by"],
        language=row["language"],
        visit_at=row["visit_at"],
        paused_since=row["paused_since"],
        done_at=row["done_at"],
        unhappy_since=row["unhappy_since"],
    )


def _callbacks(rng: random.Random, tickets: list[dict], now: datetime) -> list[dict]:
    """Most closed repairs were called back long ago; the latest wait, a few are asked."""
    made = []
    for t in tickets:
        if t["status"] is not S.CLOSED or rng.random() > 0.6:
            continue
        closed = t["confirmed_at"]
        row = {"ticket_id": t["id"], "kind": "repair", "due_at": closed + timedelta(days=3), "status": "answered"}
        row |= {"asked_at": closed + timedelta(days=3), "answered_at": closed + timedelta(days=3, hours=2)}
        if closed > now - timedelta(days=40):  # recent: some still scheduled or asked
            row["status"] = rng.choice(["scheduled", "asked", "answered"])
            if row["status"] == "scheduled":
                row |= {"due_at": now + timedelta(hours=rng.randrange(-1, 200)), "asked_at": None}
            if row["status"] == "asked":  # within the two days an owner has to answer
                row |= {"due_at": now - timedelta(hours=48), "asked_at": now - timedelta(hours=rng.randrange(1, 47))}
            if row["status"] != "answered":
                row["answered_at"] = None
        made.append(row)
    return made


def _complaints(rng: random.Random, count: int, now: datetime, owners: int) -> list[dict]:
    made = []
    for index in range(count):
        filed = now - timedelta(hours=rng.randrange(1, 3 * 365 * 24))
        recent = filed > now - timedelta(days=5)
        status = rng.choice(["open", "handling", "proposed"]) if recent else "closed"
        made.append(
            {
                "number": f"C{index + 1:06d}",
                "owner_user_id": FIRST_OWNER + rng.randrange(owners),
                "topic": "service",
                "text": "seeded",
                "photos": "[]",
                "severity": rng.choice(["ordinary", "major"]),
                "status": status,
                "language": "zh",
                "filed_at": filed,
                "first_handling_by": filed + timedelta(hours=1),
                "answer_by": filed + timedelta(hours=2),
                "resolve_by": filed + timedelta(days=7),
                "closed_at": None if recent else filed + timedelta(days=3),
                "callback_due_at": None if recent else filed + timedelta(days=4),
                "callback_answer": None if recent else "satisfied",
            }
        )
    return made


async def _survey(engine: AsyncEngine, rng: random.Random, now: datetime, owners: int) -> int:
    """This year's survey, open: every owner asked two days ago, a third have answered."""
    async with engine.begin() as connection:
        survey = await connection.execute(
            insert(SurveyRow.__table__).returning(SurveyRow.__table__.c.id),  # type: ignore[attr-defined]
            {
                "kind": "yearly",
                "scope": json.dumps(Scope("all").as_dict()),
                "scale": 4,
                "suggestion": True,
                "created_at": now - timedelta(days=2),
                "closes_at": now + timedelta(days=12),
                "status": "open",
            },
        )
        survey_id = survey.scalar_one()
        for position, dimension in enumerate(QUESTIONS):
            await connection.execute(
                insert(SurveyQuestionRow.__table__),  # type: ignore[attr-defined]
                {"survey_id": survey_id, "position": position, "dimension": str(dimension)},
            )
    asked = now - timedelta(days=2)
    recipients = [
        {
            "survey_id": survey_id,
            "owner_user_id": FIRST_OWNER + index,
            "units": json.dumps([index + 1]),
            "asked_at": asked,
            "reminders": 0,
            "returned_at": asked + timedelta(hours=5) if returned else None,
            "last_asked_at": None if returned else asked,
            "unhappy": False,
        }
        for index, returned in ((index, rng.random() < 0.33) for index in range(owners))
    ]
    await _insert(engine, SurveyRecipientRow, recipients)
    return len(recipients)


async def _insert(engine: AsyncEngine, table: type, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        async with engine.begin() as connection:
            await connection.execute(insert(table.__table__), chunk)  # type: ignore[attr-defined]


def _chunks(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
