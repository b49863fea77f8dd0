"""The work record as people read it: the engineer's summary before he confirms, the
owner's "job done" message, and the buttons of the record's steps."""

from collections.abc import Callable

from aiogram.types import InlineKeyboardMarkup

from delivery.texts import MAX_TEXT, units
from domain.work_record import (
    MAX_AMOUNT,
    MAX_QUANTITY,
    QUANTITY_DECIMALS,
    AmountProblem,
    Gap,
    LineProblem,
    Material,
    RefusedLine,
    WorkRecord,
    faults_for,
    money,
    quantity_text,
    total,
)
from views.buttons import FaultPick, FinishPhotosDone, MaterialsDone, RainCause, RecordAnswer
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard

GAP_HINTS = {
    Gap.FAULT: "record.gap_fault",
    Gap.AFTER_PHOTO: "record.gap_after_photo",
    Gap.RECEIPT: "record.gap_receipt",
    Gap.COLLECTED: "record.gap_collected",
    Gap.REASON: "record.gap_reason",
}

REFUSED_LINES = {
    LineProblem.UNREADABLE: "finish.line_unreadable",
    LineProblem.QUANTITY: "finish.line_quantity",
    LineProblem.COST: "finish.line_cost",
}
AMOUNT_REFUSALS = {
    AmountProblem.MISSING: "finish.hint.collected",
    AmountProblem.NEGATIVE: "finish.collected_negative",
    AmountProblem.TOO_LARGE: "finish.collected_too_large",
}
LIMITS = {LineProblem.QUANTITY: f"{MAX_QUANTITY:f}", LineProblem.COST: money(MAX_AMOUNT)}
SHOWN_LINE = 80  # enough of a refused line to know it by; a pasted page is not echoed whole


def incomplete(t: Translator, missing: list[Gap]) -> str:
    """Why the job cannot be done yet: one line per thing the record lacks."""
    return "\n".join([t("job.refused.record_incomplete"), *(t(GAP_HINTS[gap]) for gap in missing)])


def fault_text(t: Translator, record: WorkRecord) -> str:
    """A fault chosen by button in the reader's language; one written by hand as written."""
    return t(f"fault.{record.fault_code}") if record.fault_code else record.fault


def material_lines(materials: tuple[Material, ...] | list[Material], with_cost: bool = True) -> list[str]:
    if with_cost:
        return [f"• {m.name} — {quantity_text(m)} — {money(m.cost)}" for m in materials]
    return [f"• {m.name} — {quantity_text(m)}" for m in materials]


def materials_answer(t: Translator, materials: tuple[Material, ...], refused: list[RefusedLine]) -> str:
    """What was understood of the materials so far, and every line that was not, with why:
    as many as one message holds, the rest counted."""
    answer = []
    if materials:
        lines = "\n".join(material_lines(materials))
        answer.append(t("finish.materials_so_far", lines=lines, total=money(total(materials))))
    if refused:
        room = MAX_TEXT - units(t("finish.materials_refused", lines="")) - units("".join(answer)) - 2
        named = _fitted(
            [refused_line(t, line) for line in refused], lambda left: t("finish.lines_more", count=left), room
        )
        answer.insert(0, t("finish.materials_refused", lines="\n".join(named)))
    return "\n\n".join(answer) or t("finish.hint.materials")


def refused_line(t: Translator, refused: RefusedLine) -> str:
    """A line of materials that was not recorded, named with why."""
    line = refused.line if len(refused.line) <= SHOWN_LINE else refused.line[: SHOWN_LINE - 1] + "…"
    limit = LIMITS.get(refused.problem, "")
    return t(REFUSED_LINES[refused.problem], line=line, max=limit, decimals=QUANTITY_DECIMALS)


def amount_refused(t: Translator, problem: AmountProblem) -> str:
    return t(AMOUNT_REFUSALS[problem], max=money(MAX_AMOUNT))


def detail_refused(t: Translator, refused: RefusedLine) -> str:
    """A material's quantity and cost, asked for apart, that could not be recorded."""
    if refused.problem == LineProblem.UNREADABLE:
        return t("finish.hint.material_detail")
    return f"{refused_line(t, refused)}\n{t('finish.hint.material_detail')}"


def _fitted(lines: list[str], more: Callable[[int], str], room: int) -> list[str]:
    """The first lines that fit in `room` with, when some do not, a last line counting them."""
    used = 0
    for index, line in enumerate(lines):
        left = len(lines) - index - 1
        reserve = units(more(left)) + 1 if left else 0
        if used + units(line) + 1 + reserve > room:
            return [*lines[:index], more(len(lines) - index)]
        used += units(line) + 1
    return lines


def record_lines(t: Translator, record: WorkRecord, for_owner: bool = False) -> list[str]:
    """Fault, materials (their cost unless the owner reads about free work), and for paid
    work what was collected."""
    with_cost = record.paid or not for_owner
    lines = [t("record.fault", fault=fault_text(t, record))]
    if record.materials:
        lines.append(t("record.materials"))
        lines += material_lines(record.materials, with_cost)
        if with_cost:
            lines.append(t("record.total", total=money(record.total)))
    else:
        lines.append(t("record.no_materials"))
    if record.paid and record.collected is not None:
        lines.append(t("record.collected", amount=money(record.collected)))
        if record.reason:
            lines.append(t("record.reason", reason=record.reason))
    return lines


def owner_lines(t: Translator, record: WorkRecord) -> list[str]:
    """What the owner's "job done" message adds after the fault."""
    return record_lines(t, record, for_owner=True)[1:]


def summary(t: Translator, number: str, record: WorkRecord) -> str:
    lines = record_lines(t, record)
    lines.append(t("record.photos", count=record.after_photos))
    if record.paid:
        lines.append(t("record.receipts", count=record.receipt_photos))
    return t("finish.summary", number=number, record="\n".join(lines))


def fault_buttons(t: Translator, ticket_id: int, trade: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    for code in faults_for(trade):
        builder.button(text=t(f"fault.{code}"), callback_data=FaultPick(ticket_id=ticket_id, code=code))
    builder.adjust(2)
    return builder.as_markup()


def materials_button(t: Translator, ticket_id: int, any_yet: bool) -> InlineKeyboardMarkup:
    text = t("button.materials_done") if any_yet else t("button.no_materials")
    return InlineKeyboard().button(text=text, callback_data=MaterialsDone(ticket_id=ticket_id)).as_markup()


def photos_button(t: Translator, ticket_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("button.photos_done"), callback_data=FinishPhotosDone(ticket_id=ticket_id))
    return builder.as_markup()


def summary_buttons(t: Translator, ticket_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("button.record_confirm"), callback_data=RecordAnswer(ticket_id=ticket_id, confirm=True))
    builder.button(text=t("button.record_again"), callback_data=RecordAnswer(ticket_id=ticket_id, confirm=False))
    builder.adjust(1)
    return builder.as_markup()


def rain_buttons(t: Translator, ticket_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboard()
    builder.button(text=t("button.yes"), callback_data=RainCause(ticket_id=ticket_id, rain=True))
    builder.button(text=t("button.no"), callback_data=RainCause(ticket_id=ticket_id, rain=False))
    return builder.as_markup()
