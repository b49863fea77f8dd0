"""A worker starts without what it rarely needs (bot/lean.py, views/charts.py,
views/workbooks.py), and aiogram's types still read and write everything."""

import subprocess
import sys

from aiogram import types
from aiogram.methods import SendMessage
from aiogram.methods.base import Response

NEVER_AT_START = ("matplotlib", "openpyxl", "selenium")


def test_the_bot_starts_without_charts_workbooks_or_a_browser_and_builds_no_telegram_type_ahead():
    probe = (
        "import sys, bot.app, bot.cli\n"
        f"print(*[m for m in {NEVER_AT_START!r} if m in sys.modules])\n"
        "from aiogram import types\n"
        "print(types.Poll.__pydantic_complete__)\n"
    )
    printed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert printed.splitlines() == ["", "False"]


def test_telegram_types_built_at_first_use_read_nested_updates_and_write_methods():
    chat = {"id": 5, "type": "private", "first_name": "Wang"}
    update = types.Update.model_validate(
        {
            "update_id": 1,
            "message": {
                "message_id": 2,
                "date": 0,
                "chat": chat,
                "from": {"id": 5, "is_bot": False, "first_name": "Wang"},
                "photo": [{"file_id": "f", "file_unique_id": "u", "width": 90, "height": 60}],
                "reply_to_message": {"message_id": 1, "date": 0, "chat": chat, "text": "哪里漏水?"},
            },
        }
    )
    assert update.message is not None and update.message.reply_to_message is not None
    assert update.message.reply_to_message.text == "哪里漏水?"
    assert update.message.photo is not None and update.message.photo[0].width == 90
    keyboard = types.InlineKeyboardMarkup(inline_keyboard=[[types.InlineKeyboardButton(text="好", callback_data="x")]])
    sent = SendMessage(chat_id=5, text="好", reply_markup=keyboard).model_dump(exclude_none=True)
    assert sent["reply_markup"] == {"inline_keyboard": [[{"text": "好", "callback_data": "x"}]]}
    answer = Response[types.Message].model_validate({"ok": True, "result": {"message_id": 3, "date": 0, "chat": chat}})
    assert answer.result is not None and answer.result.chat.id == 5


def test_a_built_worker_freezes_what_it_holds_and_collects_the_young_generation_less_often():
    probe = (
        "import gc, bot.app\n"
        "from bot.heap import YOUNG_THRESHOLD, settle\n"
        "before = gc.get_freeze_count()\n"
        "settle()\n"
        "print(before, gc.get_freeze_count() > 100_000, gc.get_count()[0] < 100)\n"
        "print(gc.get_threshold()[0] == YOUNG_THRESHOLD)\n"
    )
    printed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert printed.split() == ["0", "True", "True", "True"]
