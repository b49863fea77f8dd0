"""A consistent copy of the database and the evidence photos, checked after writing, and
the way back.

A backup is one directory: `database.sqlite3` (SQLite's online backup API, safe while the
bot runs) or `database.dump` (pg_dump's custom format for PostgreSQL), `evidence.tar.gz`
(the photo store), and `manifest.json` with each file's SHA-256 and what was counted in the
copy, so `restore` (and the check right after `backup`) can tell a damaged copy from a good
one before anything is overwritten.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

MANIFEST = "manifest.json"
SQLITE_COPY = "database.sqlite3"
POSTGRES_COPY = "database.dump"
EVIDENCE_COPY = "evidence.tar.gz"


class BackupError(Exception):
    """What went wrong, in one sentence an operator can act on."""


@dataclass(frozen=True)
class BackupSummary:
    directory: Path
    tickets: int
    photos: int


def backup(database_url: str, photo_dir: Path, target: Path) -> BackupSummary:
    """Write a backup into `target` (a new or empty directory) and check it."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: choose a new directory for the backup")
    target.mkdir(parents=True, exist_ok=True)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        copy = target / SQLITE_COPY
        _sqlite_backup(_sqlite_path(database_url), copy)
        tickets = _sqlite_count(copy, "ticket")
    else:
        copy = target / POSTGRES_COPY
        _pg_dump(database_url, copy)
        tickets = -1  # counted by pg_restore --list when restoring; pg_dump checks its own output
    photos = _pack_evidence(photo_dir, target / EVIDENCE_COPY)
    files = {path.name: _sha256(path) for path in (copy, target / EVIDENCE_COPY)}
    manifest = {"made_at": datetime.now(UTC).isoformat(), "files": files, "tickets": tickets, "photos": photos}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    verify(target)
    return BackupSummary(target, tickets, photos)


def verify(source: Path) -> dict[str, object]:
    """The manifest of a backup whose files are all there and unchanged, else BackupError."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} has no {MANIFEST}: it is not a baoxiu backup")
    manifest: dict[str, object] = json.loads(manifest_path.read_text(encoding="utf-8"))
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BackupError(f"{manifest_path} is damaged")
    for name, digest in files.items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{path} is missing or damaged (its SHA-256 does not match the manifest)")
    if SQLITE_COPY in files:
        _sqlite_integrity(source / SQLITE_COPY)
    return manifest


def restore(source: Path, database_url: str, photo_dir: Path) -> BackupSummary:
    """Put a checked backup back: the database first, then the photos. The bot must be
    stopped; the current database file is kept beside it as `<name>.before-restore`."""
    manifest = verify(source)
    files = manifest["files"]
    assert isinstance(files, dict)
    if SQLITE_COPY in files:
        path = _sqlite_path(database_url)
        if path.exists():
            shutil.copy2(path, path.with_name(path.name + ".before-restore"))
        for stale in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            stale.unlink(missing_ok=True)
        _sqlite_backup(source / SQLITE_COPY, path)
        tickets = _sqlite_count(path, "ticket")
    elif POSTGRES_COPY in files:
        _pg_restore(source / POSTGRES_COPY, database_url)
        tickets = -1
    else:
        raise BackupError(f"{source} holds no database copy")
    photos = _unpack_evidence(source / EVIDENCE_COPY, photo_dir)
    return BackupSummary(source, tickets, photos)


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("storage.database_url names no SQLite file to back up")
    return Path(database)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"database file {source} does not exist")
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)  # pages are copied under SQLite's own locking: a consistent snapshot


def _sqlite_integrity(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchone()
    if result is None or result[0] != "ok":
        raise BackupError(f"{path} fails SQLite's integrity check: {result}")


def _sqlite_count(path: Path, table: str) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _libpq_env(database_url: str) -> tuple[list[str], dict[str, str]]:
    url = make_url(database_url)
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432), "--username", url.username or ""]
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    return [*args, "--dbname", url.database or ""], env


def _pg_dump(database_url: str, target: Path) -> None:
    args, env = _libpq_env(database_url)
    _run(["pg_dump", "--format=custom", "--file", str(target), *args], env, "pg_dump")


def _pg_restore(source: Path, database_url: str) -> None:
    args, env = _libpq_env(database_url)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", *args, str(source)], env, "pg_restore")


def _run(command: list[str], env: dict[str, str], name: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{name} failed: {result.stderr.strip().splitlines()[-1] if result.stderr else ''}")


def _pack_evidence(photo_dir: Path, target: Path) -> int:
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        if photo_dir.is_dir():
            for path in sorted(photo_dir.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(photo_dir)))
                    count += 1
    return count


def _unpack_evidence(source: Path, photo_dir: Path) -> int:
    photo_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source, "r:gz") as archive:
        members = [member for member in archive.getmembers() if member.isfile()]
        archive.extractall(photo_dir, members=members, filter="data")  # no absolute paths, no links out
    return len(members)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
