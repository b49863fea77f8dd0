"""The work record of a repair (docs/rules.md, "The work record"): the fault found, the
materials used with their quantities and cost, the photos of the result and, for paid work,
the receipt and the amount collected.

Pure values: the engineer's lines are read here, and here it is decided what a record
still lacks before the job may be called done."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from domain.trades import Trade

MAX_MATERIALS = 20
MAX_MATERIAL_NAME = 100
MAX_FAULT = 1000
MAX_AMOUNT = Decimal("1000000")  # more than any repair in a unit costs: a typo, not a price
# more of anything than one repair in a unit uses, whatever the unit (m, pcs, kg): a typo, or
# the cost written where the quantity goes
MAX_QUANTITY = Decimal("10000")
QUANTITY_DECIMALS = 3  # a gram of a kilogram, a millimetre of a metre: finer is a slip of the keys
MAX_UNIT = 20  # "pcs", "метра", "米": a longer run of letters is words, not a unit

# the faults an engineer of each trade finds most often, offered as buttons; anything else
# he writes in his own words. The codes are message ids under "fault.".
COMMON_FAULTS: dict[Trade, tuple[str, ...]] = {
    Trade.PLUMBING: ("worn_seal", "loose_joint", "cracked_pipe", "blocked_drain"),
    Trade.WATERPROOFING: ("failed_membrane", "cracked_grout", "failed_sealant"),
    Trade.ELECTRICAL: ("tripped_breaker", "faulty_socket", "burnt_wire", "failed_lamp"),
    Trade.CIVIL: ("plaster_crack", "loose_tile"),
    Trade.CARPENTRY: ("misaligned_door", "broken_hinge", "broken_lock"),
    Trade.HVAC: ("blocked_filter", "refrigerant_leak", "faulty_thermostat"),
    Trade.APPLIANCES: ("faulty_part",),
    Trade.ELEVATOR: ("door_sensor", "controller_fault"),
    Trade.TELECOM: ("cut_cable", "loose_connector"),
    Trade.GENERAL: (),
}
ANY_TRADE_FAULTS = ("wear_and_tear", "misuse")


def faults_for(trade: str) -> tuple[str, ...]:
    """The fault codes offered to an engineer of this trade, the common ones last."""
    try:
        specific = COMMON_FAULTS[Trade(trade)]
    except ValueError:
        specific = ()
    return specific + ANY_TRADE_FAULTS


_NUMBER = r"\d+(?:[.,]\d+)?"
_CURRENCY = r"(?:元|yuan|rmb|cny|юаней|юаня|юань)"
# name, quantity, an optional unit (letters of any script, stuck to the number or not), cost:
# "PPR pipe 2 m 30", "阀门 1 个 45", "PPR管2米30元", "seal 2 15", "DN20 elbow 3 pcs ¥12.5".
# A minus stuck to the quantity ("seal -3 pcs 5") is caught, not read as part of the name;
# one after a word or a number ("PPR pipe 2-3 m 30") belongs to the name.
_MATERIAL = re.compile(
    rf"^(?P<name>.+?)\s*(?P<minus>(?<!\S)[-−–])?(?P<quantity>{_NUMBER})"
    rf"(?:\s*(?P<unit>[^\W\d_]+\.?)\s*|\s+)[×x*@]?\s*[¥￥]?\s*(?P<cost>{_NUMBER})\s*{_CURRENCY}?$",
    re.IGNORECASE,
)
# a minus before the amount ("-200", "- ¥200") is kept to be refused, never dropped
_AMOUNT = re.compile(rf"(?P<minus>(?<![\w.])[-−–]\s*)?[¥￥]?\s*(?P<amount>{_NUMBER})\s*{_CURRENCY}?", re.IGNORECASE)
_PRICED = re.compile(rf"[¥￥]\s*(?P<before>{_NUMBER})|(?P<after>{_NUMBER})\s*{_CURRENCY}", re.IGNORECASE)


@dataclass(frozen=True)
class Material:
    name: str
    quantity: Decimal
    unit: str  # as the engineer wrote it ("m", "个", "pcs"); empty for pieces
    cost: Decimal  # the line's cost in yuan, not the unit price


class LineProblem(StrEnum):
    """Why a line of materials was not recorded."""

    UNREADABLE = "unreadable"  # not a name, a quantity and a cost
    QUANTITY = "quantity"  # not more than 0, more than MAX_QUANTITY, or finer than QUANTITY_DECIMALS
    COST = "cost"  # more than MAX_AMOUNT


@dataclass(frozen=True)
class RefusedLine:
    line: str  # as the engineer wrote it, to be named back to him
    problem: LineProblem


class AmountProblem(StrEnum):
    """Why an amount collected was not recorded."""

    MISSING = "missing"  # no number in the text
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"  # more than MAX_AMOUNT


class Gap(StrEnum):
    """What a record still lacks, in the order the engineer is asked for it."""

    FAULT = "fault"
    AFTER_PHOTO = "after_photo"
    RECEIPT = "receipt"
    COLLECTED = "collected"
    REASON = "reason"  # collected differs from the accepted price, and no reason is given


@dataclass(frozen=True)
class WorkRecord:
    fault: str
    materials: tuple[Material, ...] = ()
    after_photos: int = 0
    paid: bool = False  # the owner accepted a price (docs/rules.md, "Paid work")
    quoted: Decimal | None = None  # the accepted price, when the quote names one
    receipt_photos: int = 0
    collected: Decimal | None = None
    reason: str = ""
    fault_code: str | None = None  # one of faults_for(trade), when chosen by button

    @property
    def total(self) -> Decimal:
        return total(self.materials)


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def read_material(line: str) -> Material | LineProblem:
    """One line of materials, or why it cannot be recorded."""
    match = _MATERIAL.match(" ".join(line.split()))
    if match is None:
        return LineProblem.UNREADABLE
    name, unit = match["name"].strip(" ,;:-–—"), (match["unit"] or "").strip()
    quantity, cost = _decimal(match["quantity"]), _decimal(match["cost"])
    if not name or len(name) > MAX_MATERIAL_NAME or len(unit) > MAX_UNIT or quantity is None or cost is None:
        return LineProblem.UNREADABLE
    if match["minus"] or not _sane_quantity(quantity):
        return LineProblem.QUANTITY
    if cost > MAX_AMOUNT:
        return LineProblem.COST
    return Material(name, quantity, unit, cost)


def _sane_quantity(quantity: Decimal) -> bool:
    return 0 < quantity <= MAX_QUANTITY and quantity == round(quantity, QUANTITY_DECIMALS)


def parse_material(line: str) -> Material | None:
    """One line of materials, or None when it cannot be recorded."""
    material = read_material(line)
    return material if isinstance(material, Material) else None


def parse_materials(text: str) -> tuple[list[Material], list[RefusedLine]]:
    """Every line of a message: what was understood, and each line that was not with why."""
    understood, refused = [], []
    for line in text.splitlines():
        if not line.strip():
            continue
        material = read_material(line)
        if isinstance(material, Material):
            understood.append(material)
        else:
            refused.append(RefusedLine(line.strip(), material))
    return understood, refused


def bare_name(line: str) -> bool:
    """A material named without any number ("sealant"): its quantity and cost are asked next."""
    return bool(line.strip()) and len(line) <= MAX_MATERIAL_NAME and not re.search(r"\d", line) and "\n" not in line


def total(materials: tuple[Material, ...] | list[Material]) -> Decimal:
    return sum((m.cost for m in materials), Decimal(0))


def parse_amount(text: str) -> tuple[Decimal, str] | AmountProblem:
    """The first amount in the text and the words after it (a reason): "300 discount" →
    (300, "discount"); else why it is not an amount collected."""
    match = _AMOUNT.search(text)
    amount = None if match is None else _decimal(match["amount"])
    if match is None or amount is None:
        return AmountProblem.MISSING
    if match["minus"]:
        return AmountProblem.NEGATIVE
    if amount > MAX_AMOUNT:
        return AmountProblem.TOO_LARGE
    rest = (text[: match.start()] + " " + text[match.end() :]).strip(" ,;:-–—.")
    return amount, " ".join(rest.split())


def names_a_price(quote: str) -> bool:
    """A quote the owner is asked to accept states a price in figures: "about two hundred"
    would leave the amount collected nothing to be compared with."""
    return re.search(r"\d", quote) is not None


def price_in_range(quote: str) -> bool:
    """Its prices (the amounts marked as money, else every number) are neither below zero
    nor above MAX_AMOUNT: "-350 yuan" or "¥99999999" is a slip of the keys, not a price."""
    if re.search(r"(?<![\w.])[-−]\s*[¥￥]?\s*\d", quote):  # a minus before a figure, not "2-3"
        return False
    priced = [match["before"] or match["after"] for match in _PRICED.finditer(quote)]
    amounts = [_decimal(text) for text in priced or re.findall(_NUMBER, quote)]
    return all(amount is not None and amount <= MAX_AMOUNT for amount in amounts)


def quoted_amount(quote: str | None) -> Decimal | None:
    """The price in the engineer's accepted quote, if it names exactly one: the one amount
    marked as money ("350 yuan: new seal", "¥280"), else the only number in it. "2 hours,
    150" names no single price: None, and the amount collected is not compared."""
    text = quote or ""
    priced = [match["before"] or match["after"] for match in _PRICED.finditer(text)]
    numbers = priced or re.findall(_NUMBER, text)
    return _decimal(numbers[0]) if len(numbers) == 1 else None


def collected_matches(quoted: Decimal | None, collected: Decimal) -> bool:
    """A quote that names no price cannot be compared: whatever was collected stands."""
    return quoted is None or quoted == collected


def gaps(record: WorkRecord, after_photo_required: bool = True) -> list[Gap]:
    """What the record lacks before the job may be done: a fault, a photo of the result;
    for paid work a receipt and the amount collected, with a reason if it is not the price."""
    missing = []
    if not record.fault.strip():
        missing.append(Gap.FAULT)
    if after_photo_required and record.after_photos < 1:
        missing.append(Gap.AFTER_PHOTO)
    if record.paid:
        if record.receipt_photos < 1:
            missing.append(Gap.RECEIPT)
        if record.collected is None:
            missing.append(Gap.COLLECTED)
        elif not collected_matches(record.quoted, record.collected) and not record.reason.strip():
            missing.append(Gap.REASON)
    return missing


def money(amount: Decimal) -> str:
    """¥30, ¥12.50: whole yuan without decimals, else two."""
    return f"¥{amount:.0f}" if amount == amount.to_integral_value() else f"¥{amount:.2f}"


def quantity_text(material: Material) -> str:
    quantity = material.quantity.normalize()
    number = f"{quantity:f}"
    return f"{number} {material.unit}".strip()
