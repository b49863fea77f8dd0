"""Repair categories of docs/rules.md ("Categories and trades"): each belongs to one trade and
carries its urgency.

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
    """The parts of a building that docs/rules.md ("Warranty periods") gives warranty periods."""

    WATERPROOFING = "waterproofing"
    HEATING_COOLING = "heating_cooling"
    ELECTRICAL = "electrical"
    WATER_PIPES = "water_pipes"
    EQUIPMENT = "equipment"
    DECORATION = "decoration"
    STRUCTURE = "structure"  # foundations and the main structure: for the design life


@dataclass(frozen=True)
class Category:
    code: str
    trade: Trade
    urgency: Urgency
    photo_required: bool
    warranty_part: WarrantyPart | None  # None: the owner's own things, never under warranty
    keywords: tuple[str, ...] = field(default=(), repr=False)


EMERGENCY = "emergency"  # the category of an emergency to life or property

# Keywords of all three languages. Words for water that escapes ("leaks", "漏水", "течёт") are
# not here: where the water comes from decides the trade (see _water_escaping below).
# fmt: off
CATEGORIES: tuple[Category, ...] = (
    Category(
        # a photo is welcome but never awaited: nobody should stand under falling plaster for it
        "safety_hazard", Trade.CIVIL, Urgency.EMERGENCY, False, WarrantyPart.DECORATION,
        ("falling", "fell off", "plaster", "tilting", "loose cover", "dangerous", "hazard", "electric shock",
         "脱落", "掉落", "倾斜", "松动", "危险", "漏电", "抹灰",
         "отвалил", "падает", "штукатурк", "опасн", "бьёт током", "бьет током", "шатается"),
    ),
    Category(
        "outage_water", Trade.PLUMBING, Urgency.EMERGENCY, False, WarrantyPart.WATER_PIPES,
        ("no water", "water is off", "water cut", "停水", "没水", "没有水", "нет воды", "отключили воду"),
    ),
    Category(
        "outage_power", Trade.ELECTRICAL, Urgency.EMERGENCY, False, WarrantyPart.ELECTRICAL,
        ("no power", "no electricity", "power cut", "power is off", "power went out", "power went off",
         "power outage", "electricity is off", "electricity went off", "blackout", "tripped",
         "停电", "没电", "断电", "跳闸", "нет света", "нет электричества", "выбило пробки", "отключили свет",
         "пропал свет", "пропало электричество", "отключили электричество"),
    ),
    Category(
        "leak", Trade.WATERPROOFING, Urgency.URGENT, True, WarrantyPart.WATERPROOFING,
        ("seep", "damp", "water stain", "ceiling is wet", "wet wall", "wet ceiling", "mould", "mold",
         "渗水", "渗漏", "发霉", "水渍", "潮湿", "返潮", "霉斑",
         "сырост", "мокрое пятно", "мокрый потолок", "мокрая стена", "плесен", "просачива"),
    ),
    Category(
        "blocked_drain", Trade.PLUMBING, Urgency.URGENT, False, WarrantyPart.WATER_PIPES,
        ("blocked", "clogged", "toilet", "sink", "drain", "pipe", "cistern", "flush", "overflow",
         "堵", "马桶", "下水", "水管", "爆管", "洗手盆", "水槽", "水箱", "管道",
         "засор", "унитаз", "раковин", "канализац", "труб", "прорвало", "бачок", "сифон"),
    ),
    Category(
        "lighting", Trade.ELECTRICAL, Urgency.NORMAL, False, WarrantyPart.ELECTRICAL,
        ("lamp", "bulb", "light", "switch", "socket", "灯", "灯泡", "开关", "插座",
         "лампа", "лампочк", "свет не", "выключател", "розетк"),
    ),
    Category(
        "water_pressure", Trade.PLUMBING, Urgency.NORMAL, False, WarrantyPart.WATER_PIPES,
        ("pressure", "weak water", "trickle", "水压", "水流小", "水很小", "напор", "слабый напор"),
    ),
    Category(
        "tv_cable", Trade.TELECOM, Urgency.NORMAL, False, WarrantyPart.EQUIPMENT,
        ("tv", "cable", "signal", "internet", "intercom", "电视", "有线", "信号", "网络", "对讲",
         "телевизор", "кабел", "сигнал", "интернет", "домофон"),
    ),
    Category(
        "wall_crack", Trade.CIVIL, Urgency.NORMAL, True, WarrantyPart.DECORATION,
        ("crack", "cracked", "fissure", "裂缝", "开裂", "裂纹", "трещин", "треснул"),
    ),
    Category(
        "structural", Trade.CIVIL, Urgency.URGENT, True, WarrantyPart.STRUCTURE,
        ("foundation", "load-bearing", "load bearing", "structural", "subsid", "sinking", "beam", "column",
         "地基", "承重", "主体结构", "沉降", "下沉", "房梁", "横梁",
         "фундамент", "несущ", "просел", "проседа", "осадк", "балк"),
    ),
    Category(
        "lock_faucet_install", Trade.CARPENTRY, Urgency.NORMAL, False, WarrantyPart.EQUIPMENT,
        ("install", "lock", "faucet", "tap", "安装", "门锁", "锁", "水龙头", "установ", "замок", "кран", "смесител"),
    ),
    Category(
        "door_window", Trade.CARPENTRY, Urgency.NORMAL, False, WarrantyPart.DECORATION,
        ("door", "window", "cabinet", "hinge", "门", "窗", "柜", "合页", "двер", "окно", "окна", "шкаф", "петл"),
    ),
    Category(
        "heating_cooling", Trade.HVAC, Urgency.NORMAL, False, WarrantyPart.HEATING_COOLING,
        ("heating", "radiator", "air conditioning", "ventilation", "too cold", "暖气", "空调", "通风", "供暖",
         "отоплен", "батаре", "кондиционер", "вентиляц", "холодно"),
    ),
    Category(
        "elevator", Trade.ELEVATOR, Urgency.URGENT, False, WarrantyPart.EQUIPMENT,
        ("elevator", "lift", "电梯", "лифт"),
    ),
    Category(
        "appliance", Trade.APPLIANCES, Urgency.NORMAL, False, None,
        ("washing machine", "fridge", "appliance", "water heater", "stove", "hood",
         "洗衣机", "冰箱", "电器", "热水器", "燃气灶", "油烟机",
         "стиральн", "холодильник", "бойлер", "плита", "вытяжк"),
    ),
    Category("appliance_specialist", Trade.APPLIANCES, Urgency.REFERRAL, False, None, ()),
    Category("other", Trade.GENERAL, Urgency.NORMAL, False, WarrantyPart.DECORATION, ()),
    # gas, fire, people trapped, sparks, a burst pipe (domain/emergencies.py): recognised by
    # their own words, never by keywords here; the trade is the emergency kind's
    Category(EMERGENCY, Trade.GENERAL, Urgency.EMERGENCY, False, WarrantyPart.DECORATION, ()),
)
# fmt: on

_BY_CODE = {category.code: category for category in CATEGORIES}

# Water escaping is plumbing when it comes out of the pipes and fittings (2-year warranty) and
# waterproofing when it comes through a wall, window, ceiling, roof or floor (5 years): docs/rules.md.
_ESCAPING = re.compile(
    r"\bleak|\bdrip|\bseep|\brunning\b|\bwater (?:is )?coming|\bflood|漏水|漏了|在漏|滴水|渗水|渗漏|往下滴|一直流|冒水|"
    r"\bпротек|\bпротеч|\bпросачива|\bподтек|\bтеч|\bкапа|\bзалива|\bзатоп"
)
_FITTINGS = re.compile(
    r"\btaps?\b|\bfaucet|\bpipe|\bsink|\btoilet|\bcistern|\bflush|\bvalve|\bbasin|\bshower hose|\bwater heater|"
    r"水管|管道|管子|水龙头|龙头|马桶|水箱|洗手盆|面盆|水槽|阀门|角阀|下水|花洒|软管|"
    r"\bкран|\bсмесител|\bтруб|\bраковин|\bунитаз|\bбачок|\bбачк|\bсифон|\bвентил|\bшланг"
)
_BUILDING = re.compile(
    r"\bceiling|\bwalls?\b|\broof|\bfloor|\bwindows?\b|\bterrace|\bfacade|\bupstairs|\bflat above|\bbasement|"
    r"天花|顶棚|吊顶|墙|窗|屋顶|楼顶|屋面|地面|地板|楼上|露台|地下室|"
    r"\bпотол|\bстен|\bокн|\bкрыш|\bкровл|\bпол(?:а|у|ом|е)?\b|\bсверху|\bфасад|\bподвал"
)
# A gas leak is an emergency for the gas company, never a water leak (docs/rules.md)
_GAS = re.compile(r"\bgas\b|煤气|燃气|天然气|\bгаз(?:а|ом|у)?\b")
_GAS_ESCAPING = re.compile(r"\bleak|\bsmell|泄漏|漏气|味|\bутечк|\bпахнет|\bзапах")
# On a tie these win: a danger to people or the building comes before the rest
_PREVAIL = ("safety_hazard", "outage_water", "outage_power", "structural")


def category_by_code(code: str) -> Category:
    return _BY_CODE[code]


def is_category(code: str) -> bool:
    return code in _BY_CODE


def recognise_category(text: str) -> Category | None:
    """The category the text names clearly most, or None when it names none or is unsure.

    Keywords of every language are tried: owners mix languages, and Chinese has no spaces,
    so Chinese keywords match anywhere while others must start a word ("lock" is not in
    "blocked"); a keyword may be a stem ("протек" finds "протекает"). When several categories
    fit equally the owner chooses, except that a danger prevails ("the ceiling leaks and the
    plaster is falling" is a safety hazard). A smell or leak of gas is never filed as a repair
    category: None, so the owner is asked.
    """
    lowered = text.lower()
    if _GAS.search(lowered) and _GAS_ESCAPING.search(lowered):
        return None
    scores = {c.code: sum(1 for keyword in c.keywords if _names(lowered, keyword)) for c in CATEGORIES}
    for code, points in _water_escaping(lowered).items():
        scores[code] += points
    best = max(scores.values())
    if best == 0:
        return None
    leaders = [code for code, points in scores.items() if points == best]
    if len(leaders) > 1:
        leaders = [code for code in leaders if code in _PREVAIL]
    return _BY_CODE[leaders[0]] if len(leaders) == 1 else None


def _water_escaping(text: str) -> dict[str, int]:
    """Two points to plumbing when water escapes and a pipe or fitting is named (it is the
    source, even "on the 5th floor" or "in the wall"), else to waterproofing when a wall,
    ceiling, roof or floor is; none when the text does not say where from."""
    if not _ESCAPING.search(text):
        return {}
    if _FITTINGS.search(text):
        return {"blocked_drain": 2}
    return {"leak": 2} if _BUILDING.search(text) else {}


def _names(text: str, keyword: str) -> bool:
    if keyword.isascii() or _is_cyrillic(keyword):
        return re.search(r"\b" + re.escape(keyword), text) is not None
    return keyword in text


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in word)
