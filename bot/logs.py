"""Log lines an operator can search: key=value text by default, one JSON object per line
with `[logging] format = "json"`, each carrying the update, chat and ticket it is about.

The context is kept in context variables: an outer middleware sets the update and chat for
everything its handler logs, and a use case that knows its ticket says so with
`about_ticket`. Names and phone numbers are never put in the context, so INFO lines carry
no personal data.
"""

import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from services.log_context import about_ticket
from services.log_context import ticket as _ticket

_update: ContextVar[int | None] = ContextVar("update", default=None)
_chat: ContextVar[int | None] = ContextVar("chat", default=None)
CONTEXT = ("update", "chat", "ticket")
__all__ = ["ContextFilter", "JsonFormatter", "KeyValueFormatter", "UpdateContext", "about_ticket", "configure"]


class UpdateContext(BaseMiddleware):
    """An outer middleware: the update id and chat of everything logged while handling it."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat = data.get("event_chat")
        update_token = _update.set(event.update_id if isinstance(event, Update) else None)
        chat_token = _chat.set(chat.id if chat is not None else None)
        ticket_token = _ticket.set(None)
        try:
            return await handler(event, data)
        finally:
            _update.reset(update_token)
            _chat.reset(chat_token)
            _ticket.reset(ticket_token)


class ContextFilter(logging.Filter):
    """Puts the context on every record (as attributes), whoever logged it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.update = _update.get()
        record.chat = _chat.get()
        record.ticket = _ticket.get()
        return True


class KeyValueFormatter(logging.Formatter):
    """`2026-11-26T06:00:00Z INFO bot.app update=17 ticket=261126-0003 msg="…"`"""

    def format(self, record: logging.LogRecord) -> str:
        parts = [_time(record), record.levelname, record.name]
        parts += [f"{key}={getattr(record, key)}" for key in CONTEXT if getattr(record, key, None) is not None]
        parts.append(f"msg={json.dumps(record.getMessage(), ensure_ascii=False)}")
        if record.exc_info:
            parts.append(f"exc={json.dumps(self.formatException(record.exc_info), ensure_ascii=False)}")
        return " ".join(parts)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"time": _time(record), "level": record.levelname, "logger": record.name}
        line |= {key: getattr(record, key) for key in CONTEXT if getattr(record, key, None) is not None}
        line["message"] = record.getMessage()
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(
    format_name: str = "text",
    level: str = "INFO",
    extra_filters: Sequence[logging.Filter] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Send every log line to stderr in the chosen format (what `baoxiu run` calls)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if format_name == "json" else KeyValueFormatter())
    handler.addFilter(ContextFilter())
    for extra in extra_filters:
        handler.addFilter(extra)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return handler


def _time(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
