"""/evidence N: the ticket's evidence pack, for managers and the responsible engineers only."""

import csv
import hashlib
import io
import sqlite3
import zipfile
from datetime import timedelta
from pathlib import Path

from tests.conftest import AQUA_GROUP
from tests.e2e.test_callbacks import fixed_leak, rate_everything
from tests.e2e.test_clock import sweep


def unpack(telegram, message: dict) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(telegram.files[message["document"]["file_id"]]))


def rows(pack: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(pack.read(name).decode("utf-8"))))


async def test_the_evidence_pack_holds_the_originals_their_hashes_the_timeline_and_the_ratings(
    running, people, telegram, clock, config_path
):
    number = await fixed_leak(people)
    clock.advance(timedelta(days=1, minutes=1))
    assert await sweep(running) == 1
    await people.john.expect(f"We are checking back on request №{number}")
    await rate_everything(people.john, "Very satisfied", "Quick and tidy")
    await people.john.expect("Thank you for your answers")

    await people.boss.send(f"/evidence {number}")
    reply = await people.boss.expect(f"Evidence of request №{number}: 3 photos")
    assert reply["document"]
    pack = unpack(telegram, reply)
    manifest = rows(pack, "manifest.csv")
    assert [row["stage"] for row in manifest] == ["before", "after", "receipt"]  # paid work keeps its receipt
    originals = [Path(path) for (path,) in db(config_path, "select path from ticket_photo order by id")]
    assert len(originals) == 3
    for row, original in zip(manifest, originals, strict=True):
        content = pack.read(row["file"])
        assert hashlib.sha256(content).hexdigest() == row["sha256"] == row["sha256_of_file"]
        assert content == original.read_bytes()
        assert row["intact"] == "True" and row["taken_at_exif"] == "2026:11:23 09:41:07"
    assert rows(pack, "pairs.csv") == [{"pair": "1", "before": manifest[0]["file"], "after": manifest[1]["file"]}]
    timeline = rows(pack, "timeline.csv")
    kinds = [row["kind"] for row in timeline]
    assert kinds[0] == "filed" and "callback_answered" in kinds
    assert all(row["as_shown"] for row in timeline)
    callbacks = rows(pack, "callbacks.csv")
    assert callbacks[0]["status"] == "answered" and callbacks[0]["comment"] == "Quick and tidy"
    assert '"overall": 1' in callbacks[0]["ratings"]
    work = rows(pack, "work_record.csv")
    assert [(w["fault"], w["material"], w["paid"], w["quoted"], w["collected"]) for w in work] == [
        ("Resealed the roof drain", "", "True", "350", "350")
    ]
    page = pack.read("index.html").decode("utf-8")
    assert f"№{number}" in page and "Ivan" in page and manifest[1]["file"] in page
    assert "Resealed the roof drain" in page and "¥350" in page

    # the engineer who did the job may have it, in private or in his contractor's group
    await people.ivan.send(f"/evidence {number}")
    await people.ivan.expect(f"Evidence of request №{number}")
    await people.petr.send(f"/evidence {number}", chat_id=AQUA_GROUP)
    await people.petr.expect(f"Evidence of request №{number}", chat_id=AQUA_GROUP)
    # nobody else
    await people.olga.send(f"/evidence {number}")
    await people.olga.expect("for the managers, for the engineer who holds it")
    await people.john.send(f"/evidence {number}")
    await people.john.expect("for the managers, for the engineer who holds it")
    await people.boss.send("/evidence 99999")
    await people.boss.expect("Send /evidence with the request number")


def db(config_path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(config_path.parent / "baoxiu.db") as connection:
        return connection.execute(query).fetchall()
