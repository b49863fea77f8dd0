"""`baoxiu backup` / `restore`: a consistent copy of the database and the evidence photos,
checked after writing, and refused when damaged — on SQLite and on PostgreSQL."""

import asyncio
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from domain.roster import RosterRow
from storage.backup import EVIDENCE_COPY, BackupError, backup, restore, verify
from storage.database import create_engine, migrate, session_factory
from storage.unit_of_work import UnitOfWork
from tests.test_storage import database_url  # noqa: F401  # the fixture: SQLite, then PostgreSQL


def row(line: int, unit: str) -> RosterRow:
    return RosterRow(line, "A", unit, f"Owner {unit}", f"+86138000000{line:02d}", date(2023, 6, 30), None)


async def units_in(url: str) -> int:
    engine = create_engine(url)
    async with engine.connect() as connection:
        count = (await connection.execute(text("SELECT count(*) FROM unit"))).scalar_one()
    await engine.dispose()
    return int(count)


async def seed(url: str, units: int) -> None:
    engine = create_engine(url)
    await migrate(engine)
    async with UnitOfWork(session_factory(engine)) as uow:
        for line in range(1, units + 1):
            await uow.owners.import_row(row(line, f"{line:04d}"))
    await engine.dispose()


async def wipe(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DELETE FROM resident"))
        await connection.execute(text("DELETE FROM unit"))
    await engine.dispose()


def evidence(tmp_path: Path) -> Path:
    photos = tmp_path / "evidence"
    (photos / "261124-0017").mkdir(parents=True)
    (photos / "261124-0017" / "before-1.jpg").write_bytes(b"\xff\xd8 the leak \xff\xd9")
    return photos


async def test_a_backup_restores_the_database_and_the_photos_as_they_were(database_url, tmp_path):  # noqa: F811
    await seed(database_url, 3)
    photos = evidence(tmp_path)
    summary = await _in_thread(backup, database_url, photos, tmp_path / "backup")
    assert summary.photos == 1
    await wipe(database_url)
    (photos / "261124-0017" / "before-1.jpg").unlink()
    assert await units_in(database_url) == 0

    await _in_thread(restore, tmp_path / "backup", database_url, photos)
    assert await units_in(database_url) == 3
    assert (photos / "261124-0017" / "before-1.jpg").read_bytes() == b"\xff\xd8 the leak \xff\xd9"


async def test_a_damaged_backup_is_refused_before_anything_is_overwritten(database_url, tmp_path):  # noqa: F811
    await seed(database_url, 2)
    photos = evidence(tmp_path)
    await _in_thread(backup, database_url, photos, tmp_path / "backup")
    archive = tmp_path / "backup" / EVIDENCE_COPY
    archive.write_bytes(archive.read_bytes()[:-10])
    await wipe(database_url)
    with pytest.raises(BackupError, match="missing or damaged"):
        await _in_thread(restore, tmp_path / "backup", database_url, photos)
    assert await units_in(database_url) == 0  # untouched


def test_a_backup_goes_into_an_empty_directory_only(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("x")
    with pytest.raises(BackupError, match="not empty"):
        backup(f"sqlite+aiosqlite:///{tmp_path}/t.db", tmp_path, tmp_path / "old")
    with pytest.raises(BackupError, match="not a baoxiu backup"):
        verify(tmp_path / "old")


async def _in_thread(function, *args):
    """pg_dump and the SQLite backup block: run them outside the event loop."""
    return await asyncio.to_thread(function, *args)
