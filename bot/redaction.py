"""Keeps the bot token out of the logs: whoever holds it can act as the bot.

The token travels in every Bot API URL (`…/bot<token>/sendMessage`, `…/file/bot<token>/…`),
so an aiohttp error or a traceback quoting a URL would otherwise print it.
"""

import logging
import traceback
from urllib.parse import quote

REDACTED = "<bot-token>"


class TokenFilter(logging.Filter):
    """Rewrites each record so that its message, arguments and exception text lack the token.

    Put it on the handlers, not on a logger: a logger's filters never see the records
    its children pass up to it.
    """

    def __init__(self, token: str):
        super().__init__()
        # the raw token and the form a URL gives it (its colon escaped)
        self._forms = sorted({token, quote(token, safe="")} - {""}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install_token_filter(token: str, logger: logging.Logger | None = None) -> TokenFilter:
    """Puts the filter on every handler of `logger` (the root logger by default)."""
    token_filter = TokenFilter(token)
    for handler in (logger or logging.getLogger()).handlers:
        handler.addFilter(token_filter)
    return token_filter
