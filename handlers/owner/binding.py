"""/start, and an owner proving who they are with their own contact."""

from aiogram import F, Router
from aiogram.filters import Command, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, User

from domain.emergencies import recognise_emergency
from handlers.owner.filters import BoundOwner
from handlers.owner.states import Binding
from services.binding import BindOutcome, bind_by_contact, request_binding
from services.context import Services
from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views import emergency as emergency_views
from views import keyboards
from views.buttons import BindingDecision, BlockPick, HelpRequest
from views.i18n import Translator
from views.inline_keyboard import InlineKeyboard
from views.keyboards import Reregister, tidy
from views.notifier import Notifier
from views.replies import TappedMessage, message_of, sender_of

MAX_UNIT_TEXT = 20


def help_button(t: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboard().button(text=t("button.ask_manager"), callback_data=HelpRequest()).as_markup()


def setup() -> Router:
    router = Router(name="owner-binding")
    router.message.register(welcome_back, CommandStart(), BoundOwner())
    router.message.register(greet, CommandStart())
    router.message.register(contact_again, F.contact, BoundOwner())
    router.message.register(contact_shared, F.contact)
    router.callback_query.register(help_again, HelpRequest.filter(), BoundOwner())
    router.callback_query.register(ask_for_help, HelpRequest.filter())
    router.callback_query.register(reregister_answered, Reregister.filter())
    router.callback_query.register(block_picked, Binding.block, BlockPick.filter())
    router.message.register(unit_typed, Binding.unit, F.text)
    router.message.register(unit_not_text, Binding.unit)
    router.message.register(please_share, StateFilter(None), ~BoundOwner(), ~Command("cancel"))  # /cancel: common
    return router


async def welcome_back(message: Message, state: FSMContext, t: Translator, units) -> None:
    await state.clear()
    await message.answer(
        t("start.welcome_back", units=", ".join(u.label for u in units)), reply_markup=keyboards.main_menu(t)
    )


async def greet(message: Message, state: FSMContext, t: Translator, config: Config) -> None:
    await state.clear()
    await message.answer(t("start.greeting", property=config.property.name), reply_markup=keyboards.share_contact(t))


async def contact_again(message: Message, state: FSMContext, t: Translator, units) -> None:
    """A registered owner shares a contact again: registering anew is asked first."""
    contact, owner = message.contact, sender_of(message)
    if contact is None or owner is None:  # registered for contacts, in private chats
        return
    if contact.user_id != owner.id:
        await message.answer(t("binding.not_own_contact"))
        return
    await state.update_data(reregister_phone=contact.phone_number)
    await message.answer(_registered(t, units), reply_markup=keyboards.reregister(t, "contact"))


async def help_again(query: CallbackQuery, t: Translator, units) -> None:
    message = message_of(query)
    if message is None:
        return
    await message.answer(_registered(t, units), reply_markup=keyboards.reregister(t, "help"))


def _registered(t: Translator, units) -> str:
    return t("binding.already_registered", units=", ".join(u.label for u in units))


async def reregister_answered(
    query: CallbackQuery,
    callback_data: Reregister,
    state: FSMContext,
    t: Translator,
    services: Services,
    uow: UnitOfWork,
    config: Config,
    catalogs,
) -> None:
    message = message_of(query)
    if message is None:
        return
    phone = (await state.get_data()).get("reregister_phone")
    await state.update_data(reregister_phone=None)  # the question is answered: a second tap is an old one
    await tidy(query)
    if not callback_data.again:
        units = await uow.owners.bound_units(query.from_user.id)
        await message.answer(
            t("binding.kept", units=", ".join(u.label for u in units)), reply_markup=keyboards.main_menu(t)
        )
    elif callback_data.how == "help":
        await ask_for_help(query, state, t, config, uow)
    elif phone:
        await _register(message, query.from_user, query.from_user.id, phone, state, t, services, uow, catalogs)
    else:
        await message.answer(t("error.stale_button"))


async def contact_shared(
    message: Message, state: FSMContext, t: Translator, services: Services, uow: UnitOfWork, catalogs
) -> None:
    contact, user = message.contact, sender_of(message)
    if contact is None or user is None:  # registered for contacts, in private chats
        return
    await _register(message, user, contact.user_id, contact.phone_number, state, t, services, uow, catalogs)


async def _register(
    message: TappedMessage,
    user: User,
    contact_user_id: int | None,
    phone: str,
    state: FSMContext,
    t: Translator,
    services: Services,
    uow: UnitOfWork,
    catalogs,
) -> None:
    """Bind by a shared contact and answer in `message`'s chat."""
    result = await bind_by_contact(services, uow, user.id, user.full_name, contact_user_id, phone)
    if result.outcome is BindOutcome.NOT_OWN_CONTACT:
        await message.answer(t("binding.not_own_contact"), reply_markup=keyboards.share_contact(t))
        return
    if result.outcome is BindOutcome.UNKNOWN_NUMBER:
        await state.update_data(phone=result.phone)
        text = t("binding.unknown_number")
        units = await uow.owners.bound_units(user.id)
        if units:  # registering anew with another number: what was registered stays
            text += "\n\n" + t("binding.still_bound", units=", ".join(u.label for u in units))
        await message.answer(text, reply_markup=help_button(t))
        return
    await state.clear()
    if result.language:
        t = catalogs.translator(await uow.chats.language_of(user.id) or result.language)
    bound = t("binding.bound", units=", ".join(u.label for u in result.units))
    await message.answer(f"{bound}\n\n{t('binding.what_next')}", reply_markup=keyboards.main_menu(t))


async def ask_for_help(query: CallbackQuery, state: FSMContext, t: Translator, config: Config, uow: UnitOfWork) -> None:
    message = message_of(query)
    if message is None:
        return
    if config.staff.alert_chat_id is None:
        await message.answer(t("binding.no_managers"))
        return
    if await uow.owners.pending_request_of(query.from_user.id):
        await message.answer(t("binding.request_pending"))
        return
    builder = InlineKeyboard()
    for block in config.blocks:
        builder.button(text=block.name, callback_data=BlockPick(block=block.code))
    await state.set_state(Binding.block)
    await message.answer(t("binding.ask_block"), reply_markup=builder.adjust(2).as_markup())


async def block_picked(
    query: CallbackQuery, callback_data: BlockPick, state: FSMContext, t: Translator, config: Config
) -> None:
    message = message_of(query)
    if message is None:
        return
    block = config.block(callback_data.block)
    if block is None:
        await message.answer(t("error.stale_button"))
        return
    await state.update_data(block=callback_data.block)
    await state.set_state(Binding.unit)
    await message.answer(t("binding.ask_unit", block=block.name))


async def unit_typed(
    message: Message,
    state: FSMContext,
    t: Translator,
    services: Services,
    uow: UnitOfWork,
    config: Config,
    notifier: Notifier,
    group_t: Translator,
) -> None:
    user = sender_of(message)
    if user is None:
        return
    alert_chat = config.staff.alert_chat_id
    if alert_chat is None:  # asked before the block (ask_for_help); the config may have changed since
        await state.clear()
        await message.answer(t("binding.no_managers"))
        return
    data = await state.get_data()
    number = (message.text or "").strip()  # registered with F.text: there is always a text
    unit = await uow.owners.unit(data["block"], number) if len(number) <= MAX_UNIT_TEXT else None
    if unit is None:
        block = config.block(data["block"])
        name = block.name if block else data["block"]
        await message.answer(t("binding.unit_unknown", block=name, unit=number[:MAX_UNIT_TEXT]))
        return
    request_id = await request_binding(services, uow, user.id, user.full_name, user.username, data.get("phone"), unit)
    decide = InlineKeyboard()
    decide.button(text=group_t("button.approve"), callback_data=BindingDecision(approve=True, request_id=request_id))
    decide.button(text=group_t("button.reject"), callback_data=BindingDecision(approve=False, request_id=request_id))
    await notifier.say(
        uow,
        alert_chat,
        group_t(
            "binding.request_alert",
            name=user.full_name,
            username=f"@{user.username}" if user.username else "—",
            user_id=user.id,
            phone=data.get("phone") or "—",
            unit=unit.label,
        ),
        decide.as_markup(),
    )
    await state.clear()
    await message.answer(t("binding.request_sent"))


async def unit_not_text(message: Message, t: Translator) -> None:
    await message.answer(t("binding.unit_as_text"))


async def please_share(message: Message, t: Translator, config: Config) -> None:
    """Typing a number proves nothing: only the contact button shows it is the owner's own.
    Someone not yet registered who tells of an emergency is first told how to stay safe
    and whom to call (nobody is alerted: nothing says where they are yet)."""
    danger = recognise_emergency(message.text or message.caption or "")
    if danger is not None:
        await message.answer(emergency_views.safety_advice(t, danger, config.property, alerted=False))
    await message.answer(t("binding.please_share"), reply_markup=keyboards.share_contact(t))
    await message.answer(t("binding.help_hint"), reply_markup=help_button(t))
