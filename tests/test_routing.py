"""Plain filters run on the event loop, not in a worker thread (bot/routing.py)."""

import threading
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher, F, Router
from aiogram.types import Message, Update

from bot.routing import filters_on_the_loop


def private_text(text: str) -> Update:
    chat = {"id": 7, "type": "private", "first_name": "A"}
    message = {"message_id": 1, "date": datetime(2026, 11, 23, tzinfo=UTC), "chat": chat, "text": text}
    return Update.model_validate({"update_id": 1, "message": message})


def dispatcher_seeing_threads(threads: list[str]) -> Dispatcher:
    def on_which_thread(message: Message) -> bool:
        threads.append(threading.current_thread().name)
        return True

    router = Router()
    router.message.filter(F.chat.type == "private", on_which_thread)
    answered: list[str] = []

    @router.message(F.text == "hello", on_which_thread)
    async def hello(message: Message) -> None:
        answered.append(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    dispatcher["answered"] = answered
    return dispatcher


async def test_plain_filters_run_on_the_loop_and_still_decide():
    threads: list[str] = []
    dispatcher = dispatcher_seeing_threads(threads)
    assert filters_on_the_loop(dispatcher) == 4  # two magic filters and two plain functions
    bot = Bot("42:TEST")
    await dispatcher.feed_update(bot, private_text("hello"))
    await dispatcher.feed_update(bot, private_text("bye"))
    assert dispatcher["answered"] == ["hello"]
    assert set(threads) == {threading.main_thread().name}
    await bot.session.close()


async def test_without_it_aiogram_uses_a_thread():
    threads: list[str] = []
    dispatcher = dispatcher_seeing_threads(threads)
    bot = Bot("42:TEST")
    await dispatcher.feed_update(bot, private_text("hello"))
    assert threading.main_thread().name not in threads
    await bot.session.close()
