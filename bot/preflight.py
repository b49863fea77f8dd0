"""What `baoxiu run` checks before it serves: the database it was given can be opened and
written, and the staff chats in the config have the bot in them.

A database that cannot be used stops the start with one line saying which setting to
mend (bot/startup.py's CannotStart); a chat the bot is not in is only a warning, since the
bot still serves owners and the chat may be bound again with /bind.
"""

import logging
import os
import socket
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from sqlalchemy import make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from bot.startup import CannotStart
from settings.config import Config

log = logging.getLogger(__name__)
KEY = "storage.database_url"
NOT_THERE = ("left", "kicked")
ADD = "add the bot to it, or correct the setting"


async def open_database(database_url: str, migrate: Callable[[], Awaitable[None]]) -> None:
    """Bring the schema up to date; a database the bot cannot use raises CannotStart."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _check_sqlite_file(url)
    try:
        await migrate()
    except (DBAPIError, OSError, TimeoutError) as error:
        raise CannotStart(_why_database_failed(url, error)) from None


def _sqlite_path(url: URL) -> Path | None:
    if url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser().absolute()


def _check_sqlite_file(url: URL) -> None:
    path = _sqlite_path(url)
    if path is None:
        return
    folder = path.parent
    if not folder.is_dir():
        raise CannotStart(f"{KEY}: the folder {folder} does not exist; create it or point {KEY} elsewhere")
    if path.is_dir():
        raise CannotStart(f"{KEY}: {path} is a folder, not a database file")
    # SQLite in WAL mode writes its -wal and -shm files beside the database
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CannotStart(f"{KEY}: the folder {folder} is not writable by this user; the database needs it")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise CannotStart(f"{KEY}: {path} cannot be read and written by this user")


def _why_database_failed(url: URL, error: BaseException) -> str:
    causes = _chain(error)
    if url.get_backend_name() == "sqlite":
        path = _sqlite_path(url) or url.database
        if any(isinstance(c, sqlite3.DatabaseError) and "not a database" in str(c) for c in causes):
            return f"{KEY}: {path} is not a SQLite database; restore a backup (baoxiu restore) or name another file"
        return f"{KEY}: cannot use the database {path}: {_first_line(causes[-1])}"
    server = "PostgreSQL" if url.get_backend_name() == "postgresql" else url.get_backend_name()
    where = f"{server} at {url.host or 'localhost'}:{url.port or 5432}"
    if any(isinstance(c, ConnectionRefusedError) or "refused" in str(c).lower() for c in causes):
        return f"{KEY}: {where} refused the connection; is the database server running and listening there?"
    if any(isinstance(c, socket.gaierror) for c in causes):
        return f"{KEY}: {where}: host name not found"
    if any(isinstance(c, TimeoutError) for c in causes):
        return f"{KEY}: {where} did not answer in time"
    return f"{KEY}: cannot use {where}: {_first_line(causes[-1])}"


def _chain(error: BaseException) -> list[BaseException]:
    """The error and what caused it, outermost first (SQLAlchemy wraps the driver's)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    return chain


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def configured_chats(config: Config) -> list[tuple[str, int]]:
    """Each staff chat in the config, with the setting that names it."""
    chats = [(f'contractors "{c.code}" chat_id', c.chat_id) for c in config.contractors if c.chat_id is not None]
    if config.staff.alert_chat_id is not None:
        chats.append(("staff.alert_chat_id", config.staff.alert_chat_id))
    chats += [(f"staff.duty[{n}].chat_id", d.chat_id) for n, d in enumerate(config.staff.duty) if d.chat_id]
    return chats


async def warn_of_missing_chats(bot: Bot, chats: list[tuple[str, int]]) -> None:
    """One warning line per configured chat the bot is not in; the bot serves all the same."""
    me = await bot.me()
    for key, chat_id in chats:
        try:
            member = await bot.get_chat_member(chat_id, me.id)
        except TelegramNetworkError:
            return  # the network dropped again: the sender will say what it cannot deliver
        except TelegramAPIError as error:
            log.warning("%s = %s: the bot is not in this chat (Telegram: %s); %s", key, chat_id, error.message, ADD)
            continue
        if member.status in NOT_THERE:
            log.warning("%s = %s: the bot is not in this chat (its status: %s); %s", key, chat_id, member.status, ADD)
