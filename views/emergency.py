"""What an owner reporting an emergency is told at once, and what each kind is called."""

from aiogram.types import InlineKeyboardMarkup

from domain.emergencies import EMERGENCIES, Emergency, EmergencyKind
from settings.sections import PropertySection
from views.buttons import EmergencyPick
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard

NAMES = {
    EmergencyKind.GAS: "emergency.kind_gas",
    EmergencyKind.FIRE: "emergency.kind_fire",
    EmergencyKind.TRAPPED: "emergency.kind_trapped",
    EmergencyKind.SPARKS: "emergency.kind_sparks",
    EmergencyKind.FLOOD: "emergency.kind_flood",
}
ADVICE = {
    EmergencyKind.GAS: "emergency.advice_gas",
    EmergencyKind.FIRE: "emergency.advice_fire",
    EmergencyKind.TRAPPED: "emergency.advice_trapped",
    EmergencyKind.SPARKS: "emergency.advice_sparks",
    EmergencyKind.FLOOD: "emergency.advice_flood",
}


def name(t: Translator, kind: str) -> str:
    return t(NAMES[EmergencyKind(kind)])


def safety_advice(t: Translator, emergency: Emergency, place: PropertySection, alerted: bool = True) -> str:
    """The public number first where lives are at stake, then what to do, then our own line;
    that the staff are being alerted only when they are (`alerted`)."""
    lines = [t("emergency.recognised", kind=name(t, emergency.kind))] if alerted else []
    if emergency.life_safety:
        lines.append(t("emergency.call_public", number=place.public_emergency_number))
    lines.append(t(ADVICE[emergency.kind]))
    lines.append(t("emergency.our_phone", phone=place.emergency_phone))
    return "\n\n".join(lines)


def kinds(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for emergency in EMERGENCIES:
        builder.button(text=name(t, emergency.kind), callback_data=EmergencyPick(kind=emergency.kind))
    builder.adjust(1)
    return builder.as_markup()
