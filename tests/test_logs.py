"""Log lines carry the update, chat and ticket they are about, as key=value text or JSON."""

import io
import json
import logging

import pytest

from bot.logs import ContextFilter, JsonFormatter, KeyValueFormatter, _chat, _update, about_ticket


@pytest.fixture
def lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("baoxiu.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, handler, stream
    logger.removeHandler(handler)
    _update.set(None)
    _chat.set(None)
    about_ticket(None)


def test_json_lines_carry_the_context_of_the_update(lines):
    logger, handler, stream = lines
    handler.setFormatter(JsonFormatter())
    _update.set(4711)
    _chat.set(-100501)
    about_ticket("261126-0003")
    logger.info("card sent to %s", "the group")
    line = json.loads(stream.getvalue())
    assert line | {"time": None} == {
        "time": None,
        "level": "INFO",
        "logger": "baoxiu.test",
        "update": 4711,
        "chat": -100501,
        "ticket": "261126-0003",
        "message": "card sent to the group",
    }


def test_text_lines_are_key_value_with_the_exception_on_the_same_line(lines):
    logger, handler, stream = lines
    handler.setFormatter(KeyValueFormatter())
    _update.set(12)
    _chat.set(None)
    about_ticket(None)
    try:
        raise ValueError("broken")
    except ValueError:
        logger.exception('handler failed "badly"')
    line = stream.getvalue()
    assert line.count("\n") == 1
    assert " ERROR baoxiu.test update=12 msg=" in line
    assert 'msg="handler failed \\"badly\\""' in line
    assert "chat=" not in line and "ticket=" not in line
    assert "ValueError: broken" in line
