"""The archive export of a period and the purge after the retention period, on a real
SQLite database with a settable clock."""

import csv
import logging
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot import cli
from domain.policy import Policy
from services import export
from services.context import Services
from services.evidence import PhotoStore
from storage.database import create_engine, migrate, session_factory
from storage.tables import (
    CallbackRow,
    ComplaintRow,
    RatingRow,
    TicketEventRow,
    TicketPhotoRow,
    TicketRow,
    WorkMaterialRow,
    WorkRecordRow,
)
from storage.unit_of_work import UnitOfWork
from tests.fakes import SettableClock

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 2, tzinfo=UTC)


def ticket(number: str, filed: datetime, status: str) -> TicketRow:
    return TicketRow(
        number=number,
        owner_user_id=1004,
        block="B",
        category="leak",
        trade="plumbing",
        urgency="urgent",
        description="water from the ceiling",
        visit_time="tomorrow_morning",
        coverage="paid",
        status=status,
        language="en",
        filed_at=filed,
    )


async def fill(sessions, photo: Path) -> None:
    """Three tickets: closed long ago (with everything), open long ago, closed recently;
    and a complaint closed long ago."""
    async with UnitOfWork(sessions) as uow:
        old = ticket("241101-0001", datetime(2024, 11, 1, 2, tzinfo=UTC), "closed")
        stuck = ticket("241102-0002", datetime(2024, 11, 2, 2, tzinfo=UTC), "taken")
        recent = ticket("261120-0003", datetime(2026, 11, 20, 2, tzinfo=UTC), "closed")
        uow.session.add_all([old, stuck, recent])
        await uow.session.flush()
        uow.session.add(TicketEventRow(ticket_id=old.id, at=old.filed_at, kind="filed", detail="{}"))
        uow.session.add(TicketEventRow(ticket_id=recent.id, at=recent.filed_at, kind="filed", detail="{}"))
        uow.session.add(
            TicketPhotoRow(ticket_id=old.id, stage="before", file_id="f1", path=str(photo), received_at=old.filed_at)
        )
        # the store keeps one file per content: the same picture sent again for a recent
        # ticket shares the old one's file, and its copy without EXIF is the old one's only
        shared, copy = photo.with_name("shared.jpg"), photo.with_name("old-copy.jpg")
        shared.write_bytes(b"\xff\xd8 the same picture")
        copy.write_bytes(b"\xff\xd8 without exif")
        for owner in (old, recent):
            uow.session.add(
                TicketPhotoRow(
                    ticket_id=owner.id, stage="after", file_id="f2", path=str(shared),
                    shared_path=str(copy) if owner is old else None, received_at=owner.filed_at,
                )
            )  # fmt: skip
        record = WorkRecordRow(
            ticket_id=old.id, fault="worn seal", paid=True, collected_fen=35000, recorded_at=old.filed_at
        )
        uow.session.add(record)
        await uow.session.flush()
        lines = (("PPR pipe", "2", "m", 3000), ("seal", "1.5", "", 1550))
        for position, (name, quantity, unit, cost) in enumerate(lines, start=1):
            uow.session.add(
                WorkMaterialRow(
                    record_id=record.id, position=position, name=name, quantity=quantity, unit=unit, cost_fen=cost
                )
            )
        callback = CallbackRow(ticket_id=old.id, kind="repair", status="answered", comment="ok")
        uow.session.add(callback)
        await uow.session.flush()
        uow.session.add(RatingRow(callback_id=callback.id, dimension="overall", score=1))
        uow.session.add(
            ComplaintRow(
                number="C-1",
                owner_user_id=1004,
                topic="noise",
                text="noisy neighbours",
                severity="minor",
                status="closed",
                language="en",
                filed_at=datetime(2024, 10, 1, 2, tzinfo=UTC),
                answer_by=datetime(2024, 10, 2, 2, tzinfo=UTC),
                resolve_by=datetime(2024, 10, 5, 2, tzinfo=UTC),
            )
        )


@pytest.fixture
async def sessions(tmp_path):
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")
    await migrate(engine)
    photo = tmp_path / "before.jpg"
    photo.write_bytes(b"\xff\xd8 original")
    await fill(session_factory(engine), photo)
    yield session_factory(engine)
    await engine.dispose()


async def test_a_period_is_exported_to_a_workbook_with_dates_as_dates(sessions, tmp_path):
    output = tmp_path / "out" / "archive.xlsx"
    async with UnitOfWork(sessions) as uow:
        counts = await export.export(uow, date(2024, 11, 1), date(2024, 11, 1), TZ, "xlsx", output)
    assert counts == {
        "tickets": 1,
        "history": 1,
        "callbacks": 1,
        "ratings": 1,
        "complaints": 0,
        "work_records": 1,
        "materials": 2,
    }
    book = load_workbook(output)
    assert book.sheetnames == ["tickets", "history", "callbacks", "ratings", "complaints", "work_records", "materials"]
    materials = [[cell.value for cell in row] for row in book["materials"].iter_rows()]
    assert materials == [
        ["ticket", "round", "position", "name", "quantity", "unit", "cost_yuan"],
        ["241101-0001", 0, 1, "PPR pipe", 2, "m", 30],
        ["241101-0001", 0, 2, "seal", 1.5, None, 15.5],
    ]
    records = book["work_records"]
    header = [cell.value for cell in records[1]]
    assert records.cell(row=2, column=header.index("collected_yuan") + 1).value == 350
    tickets = book["tickets"]
    assert tickets.freeze_panes == "A2" and tickets.auto_filter.ref == tickets.dimensions
    header = [cell.value for cell in tickets[1]]
    filed = tickets.cell(row=2, column=header.index("filed_at") + 1).value
    assert filed == datetime(2024, 11, 1, 10, 0)  # local time, as a date cell
    assert tickets.cell(row=2, column=header.index("number") + 1).value == "241101-0001"


async def test_a_period_is_exported_to_csv_files(sessions, tmp_path):
    async with UnitOfWork(sessions) as uow:
        counts = await export.export(uow, date(2024, 10, 1), date(2026, 11, 30), TZ, "csv", tmp_path / "csv")
    assert counts["tickets"] == 3 and counts["complaints"] == 1
    with (tmp_path / "csv" / "tickets.csv").open(encoding="utf-8-sig") as file:
        assert [row["number"] for row in csv.DictReader(file)] == ["241101-0001", "241102-0002", "261120-0003"]


async def test_records_older_than_the_retention_period_are_purged_and_counted(sessions, tmp_path, caplog):
    clock = SettableClock(NOW)
    services = Services(sessions, clock, Policy(), TZ, [], "CN", PhotoStore(tmp_path), {}, None)  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="services.export"):
        counts = await export.purge(services)
    assert counts["ticket"] == 1 and counts["ticket_event"] == 1 and counts["ticket_photo"] == 2
    assert counts["callback"] == 1 and counts["rating"] == 1 and counts["complaint"] == 1
    assert counts["work_record"] == 1 and counts["work_material"] == 2
    assert not (tmp_path / "before.jpg").exists() and not (tmp_path / "old-copy.jpg").exists()
    assert (tmp_path / "shared.jpg").exists()  # the recent ticket still shows it
    assert "ticket=1" in caplog.text and "complaint=1" in caplog.text
    assert "noisy" not in caplog.text and "1004" not in caplog.text  # no personal data in the log
    async with UnitOfWork(sessions) as uow:
        left = (await uow.session.exec(TicketRow.__table__.select())).all()
    assert sorted(row.number for row in left) == ["241102-0002", "261120-0003"]  # open, and recent
    assert (await export.purge(services))["ticket"] == 0  # the next night finds nothing more
    clock.set(datetime(2028, 11, 21, 2, tzinfo=UTC))
    assert (await export.purge(services))["ticket"] == 1  # two years after the recent one


def test_the_export_command_checks_its_dates(tmp_path, capsys):
    config = tmp_path / "baoxiu.toml"
    config.write_text(
        '[telegram]\ntoken = "1:x"\n[storage]\ndatabase_url = "sqlite+aiosqlite:///'
        f'{tmp_path}/cli.db"\n[property]\nname = "P"\nemergency_phone = "1"\n[[blocks]]\ncode = "A"\nname = "A"\n',
        encoding="utf-8",
    )
    args = ["export", "--config", str(config), "--since", "2026-11-02", "--until", "2026-11-01"]
    assert cli.main(args) == 2
    assert "--since must not be after --until" in capsys.readouterr().err
    output = tmp_path / "a.xlsx"
    assert cli.main([*args[:4], "2026-11-01", "--until", "2026-11-30", "--output", str(output)]) == 0
    assert output.exists() and "0 tickets" in capsys.readouterr().out
