"""The front desk (客服): customer service takes reports by phone or at the desk and files
them for the owner, or for a block's public area (docs/rules.md, Staff intake)."""

import re
from collections.abc import Iterable
from enum import StrEnum

MAX_NAME = 100


class Channel(StrEnum):
    """How a report reached the front desk."""

    PHONE = "phone"
    WALK_IN = "walk_in"


# what people write between a block and its unit: "A 1203", "A-1203", "A栋1203室", "A座 1203"
_BETWEEN = " -_/#栋座号楼幢单元"
_UNIT = re.compile(r"^[0-9A-Za-z]{1,10}$")


def unit_reference(text: str, block_codes: Iterable[str]) -> tuple[str, str] | None:
    """(block code, unit number) from what customer service typed, or None. The longest
    block code that starts the text wins, so block "A1" is not read as block "A"."""
    words = text.strip()
    for code in sorted(block_codes, key=len, reverse=True):
        if not words.upper().startswith(code.upper()):
            continue
        number = words[len(code) :].strip(_BETWEEN).removesuffix("室").removesuffix("号").strip()
        if _UNIT.match(number):
            return code, number.upper()
    return None


def unit_spellings(number: str) -> list[str]:
    """The ways a roster may write the unit typed: "502" is often "0502"."""
    spellings = [number]
    if number.isdigit() and len(number) < 4:
        spellings.append(number.zfill(4))
    return spellings


def name_problem(text: str) -> str | None:
    """Why a typed owner's name cannot be used, or None (a message id's last part)."""
    name = text.strip()
    if not name:
        return "empty"
    if len(name) > MAX_NAME:
        return "too_long"
    return None
