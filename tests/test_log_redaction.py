"""The bot token never reaches a log line (bot/redaction.py)."""

import io
import logging

import pytest

from bot.redaction import REDACTED, install_token_filter

TOKEN = "123456:AAH-secret_Token"


@pytest.fixture
def captured():
    """A logger like `baoxiu run`'s root logger: a stream handler, the filter on it."""
    stream = io.StringIO()
    logger = logging.getLogger("test.redaction")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.propagate = False
    install_token_filter(TOKEN, logger)
    yield logger, stream
    logger.removeHandler(handler)


def test_the_token_in_a_message_is_redacted(captured):
    logger, stream = captured
    logger.warning(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")
    assert TOKEN not in stream.getvalue()
    assert f"https://api.telegram.org/bot{REDACTED}/getMe failed" in stream.getvalue()


def test_the_token_in_the_arguments_is_redacted(captured):
    logger, stream = captured
    logger.error("request to %s failed after %d tries", f"https://api.telegram.org/bot{TOKEN}/sendMessage", 3)
    assert TOKEN not in stream.getvalue()
    assert "failed after 3 tries" in stream.getvalue()


def test_the_token_in_an_exception_and_its_traceback_is_redacted(captured):
    logger, stream = captured
    url = f"https://api.telegram.org/file/bot{TOKEN}/photos/file_1.jpg"
    try:
        raise ConnectionError(f"cannot download {url}")
    except ConnectionError:
        logger.exception("photo lost")
    output = stream.getvalue()
    assert "Traceback" in output and "ConnectionError: cannot download" in output
    assert TOKEN not in output and f"file/bot{REDACTED}/photos" in output


def test_the_token_escaped_in_a_url_is_redacted(captured):
    logger, stream = captured
    logger.info("GET /bot123456%3AAAH-secret_Token/getUpdates")
    assert "AAH-secret_Token" not in stream.getvalue()


def test_records_from_other_loggers_are_redacted_on_the_root_handlers():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    token_filter = install_token_filter(TOKEN)
    try:
        logging.getLogger("aiohttp.client").warning("Unclosed connection to /bot%s/getMe", TOKEN)
        assert token_filter in handler.filters
    finally:
        for each in root.handlers:  # pytest's own handlers got the filter too
            each.removeFilter(token_filter)
        root.removeHandler(handler)
    assert TOKEN not in stream.getvalue() and "Unclosed connection" in stream.getvalue()
