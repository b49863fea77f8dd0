"""Whose report the desk is filing: an owner found by block and unit or by phone (one in
Telegram, or one who is not: name and phone), or a block's public area; and how it came
in (phone, walk-in). Bad input gets a hint and the step stays."""

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from domain.front_desk import Channel, name_problem
from domain.public_areas import MAX_LOCATION, location_problem
from handlers.staff.steps import Whom, ask_next, load
from services import staff_intake
from services.context import Services
from services.intake import Draft
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import desk
from views.desk import DeskBlock, DeskChannel, DeskKind, DeskOwner
from views.i18n import Translator
from views.replies import message_of, sender_of


async def start(
    message: Message, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    """/file: a new report, whatever was under way (a report half-told is started again)."""
    staff = sender_of(message)
    if staff is None:
        return
    await state.clear()
    await ask_next(message, state, Draft(filed_by=staff.id), Whom(), t, config, services, uow)


async def kind_picked(
    query: CallbackQuery,
    callback_data: DeskKind,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None or callback_data.kind not in (desk.OWNER, desk.PUBLIC, desk.COMPLAINT):
        return
    draft, whom = await load(state)
    whom.kind = callback_data.kind
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def find_typed(
    message: Message, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    text = message.text or ""  # registered with F.text
    found = await staff_intake.find_owner(services, uow, text, [b.code for b in config.blocks])
    if found is None:
        await message.answer(t("desk.not_found", text=text.strip()[:50]))
        return
    draft, whom = await load(state)
    draft.unit_id, draft.block, draft.public_area = found.unit.id, found.unit.block, None
    if found.phone is not None and not found.accounts:  # on the roster, not in Telegram: nothing to ask
        whom.chosen, draft.contact_name, draft.contact_phone = True, found.name, found.phone
    elif found.phone is not None and len(found.accounts) == 1:
        whom.chosen, whom.owner_id, whom.owner_name = True, found.accounts[0].user_id, found.accounts[0].name
    elif not found.accounts:  # nobody of this unit in Telegram: the owner met at the desk
        whom.chosen = True
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def owner_picked(
    query: CallbackQuery,
    callback_data: DeskOwner,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    draft, whom = await load(state)
    accounts = {a.telegram_user_id: a.name for a in await uow.owners.accounts_of_unit(draft.unit_id or 0)}
    offline = callback_data.user_id == desk.NOT_IN_TELEGRAM
    if not offline and callback_data.user_id not in accounts:
        await message.answer(t("error.stale_button"))
        return
    whom.chosen = True
    if callback_data.user_id != desk.NOT_IN_TELEGRAM:
        whom.owner_id, whom.owner_name = callback_data.user_id, accounts[callback_data.user_id]
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def name_typed(
    message: Message, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    text = message.text or ""  # registered with F.text
    problem = name_problem(text)
    if problem is not None:
        await message.answer(t("desk.name_too_long" if problem == "too_long" else "desk.hint_name"))
        return
    draft, whom = await load(state)
    draft.contact_name = text.strip()
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def phone_typed(
    message: Message, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    """A typed number, or a contact card forwarded from the desk's phone."""
    raw = message.contact.phone_number if message.contact else message.text or ""
    phone = staff_intake.phone_of(services, raw)
    if phone is None:
        await message.answer(t("desk.bad_phone"))
        return
    draft, whom = await load(state)
    draft.contact_phone = phone
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def block_picked(
    query: CallbackQuery,
    callback_data: DeskBlock,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None:
        return
    if config.block(callback_data.code) is None:
        await message.answer(t("error.stale_button"))
        return
    draft, whom = await load(state)
    draft.unit_id, draft.block = None, callback_data.code
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def location_typed(
    message: Message, state: FSMContext, t: Translator, config: Config, services: Services, uow: UnitOfWork
) -> None:
    text = message.text or ""  # registered with F.text
    problem = location_problem(text)
    if problem == "too_long":
        await message.answer(t("report.too_long", max=MAX_LOCATION, length=len(text)))
        return
    if problem is not None:
        await message.answer(t("desk.hint_location"))
        return
    draft, whom = await load(state)
    draft.public_area = text.strip()
    await ask_next(message, state, draft, whom, t, config, services, uow)


async def channel_picked(
    query: CallbackQuery,
    callback_data: DeskChannel,
    state: FSMContext,
    t: Translator,
    config: Config,
    services: Services,
    uow: UnitOfWork,
) -> None:
    message = message_of(query)
    if message is None or callback_data.channel not in set(Channel):
        return
    draft, whom = await load(state)
    draft.channel = callback_data.channel
    await ask_next(message, state, draft, whom, t, config, services, uow)
