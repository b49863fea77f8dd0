"""Asking the next step of a report: whatever the draft still lacks, else the summary.

Editing a field from the summary just empties it, so the same walk asks for it again and
comes back to the summary by itself.
"""

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup

from domain.categories import category_by_code
from domain.tickets import Place
from domain.units import Unit
from domain.warranty import Coverage
from handlers.owner.states import STEP_STATES, Report
from services.context import Services
from services.intake import Draft, warranty_of
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import keyboards, render
from views.i18n import Translator
from views.replies import TappedMessage


async def save(state: FSMContext, draft: Draft) -> None:
    await state.update_data(draft.as_data())


def photo_required(draft: Draft) -> bool:
    """Whether the draft's repair needs a photo; none is asked for before a category is chosen."""
    return draft.category is not None and category_by_code(draft.category).photo_required


def block_name(config: Config, code: str) -> str:
    """The block's name, or its code when the block has since left the config."""
    block = config.block(code)
    return block.name if block else code


async def ask_next(
    message: TappedMessage,
    state: FSMContext,
    draft: Draft,
    t: Translator,
    units: list[Unit],
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    await save(state, draft)
    step = draft.missing()
    if step is None:
        await show_summary(message, state, draft, t, config, services, uow)
        return
    await state.set_state(STEP_STATES[step])
    text, markup = question(step, draft, t, units, config, services)
    await message.answer(text, reply_markup=markup)


def question(
    step: str, draft: Draft, t: Translator, units: list[Unit], config: Config, services: Services
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and keyboard that ask for `step`."""
    if step == "category":
        return t("report.ask_category"), keyboards.categories(t)
    if step == "place":
        return t("report.ask_place"), keyboards.places(t, units, {b.code: b.name for b in config.blocks})
    if step == "public_area":  # asked once the block is known (Draft.missing)
        return t("report.ask_public_area", block=block_name(config, draft.block or "")), None
    if step == "description":
        return t("report.ask_description"), None
    if step == "photos":
        required = photo_required(draft)
        key = "report.ask_photos_required" if required else "report.ask_photos"
        text = t(key, max=services.policy.max_photos)
        if draft.photos:
            text += "\n" + t("report.photos_so_far", count=len(draft.photos))
        return text, keyboards.photos(t, required, len(draft.photos))
    return t("report.ask_visit_time"), keyboards.visit_times(t)


async def show_summary(
    message: TappedMessage,
    state: FSMContext,
    draft: Draft,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    if draft.category is None or draft.block is None:
        raise ValueError("a draft reaches the summary only when complete (Draft.missing)")
    block = config.block(draft.block)
    unit = await uow.owners.unit_by_id(draft.unit_id) if draft.unit_id else None
    today = services.clock.now().astimezone(services.tz).date()
    verdict = await warranty_of(services, uow, draft, today, block.handover_date if block else None)
    where = render.place(
        t,
        Place(draft.block, draft.unit_id, unit.number if unit else None, draft.public_area),
        block.name if block else draft.block,
    )
    lines = [
        t("summary.title"),
        t("summary.category", category=render.category(t, draft.category)),
        t("summary.place", place=where),
        t("summary.description", description=draft.description),
        t("summary.photos", count=len(draft.photos)),
        t("summary.visit", visit=render.visit_time(t, draft.visit_time)),
    ]
    if draft.said_repeat_of:
        earlier = await uow.tickets.get(draft.said_repeat_of)
        lines.append(t("summary.repeat", number=earlier.number if earlier else "—"))
    ends_on = verdict.ends_on.isoformat() if verdict.ends_on else "—"
    if verdict.coverage is Coverage.PAID:
        lines.append("\n" + t("summary.paid", ends_on=ends_on))
    elif verdict.coverage is Coverage.IN_WARRANTY:
        lines.append("\n" + t("summary.in_warranty", ends_on=ends_on))
    await state.set_state(Report.summary)
    await message.answer("\n".join(lines), reply_markup=keyboards.summary(t))
