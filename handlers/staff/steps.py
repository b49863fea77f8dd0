"""Asking the next step of a report customer service files: whatever is still missing,
else the summary with Confirm. The draft is services/intake.py's, the same an owner fills;
what only the desk needs (whose report it is) sits beside it as `Whom`."""

from dataclasses import asdict, dataclass
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup

from domain.tickets import Place
from handlers.staff.states import Desk
from services.context import Services
from services.intake import Draft
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import desk, keyboards
from views.i18n import Translator
from views.replies import TappedMessage


@dataclass
class Whom:
    kind: str | None = None  # desk.OWNER or desk.PUBLIC
    owner_id: int | None = None  # the owner in Telegram the report is for
    owner_name: str | None = None
    chosen: bool = False  # the owner is settled: one in Telegram, or one who is not (name, phone)
    suggested: str | None = None  # the category the description sounds like
    topic: str | None = None  # a complaint's Topic …
    words: str | None = None  # … and what happened

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Whom":
        return cls(**{k: v for k, v in data.get("whom", {}).items() if k in cls.__dataclass_fields__})


async def load(state: FSMContext) -> tuple[Draft, Whom]:
    data = await state.get_data()
    return Draft.from_data(data), Whom.from_data(data)


async def save(state: FSMContext, draft: Draft, whom: Whom) -> None:
    await state.update_data(draft.as_data() | {"whom": asdict(whom)})


def missing(draft: Draft, whom: Whom) -> str | None:
    """The first step still to be done, or None when the summary can be shown."""
    if whom.kind is None:
        return "kind"
    if whom.kind in (desk.OWNER, desk.COMPLAINT):
        if draft.unit_id is None:
            return "find"
        if not whom.chosen:
            return "owner"
        if whom.owner_id is None and not draft.contact_name:
            return "name"
        if whom.owner_id is None and not draft.contact_phone:
            return "phone"
    elif draft.block is None:
        return "block"
    elif not draft.public_area:
        return "location"
    if draft.channel is None:
        return "channel"
    if whom.kind == desk.COMPLAINT:
        return "topic" if whom.topic is None else "words" if whom.words is None else None
    if draft.description is None:
        return "description"
    step = draft.missing()  # category, photos, visit time: as an owner's own report …
    if step == "photos" and draft.photos_done:
        # … except that a caller cannot hand the desk a photo: the engineer takes them on site
        step = None if draft.visit_time is not None else "visit_time"
    return step


TYPED = {
    "find": "desk.ask_find",
    "name": "desk.ask_name",
    "phone": "desk.ask_phone",
    "description": "desk.ask_description",
    "words": "complaint.ask_text",
}
STATES = {
    "kind": Desk.kind,
    "find": Desk.find,
    "owner": Desk.owner,
    "name": Desk.name,
    "phone": Desk.phone,
    "block": Desk.block,
    "location": Desk.location,
    "channel": Desk.channel,
    "topic": Desk.topic,
    "words": Desk.words,
    "description": Desk.description,
    "category": Desk.category,
    "photos": Desk.photos,
    "visit_time": Desk.visit_time,
}


async def ask_next(
    message: TappedMessage,
    state: FSMContext,
    draft: Draft,
    whom: Whom,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    await save(state, draft, whom)
    step = missing(draft, whom)
    if step is None:
        await show_summary(message, state, draft, whom, t, config, uow)
        return
    await state.set_state(STATES[step])
    text, markup = await question(step, draft, whom, t, config, services, uow)
    await message.answer(text, reply_markup=markup)


async def question(
    step: str, draft: Draft, whom: Whom, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> tuple[str, InlineKeyboardMarkup | None]:
    if step == "kind":
        return t("desk.ask_kind"), desk.kinds(t)
    if step == "owner":
        accounts = [(a.telegram_user_id, a.name) for a in await uow.owners.accounts_of_unit(draft.unit_id or 0)]
        return t("desk.ask_owner"), desk.owners(t, accounts, offline=whom.kind == desk.OWNER)
    if step == "block":
        return t("desk.ask_block"), desk.blocks({b.code: b.name for b in config.blocks})
    if step == "channel":
        return t("desk.ask_channel"), desk.channels(t)
    if step == "topic":
        return t("desk.ask_topic"), desk.topics(t)
    if step == "category":
        return t("report.ask_category"), keyboards.categories(t)
    if step == "photos":
        text = t("desk.ask_photos", max=services.policy.max_photos)
        if draft.photos:
            text += "\n" + t("report.photos_so_far", count=len(draft.photos))
        return text, keyboards.photos(t, False, len(draft.photos))
    if step == "visit_time":
        return t("report.ask_visit_time"), keyboards.visit_times(t)
    if step == "location":
        return t("report.ask_public_area", block=_block_name(config, draft.block or "")), None
    return t(TYPED[step]), None


def _block_name(config: Config, code: str) -> str:
    block = config.block(code)
    return block.name if block else code


async def show_summary(
    message: TappedMessage, state: FSMContext, draft: Draft, whom: Whom, t: Translator, config: Config, uow: UnitOfWork
) -> None:
    if whom.kind == desk.COMPLAINT:
        if whom.owner_id is not None:
            who = desk.for_whom(t, whom.owner_name or "—", None, True)
        else:
            who = desk.for_whom(t, draft.contact_name or "—", draft.contact_phone, False)
        text = desk.complaint_summary(t, who, draft.channel or "", whom.topic or "", whom.words or "")
        await state.set_state(Desk.summary)
        await message.answer(text, reply_markup=desk.confirm(t))
        return
    if draft.category is None or draft.block is None or draft.description is None or draft.channel is None:
        raise ValueError("a desk draft reaches the summary only when complete (steps.missing)")
    unit = await uow.owners.unit_by_id(draft.unit_id) if draft.unit_id else None
    if whom.kind == desk.PUBLIC:
        who = desk.for_whom(t, None, None, False)
    elif whom.owner_id is not None:
        who = desk.for_whom(t, whom.owner_name, None, True)
    else:
        who = desk.for_whom(t, draft.contact_name, draft.contact_phone, False)
    text = desk.summary(
        t,
        who,
        draft.channel,
        draft.category,
        Place(draft.block, draft.unit_id, unit.number if unit else None, draft.public_area),
        _block_name(config, draft.block),
        draft.description,
        len(draft.photos),
        draft.visit_time if not draft.emergency else "asap",
    )
    await state.set_state(Desk.summary)
    await message.answer(text, reply_markup=desk.confirm(t))
