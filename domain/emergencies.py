"""Emergencies to life or property (docs/rules.md, "Categories and trades"): a smell of gas,
fire or smoke, people trapped in a lift, sparks or electric shock, a burst pipe flooding a
flat. Property staff go at once and the leaders are told at once; the owner is first told
how to stay safe (views/emergency.py), and for gas, fire and people trapped to call the
public emergency number.

Recognised from the owner's own words in any of the three languages; nothing here knows
Telegram or the database.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from domain.categories import WarrantyPart
from domain.trades import Trade


class EmergencyKind(StrEnum):
    GAS = "gas"
    FIRE = "fire"
    TRAPPED = "trapped"  # people stuck in a lift
    SPARKS = "sparks"  # sparking sockets, live wires, electric shock
    FLOOD = "flood"  # a burst pipe flooding a flat


@dataclass(frozen=True)
class Emergency:
    kind: EmergencyKind
    trade: Trade  # who is sent to make it safe
    life_safety: bool  # the public emergency number comes first
    patterns: tuple[str, ...]  # regular expressions over the lower-cased text


# Words in Chinese match anywhere (no spaces); English and Russian words must start a word.
# fmt: off
EMERGENCIES: tuple[Emergency, ...] = (
    Emergency(EmergencyKind.GAS, Trade.GENERAL, True, (
        r"煤气泄[漏露]", r"燃气泄[漏露]", r"天然气泄[漏露]", r"漏气", r"(?:煤气|燃气|天然气)味",
        r"\bsmell(?:s|ing)? (?:of )?gas\b", r"\bgas (?:is )?(?:leak|smell|escaping)", r"\bleaking gas\b",
        r"\bsmells? like gas\b",
        r"\bзапах газа\b", r"\bутечк[аиу] газа\b", r"\bпахнет газом\b", r"\bгазом пахнет\b",
        r"\bгаз (?:идёт|идет|травит)\b",
    )),
    Emergency(EmergencyKind.FIRE, Trade.GENERAL, True, (
        r"(?<![不没])着火", r"起火", r"失火", r"火灾", r"冒烟", r"烧焦味", r"焦糊味", r"糊味",
        r"\bfire\b(?! (?:door|alarm|extinguisher|exit|escape|hydrant|brigade))", r"\bon fire\b",
        r"\bsmoke\b(?! detector| alarm)", r"(?<!no )\bsmoking\b(?! (?:sign|area|room))", r"\bburning smell\b",
        r"\bsmell(?:s|ing)? (?:of )?burning\b", r"\bsmells? burnt\b",
        r"\bпожар\b", r"\bгорит\b", r"\bзагорел", r"\bдым(?:ит|ом|а)?\b", r"\bзапах гари\b", r"\bпахнет гарью\b",
    )),
    Emergency(EmergencyKind.TRAPPED, Trade.ELEVATOR, True, (
        r"困在电梯", r"被困电梯", r"电梯(?:里)?(?:关人|困人|有人被困)", r"关在电梯",
        r"电梯里?有人(?:出不来|被困|困住)", r"电梯.{0,8}(?:困住|卡住)了?人",
        r"\b(?:stuck|trapped) in (?:the |a )?(?:lift|elevator)\b", r"\b(?:lift|elevator) (?:is )?stuck with\b",
        r"\b(?:lift|elevator)\b[^.!?]{0,60}(?<!nobody )(?<!no one )\binside\b",
        r"\bзастрял[аи]? в лифте\b", r"\bзаперт[аыо]? в лифте\b", r"\bзастрял лифт с\b",
        r"\bлифт\b[^.!?]{0,40}\bвнутри (?:люди|человек|ребён|ребен|дет)",
    )),
    Emergency(EmergencyKind.SPARKS, Trade.ELECTRICAL, False, (
        r"冒火花", r"打火花", r"火花", r"漏电", r"电线冒烟", r"触电",
        r"\bspark(?:s|ing|ed)?\b", r"\belectric shock\b", r"\bgot a shock\b", r"\blive wire\b",
        r"\bискрит\b", r"\bискры\b", r"\bбь[её]т током\b", r"\bударило током\b", r"\bоголённ|\bоголенн",
    )),
    Emergency(EmergencyKind.FLOOD, Trade.PLUMBING, False, (
        r"水管爆", r"爆管", r"(?:水管|管道)爆裂", r"水漫", r"淹了", r"被淹", r"发大水",
        r"\bburst (?:pipe|water pipe|main)\b", r"\bpipes? (?:has |have )?burst\b", r"\bflood(?:ing|ed)?\b(?! ?lights?)",
        r"\bпрорвало (?:трубу|стояк|кран)\b", r"\b(?:трубу|стояк) прорвало\b", r"\bлопнул[аи]? труб",
        r"\bтруб[аы] лопнул", r"\bзатопил[оиа]?\b", r"\bпотоп\b",
    )),
)
# fmt: on

# Whose warranty an emergency's repair falls under (docs/rules.md, Warranty periods): a burst
# pipe is the water pipes', sparks the wiring's, gas and a stuck lift the installed
# equipment's; a fire's cause is known only on site, so the finishes' (decoration) stands.
WARRANTY_PARTS = {
    EmergencyKind.GAS: WarrantyPart.EQUIPMENT,
    EmergencyKind.FIRE: WarrantyPart.DECORATION,
    EmergencyKind.TRAPPED: WarrantyPart.EQUIPMENT,
    EmergencyKind.SPARKS: WarrantyPart.ELECTRICAL,
    EmergencyKind.FLOOD: WarrantyPart.WATER_PIPES,
}

_BY_KIND = {emergency.kind: emergency for emergency in EMERGENCIES}
_COMPILED = tuple((e, re.compile("|".join(e.patterns))) for e in EMERGENCIES)


def emergency_of(kind: str) -> Emergency:
    return _BY_KIND[EmergencyKind(kind)]


def is_emergency_kind(code: str) -> bool:
    return code in _BY_KIND


def recognise_emergency(text: str) -> Emergency | None:
    """The emergency the owner's words describe, the most dangerous first (gas before fire,
    before people trapped, sparks and flooding), or None for an ordinary repair."""
    lowered = text.lower()
    for emergency, pattern in _COMPILED:
        if pattern.search(lowered):
            return emergency
    return None
