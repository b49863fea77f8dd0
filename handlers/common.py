"""For everyone: /help, /language, and a clear answer to whatever nothing else handled."""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from settings.config import Config
from storage.unit_of_work import UnitOfWork
from views.buttons import LanguagePick
from views.i18n import Catalogs, Translator

LANGUAGE_NAMES = {"zh": "中文", "en": "English", "ru": "Русский"}


def setup() -> Router:
    router = Router(name="common")
    router.message.register(help_text, Command("help"))
    router.message.register(choose_language, Command("language"), F.chat.type == "private")
    router.callback_query.register(language_picked, LanguagePick.filter())
    return router


def fallbacks() -> Router:
    """Registered last: what no other handler took."""
    router = Router(name="fallbacks")
    router.callback_query.register(stale_button, flags={"callback_answer": {"disabled": True}})
    router.message.register(unknown_command, F.text.startswith("/"), F.chat.type == "private")
    return router


async def help_text(message: Message, t: Translator) -> None:
    key = "help.private" if message.chat.type == "private" else "help.group"
    await message.answer(t(key))


async def choose_language(message: Message, t: Translator, config: Config) -> None:
    builder = InlineKeyboardBuilder()
    for code in config.property.languages:
        builder.button(text=LANGUAGE_NAMES[code], callback_data=LanguagePick(code=code))
    await message.answer(t("language.choose"), reply_markup=builder.as_markup())


async def language_picked(
    query: CallbackQuery, callback_data: LanguagePick, uow: UnitOfWork, catalogs: Catalogs, config: Config
) -> None:
    if callback_data.code not in config.property.languages:
        return
    await uow.chats.set_language(query.from_user.id, callback_data.code)
    await uow.commit()
    await query.message.answer(catalogs.translator(callback_data.code)("language.set"))


async def stale_button(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("error.stale_button"), show_alert=True)


async def unknown_command(message: Message, t: Translator) -> None:
    await message.answer(t("error.unknown_command"))
