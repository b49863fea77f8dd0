"""The owner roster CSV (README.md, "The owner roster"): header block,unit,owner_name,phone,handover_date,language."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from domain.phones import normalize_phone

HEADER = ("block", "unit", "owner_name", "phone", "handover_date", "language")


@dataclass(frozen=True)
class RosterRow:
    line: int
    block: str
    unit: str
    owner_name: str
    phone: str  # E.164
    handover_date: date
    language: str | None


@dataclass(frozen=True)
class RosterProblem:
    line: int
    reason: str


def parse_roster(
    lines: Iterable[str], blocks: set[str], languages: set[str], region: str
) -> tuple[list[RosterRow], list[RosterProblem]]:
    """Every good row and every bad one with its line number and reason; one bad row never
    hides the good ones."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or tuple(h.strip().lower() for h in header)[:5] != HEADER[:5]:
        return [], [RosterProblem(1, f"the header must be {','.join(HEADER)}")]
    rows: list[RosterRow] = []
    problems: list[RosterProblem] = []
    for line, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        result = _parse_row(line, fields, blocks, languages, region)
        if isinstance(result, RosterRow):
            rows.append(result)
        else:
            problems.append(result)
    return rows, problems


def _parse_row(
    line: int, fields: list[str], blocks: set[str], languages: set[str], region: str
) -> RosterRow | RosterProblem:
    if len(fields) not in (5, 6):
        return RosterProblem(line, f"expected 5 or 6 fields, found {len(fields)}")
    block, unit, name, phone_raw, handover_raw, *rest = (f.strip() for f in fields)
    language = rest[0] if rest and rest[0] else None
    if block not in blocks:
        return RosterProblem(line, f'block "{block}" is not in the config')
    if not unit:
        return RosterProblem(line, "unit is empty")
    if not name:
        return RosterProblem(line, "owner_name is empty")
    phone = normalize_phone(phone_raw, region)
    if phone is None:
        return RosterProblem(line, f'"{phone_raw}" is not a valid phone number')
    try:
        handover = date.fromisoformat(handover_raw)
    except ValueError:
        return RosterProblem(line, f'handover_date "{handover_raw}" is not an ISO date (YYYY-MM-DD)')
    if language is not None and language not in languages:
        return RosterProblem(line, f'language "{language}" is not one of {", ".join(sorted(languages))}')
    return RosterRow(line, block, unit, name, phone, handover, language)
