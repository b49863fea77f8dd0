"""Repair categories of domain-rules §3: each belongs to one trade and carries its urgency.

The table is data; `recognise_category` reads an owner's free text against its keywords so
the bot can propose a category for the owner to confirm.
"""

import re
from dataclasses import dataclass, field
from enum import StrEnum

from domain.trades import Trade


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    NORMAL = "normal"
    REFERRAL = "referral"  # explained and referred to a specialist shop, no contractor


class WarrantyPart(StrEnum):
    """The parts of a building that domain-rules §4 gives warranty periods."""

    WATERPROOFING = "waterproofing"
    HEATING_COOLING = "heating_cooling"
    ELECTRICAL = "electrical"
    WATER_PIPES = "water_pipes"
    EQUIPMENT = "equipment"
    DECORATION = "decoration"


@dataclass(frozen=True)
class Category:
    code: str
    trade: Trade
    urgency: Urgency
    photo_required: bool
    warranty_part: WarrantyPart | None  # None: the owner's own things, never under warranty
    keywords: tuple[str, ...] = field(default=(), repr=False)


CATEGORIES: tuple[Category, ...] = (
    Category(
        "safety_hazard",
        Trade.CIVIL,
        Urgency.EMERGENCY,
        True,
        WarrantyPart.DECORATION,
        (
            "falling",
            "fell off",
            "plaster",
            "tilting",
            "loose cover",
            "dangerous",
            "hazard",
            "electric shock",
            "脱落",
            "掉落",
            "倾斜",
            "松动",
            "危险",
            "漏电",
            "抹灰",
            "отвалил",
            "падает",
            "штукатурк",
            "опасн",
            "бьёт током",
            "бьет током",
            "шатается",
        ),
    ),
    Category(
        "outage_water",
        Trade.PLUMBING,
        Urgency.EMERGENCY,
        False,
        WarrantyPart.WATER_PIPES,
        (
            "no water",
            "water is off",
            "water cut",
            "停水",
            "没水",
            "没有水",
            "нет воды",
            "отключили воду",
        ),
    ),
    Category(
        "outage_power",
        Trade.ELECTRICAL,
        Urgency.EMERGENCY,
        False,
        WarrantyPart.ELECTRICAL,
        (
            "no power",
            "no electricity",
            "power cut",
            "power is off",
            "blackout",
            "tripped",
            "停电",
            "没电",
            "跳闸",
            "нет света",
            "нет электричества",
            "выбило пробки",
            "отключили свет",
        ),
    ),
    Category(
        "leak",
        Trade.WATERPROOFING,
        Urgency.URGENT,
        True,
        WarrantyPart.WATERPROOFING,
        (
            "leak",
            "dripping",
            "seep",
            "damp",
            "water stain",
            "ceiling is wet",
            "wet wall",
            "mould",
            "mold",
            "漏水",
            "渗水",
            "滴水",
            "渗漏",
            "发霉",
            "水渍",
            "潮湿",
            "протек",
            "течёт с потолка",
            "течет с потолка",
            "капает",
            "сырост",
            "мокрое пятно",
            "плесен",
        ),
    ),
    Category(
        "blocked_drain",
        Trade.PLUMBING,
        Urgency.URGENT,
        False,
        WarrantyPart.WATER_PIPES,
        (
            "blocked",
            "clogged",
            "toilet",
            "sink",
            "drain",
            "pipe burst",
            "overflow",
            "堵",
            "马桶",
            "下水",
            "水管",
            "爆管",
            "洗手盆",
            "水槽",
            "засор",
            "унитаз",
            "раковин",
            "канализац",
            "труба",
            "прорвало",
        ),
    ),
    Category(
        "lighting",
        Trade.ELECTRICAL,
        Urgency.NORMAL,
        False,
        WarrantyPart.ELECTRICAL,
        (
            "lamp",
            "bulb",
            "light",
            "switch",
            "socket",
            "灯",
            "灯泡",
            "开关",
            "插座",
            "лампа",
            "лампочк",
            "свет не",
            "выключател",
            "розетк",
        ),
    ),
    Category(
        "water_pressure",
        Trade.PLUMBING,
        Urgency.NORMAL,
        False,
        WarrantyPart.WATER_PIPES,
        (
            "pressure",
            "weak water",
            "trickle",
            "水压",
            "水流小",
            "水很小",
            "напор",
            "слабый напор",
        ),
    ),
    Category(
        "tv_cable",
        Trade.TELECOM,
        Urgency.NORMAL,
        False,
        WarrantyPart.EQUIPMENT,
        (
            "tv",
            "cable",
            "signal",
            "internet",
            "intercom",
            "电视",
            "有线",
            "信号",
            "网络",
            "对讲",
            "телевизор",
            "кабел",
            "сигнал",
            "интернет",
            "домофон",
        ),
    ),
    Category(
        "wall_crack",
        Trade.CIVIL,
        Urgency.NORMAL,
        True,
        WarrantyPart.DECORATION,
        (
            "crack",
            "cracked",
            "fissure",
            "裂缝",
            "开裂",
            "裂纹",
            "трещин",
            "треснул",
        ),
    ),
    Category(
        "lock_faucet_install",
        Trade.CARPENTRY,
        Urgency.NORMAL,
        False,
        WarrantyPart.EQUIPMENT,
        (
            "install",
            "lock",
            "faucet",
            "tap",
            "安装",
            "门锁",
            "锁",
            "水龙头",
            "установ",
            "замок",
            "кран",
            "смесител",
        ),
    ),
    Category(
        "door_window",
        Trade.CARPENTRY,
        Urgency.NORMAL,
        False,
        WarrantyPart.DECORATION,
        (
            "door",
            "window",
            "cabinet",
            "hinge",
            "门",
            "窗",
            "柜",
            "合页",
            "двер",
            "окно",
            "окна",
            "шкаф",
            "петл",
        ),
    ),
    Category(
        "heating_cooling",
        Trade.HVAC,
        Urgency.NORMAL,
        False,
        WarrantyPart.HEATING_COOLING,
        (
            "heating",
            "radiator",
            "air conditioning",
            "ventilation",
            "too cold",
            "暖气",
            "空调",
            "通风",
            "供暖",
            "отоплен",
            "батаре",
            "кондиционер",
            "вентиляц",
            "холодно",
        ),
    ),
    Category(
        "elevator",
        Trade.ELEVATOR,
        Urgency.URGENT,
        False,
        WarrantyPart.EQUIPMENT,
        (
            "elevator",
            "lift",
            "电梯",
            "лифт",
        ),
    ),
    Category(
        "appliance",
        Trade.APPLIANCES,
        Urgency.NORMAL,
        False,
        None,
        (
            "washing machine",
            "fridge",
            "appliance",
            "water heater",
            "stove",
            "hood",
            "洗衣机",
            "冰箱",
            "电器",
            "热水器",
            "燃气灶",
            "油烟机",
            "стиральн",
            "холодильник",
            "бойлер",
            "плита",
            "вытяжк",
        ),
    ),
    Category("appliance_specialist", Trade.APPLIANCES, Urgency.REFERRAL, False, None, ()),
    Category("other", Trade.GENERAL, Urgency.NORMAL, False, WarrantyPart.DECORATION, ()),
)

_BY_CODE = {category.code: category for category in CATEGORIES}


def category_by_code(code: str) -> Category:
    return _BY_CODE[code]


def is_category(code: str) -> bool:
    return code in _BY_CODE


def recognise_category(text: str) -> Category | None:
    """The category whose keywords the text names most, or None when it names none.

    Keywords of every language are tried: owners mix languages, and Chinese has no spaces,
    so Chinese keywords match anywhere while others must start a word ("lock" is not in
    "blocked"); a keyword may be a stem ("протек" finds "протекает"). Earlier (more urgent) categories
    win ties, so "the ceiling leaks and the plaster is falling" is a safety hazard.
    """
    lowered = text.lower()
    best, best_hits = None, 0
    for category in CATEGORIES:
        hits = sum(1 for keyword in category.keywords if _names(lowered, keyword))
        if hits > best_hits:
            best, best_hits = category, hits
    return best


def _names(text: str, keyword: str) -> bool:
    if keyword.isascii() or _is_cyrillic(keyword):
        return re.search(r"\b" + re.escape(keyword), text) is not None
    return keyword in text


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)
