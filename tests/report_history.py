"""A small history of Sunny Gardens written straight into the tables, for the report tests:
four November tickets (three leaks in A-1203, a lamp in B-0502 with its work record), one
October lamp, their callbacks and ratings, and four complaints. The figures each report
should show are worked out by hand in the tests that use it."""

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import (
    CallbackRow,
    ComplaintRow,
    RatingRow,
    TicketEventRow,
    TicketRow,
    UnitBindingRow,
    UnitRow,
    WorkMaterialRow,
    WorkRecordRow,
)

M, H, D = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
WANG, JOHN = 1001, 1004  # Wang lives in A-1203, John in B-0502


def at(month: int, day: int, hour: int = 2) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def _ticket(number: str, unit_id: int, block: str, category: str, contractor: str, filed: datetime, **values):
    return TicketRow(
        number=number,
        owner_user_id=WANG if block == "A" else JOHN,
        unit_id=unit_id,
        block=block,
        category=category,
        trade="plumbing" if category == "leak" else "electrical",
        urgency="urgent",
        description="…",
        visit_time="any",
        coverage="in_warranty",
        contractor_code=contractor,
        language="en",
        filed_at=filed,
        accept_by=filed + 15 * M,
        **values,
    )


async def seed(sessions: async_sessionmaker[AsyncSession], units: tuple[int, int] | None = None) -> None:
    """`units`: the ids of A-1203 and B-0502 when the roster already holds them."""
    async with sessions() as session:
        if units is None:
            a, b = UnitRow(block="A", number="1203"), UnitRow(block="B", number="0502")
            session.add_all([a, b])
            await session.flush()
            units = (a.id, b.id)  # type: ignore[assignment]
            session.add_all(
                [
                    UnitBindingRow(telegram_user_id=WANG, unit_id=a.id, via="contact", bound_at=at(10, 1)),
                    UnitBindingRow(telegram_user_id=JOHN, unit_id=b.id, via="contact", bound_at=at(10, 1)),
                ]
            )
        a_id, b_id = units
        f1, f2, f3, f4, f5 = at(11, 2), at(11, 10), at(11, 20), at(11, 5), at(10, 28)
        t1 = _ticket("261102-0001", a_id, "A", "leak", "aqua", f1, status="closed", taken_at=f1 + 10 * M,
                     on_site_by=f1 + 30 * M, resolve_by=f1 + 2 * D, done_at=f1 + D)  # fmt: skip
        session.add(t1)
        await session.flush()
        t2 = _ticket("261110-0002", a_id, "A", "leak", "aqua", f2, status="closed", taken_at=f2 + 20 * M,
                     on_site_by=f2 + 30 * M, resolve_by=f2 + 2 * D, done_at=f2 + 3 * D, reopen_count=1,
                     repeat_of=t1.id, repeat_count=1)  # fmt: skip
        session.add(t2)
        await session.flush()
        t3 = _ticket("261120-0003", a_id, "A", "leak", "aqua", f3, status="taken", taken_at=f3 + 5 * M,
                     on_site_by=f3 + 30 * M, resolve_by=f3 + 2 * D, repeat_of=t2.id, repeat_count=2)  # fmt: skip
        t4 = _ticket("261105-0004", b_id, "B", "lighting", "volt", f4, status="closed", taken_at=f4 + 10 * M,
                     on_site_by=f4 + 2 * H, resolve_by=f4 + 8 * H, done_at=f4 + 5 * H,
                     quote="200 yuan: a new lamp", quote_status="accepted")  # fmt: skip
        t5 = _ticket("261028-0005", b_id, "B", "lighting", "volt", f5, status="closed", taken_at=f5 + 5 * M,
                     resolve_by=f5 + D, done_at=f5 + 6 * H)  # fmt: skip
        t6 = _ticket("261112-0006", a_id, "A", "lighting", "volt", at(11, 12), status="cancelled")
        session.add_all([t3, t4, t5, t6])
        await session.flush()
        session.add_all(
            [
                TicketEventRow(ticket_id=t1.id, at=f1 + 20 * M, kind="arrived"),
                TicketEventRow(ticket_id=t2.id, at=f2 + 40 * M, kind="arrived"),
                TicketEventRow(ticket_id=t2.id, at=f2 + 2 * H, kind="arrived"),  # the second visit
                TicketEventRow(ticket_id=t4.id, at=f4 + H, kind="arrived"),
                TicketEventRow(ticket_id=t4.id, at=at(11, 7, 4), kind="came_back"),
                TicketEventRow(ticket_id=t4.id, at=at(11, 7, 4), kind="unhappy"),
                TicketEventRow(ticket_id=t4.id, at=at(11, 8, 3), kind="manager_visited"),
            ]
        )
        c1 = CallbackRow(ticket_id=t1.id, kind="repair", status="answered", asked_at=at(11, 4),
                         answered_at=at(11, 4, 3), still_fixed=True)  # fmt: skip
        c2 = CallbackRow(ticket_id=t4.id, kind="repair", status="answered", asked_at=at(11, 7),
                         answered_at=at(11, 7, 4), still_fixed=False, comment="the lamp flickers again")  # fmt: skip
        c3 = CallbackRow(ticket_id=t2.id, kind="repair", status="unanswered", asked_at=at(11, 15))
        c4 = CallbackRow(ticket_id=t5.id, kind="repair", status="answered", asked_at=at(10, 30),
                         answered_at=at(10, 30, 5), still_fixed=True)  # fmt: skip
        session.add_all([c1, c2, c3, c4])
        record = WorkRecordRow(ticket_id=t4.id, fault="failed driver", paid=True, quoted_fen=20000,
                               collected_fen=20000, recorded_at=f4 + 5 * H)  # fmt: skip
        session.add(record)
        await session.flush()
        session.add(WorkMaterialRow(record_id=record.id, position=1, name="LED lamp", quantity="1", cost_fen=12050))
        scores = {
            c1.id: {"timeliness": 1, "skill": 2, "attitude": 1, "overall": 1},
            c2.id: {"timeliness": 2, "skill": 3, "attitude": 2, "price": 1, "overall": 3},
            c4.id: {"overall": 4},
        }
        session.add_all(
            RatingRow(callback_id=callback, dimension=dimension, score=score)
            for callback, given in scores.items()
            for dimension, score in given.items()
        )
        k1, k2, k3, k4 = at(11, 16), at(11, 18), at(11, 19), at(11, 2)
        session.add_all(
            [
                _complaint("C-1", WANG, "engineer", "important", k1, "closed", k1 + H, k1 + 3 * D, k1 + 2 * D),
                _complaint("C-2", WANG, "engineer", "minor", k2, "closed", k2 + 3 * H, k2 + 2 * D, k2 + 3 * D),
                _complaint("C-3", JOHN, "noise", "major", k3, "handling", k3 + H, k3 + 10 * D, None),
                _complaint("C-4", JOHN, "service", "minor", k4, "open", None, k4 + 2 * D, None),
            ]
        )
        await session.commit()


def _complaint(number, owner, topic, severity, filed, status, handled, resolve_by, closed) -> ComplaintRow:
    return ComplaintRow(
        number=number,
        owner_user_id=owner,
        topic=topic,
        text="…",
        severity=severity,
        status=status,
        language="en",
        filed_at=filed,
        answer_by=filed + 2 * D,
        resolve_by=resolve_by,
        handled_at=handled,
        closed_at=closed,
    )
