"""A ticket's evidence pack: the original photos with their SHA-256 and capture times, the
before/after pairs, the work record (fault, materials, what paid work collected), the full
timeline, the callbacks and ratings, and a one-page summary, in one ZIP a manager can hand
over in a dispute."""

import csv
import hashlib
import html
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import zip_longest
from pathlib import Path

from domain.tickets import Ticket, TicketEvent
from domain.work_record import money, quantity_text
from storage.archive import ArchiveRepository, CallbackRecord, Photo
from storage.unit_of_work import UnitOfWork
from storage.work_records import StoredRecord, WorkRecordRepository


@dataclass(frozen=True)
class PackedPhoto:
    name: str | None  # inside the ZIP; None when the file is gone
    photo: Photo
    sha256_now: str | None

    @property
    def intact(self) -> bool:
        return self.sha256_now is not None and self.sha256_now == self.photo.sha256


def _iso(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat()


def _csv(rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def _pack_photos(pack: zipfile.ZipFile, photos: list[Photo]) -> list[PackedPhoto]:
    packed = []
    for index, photo in enumerate(photos, start=1):
        path = Path(photo.path) if photo.path else None
        if path is None or not path.is_file():
            packed.append(PackedPhoto(None, photo, None))
            continue
        content = path.read_bytes()
        # the store keeps one file per content, so two photos may share it: each gets a name
        name = f"photos/{index:02d}-{photo.stage}{path.suffix}"
        pack.writestr(name, content)
        packed.append(PackedPhoto(name, photo, hashlib.sha256(content).hexdigest()))
    return packed


def _manifest(packed: list[PackedPhoto]) -> str:
    header = ["file", "stage", "sha256", "sha256_of_file", "intact", "size", "taken_at_exif", "received_at_utc"]
    rows = [
        [
            p.name or "(missing)",
            p.photo.stage,
            p.photo.sha256 or "",
            p.sha256_now or "",
            p.intact,
            p.photo.size or "",
            p.photo.exif_taken_at or "",
            _iso(p.photo.received_at),
        ]
        for p in packed
    ]
    return _csv([header, *rows])


def _pairs(packed: list[PackedPhoto]) -> str:
    before = [p.name or "(missing)" for p in packed if p.photo.stage == "before"]
    after = [p.name or "(missing)" for p in packed if p.photo.stage == "after"]
    rows = [[i, b or "", a or ""] for i, (b, a) in enumerate(zip_longest(before, after), start=1)]
    return _csv([["pair", "before", "after"], *rows])


def _timeline(history: list[TicketEvent], lines: list[str]) -> str:
    rows = [
        [_iso(e.at), e.kind, e.actor_user_id or "", json.dumps(e.detail, ensure_ascii=False), line]
        for e, line in zip(history, lines, strict=True)
    ]
    return _csv([["at_utc", "kind", "actor_user_id", "detail", "as_shown"], *rows])


def _callbacks(records: list[CallbackRecord]) -> str:
    rows = [
        [
            r.kind,
            r.status,
            _iso(r.due_at),
            _iso(r.asked_at),
            _iso(r.answered_at),
            "" if r.still_fixed is None else r.still_fixed,
            r.comment or "",
            json.dumps(r.ratings),
        ]
        for r in records
    ]
    return _csv(
        [
            ["kind", "status", "due_at_utc", "asked_at_utc", "answered_at_utc", "still_fixed", "comment", "ratings"],
            *rows,
        ]
    )


def _work_records(records: list[StoredRecord]) -> str:
    """One row per line of materials (a record without materials keeps one row): the fault,
    what was used and its cost, and for paid work the price, the amount collected and why."""
    header = ["round", "recorded_at_utc", "fault", "material", "quantity", "unit", "cost", "total"]
    header += ["paid", "quoted", "collected", "reason"]
    rows = []
    for stored in records:
        r = stored.record
        paid = [r.paid, _money(r.quoted), _money(r.collected), r.reason]
        head = [stored.round, _iso(stored.recorded_at), r.fault]
        for m in r.materials or (None,):
            line = ["", "", "", ""] if m is None else [m.name, f"{m.quantity.normalize():f}", m.unit, f"{m.cost}"]
            rows.append([*head, *line, f"{r.total}", *paid])
    return _csv([header, *rows])


def _money(amount: object) -> str:
    return "" if amount is None else str(amount)


def _work_html(records: list[StoredRecord]) -> str:
    e = html.escape
    parts = []
    for stored in records:
        r = stored.record
        items = "".join(f"<li>{e(m.name)} · {e(quantity_text(m))} · {e(money(m.cost))}</li>" for m in r.materials)
        paid = f"<p>{e(money(r.collected))} {e(r.reason)}</p>" if r.collected is not None else ""
        parts.append(f"<h3>{e(r.fault)}</h3><ul>{items}</ul><p>Σ {e(money(r.total))}</p>{paid}")
    return "".join(parts)


def _summary(
    facts: list[tuple[str, str]],
    packed: list[PackedPhoto],
    lines: list[str],
    records: list[CallbackRecord],
    work: list[StoredRecord],
) -> str:
    e = html.escape
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts)
    photos = "".join(
        f'<figure><img src="{e(p.name)}" width="240"><figcaption>{e(p.photo.stage)} · {e(p.photo.exif_taken_at or "")}'
        f" · {'✔' if p.intact else '✘'} {e((p.photo.sha256 or '')[:16])}</figcaption></figure>"
        for p in packed
        if p.name
    )
    timeline = "".join(f"<li>{e(line)}</li>" for line in lines)
    ratings = "".join(
        f"<li>{e(r.kind)} · {e(r.status)} · {e(json.dumps(r.ratings))} {e(r.comment or '')}</li>" for r in records
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>'
        f"{e(facts[0][1])}</title></head><body><h1>{e(facts[0][1])}</h1><table>{table}</table>"
        f"<h2>🔧</h2>{_work_html(work)}"
        f"<h2>📷</h2>{photos}<h2>🕒</h2><ol>{timeline}</ol><h2>☎</h2><ul>{ratings}</ul></body></html>"
    )


async def evidence_pack(
    uow: UnitOfWork, ticket: Ticket, facts: list[tuple[str, str]], lines: list[str]
) -> tuple[bytes, list[PackedPhoto]]:
    """The ZIP's bytes; `facts` are the summary's labelled values (the first is its title) and
    `lines` the ticket's history as people read it, one per event."""
    archive = ArchiveRepository(uow.session)
    history = await uow.tickets.history(ticket.id)
    records = await archive.callbacks(ticket.id)
    work = await WorkRecordRepository(uow.session).all_of(ticket.id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        packed = _pack_photos(pack, await archive.photos(ticket.id))
        pack.writestr("manifest.csv", _manifest(packed))
        pack.writestr("pairs.csv", _pairs(packed))
        pack.writestr("timeline.csv", _timeline(history, lines))
        pack.writestr("callbacks.csv", _callbacks(records))
        pack.writestr("work_record.csv", _work_records(work))
        pack.writestr("index.html", _summary(facts, packed, lines, records, work))
    return buffer.getvalue(), packed
