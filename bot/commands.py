"""The command menus Telegram shows, per chat type and language (setMyCommands with scopes)."""

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat

from views.i18n import Catalogs

PRIVATE = ("report", "my", "complain", "language", "help", "cancel", "start")
GROUP = ("bind", "help")
MANAGERS = ("overdue", "open", "ticket", "report", "stats", "survey", "evidence", "rain", "bind", "help")
# the front desk's private chats (customer service and the managers): /file besides the owners' menu
STAFF = ("file", *PRIVATE)
# a command whose menu line in the managers' chats differs from the owners' (/report)
MANAGERS_WORDING = {"report": "command.report_manager"}

# the scopes this bot sets; the Bot API's set_my_commands takes these concrete types
Scope = BotCommandScopeAllPrivateChats | BotCommandScopeAllGroupChats | BotCommandScopeChat


async def set_commands(
    bot: Bot,
    catalogs: Catalogs,
    languages: list[str],
    default: str,
    manager_chats: list[int],
    desk_people: list[int] = [],  # noqa: B006 - read only
) -> None:
    scopes: list[tuple[Scope, tuple[str, ...], dict[str, str]]] = [
        (BotCommandScopeAllPrivateChats(), PRIVATE, {}),
        (BotCommandScopeAllGroupChats(), GROUP, {}),
    ]
    scopes += [(BotCommandScopeChat(chat_id=chat), MANAGERS, MANAGERS_WORDING) for chat in manager_chats]
    scopes += [(BotCommandScopeChat(chat_id=person), STAFF, {}) for person in desk_people]
    for scope, names, wording in scopes:
        await bot.set_my_commands(_commands(catalogs, default, names, wording), scope=scope)
        for language in languages:
            commands = _commands(catalogs, language, names, wording)
            await bot.set_my_commands(commands, scope=scope, language_code=language)


def _commands(catalogs: Catalogs, language: str, names: tuple[str, ...], wording: dict[str, str]) -> list[BotCommand]:
    t = catalogs.translator(language)
    return [BotCommand(command=name, description=t(wording.get(name, f"command.{name}"))) for name in names]
