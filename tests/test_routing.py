"""Plain filters run on the event loop, not in a worker thread; a button handler turns
away other buttons by prefix, and a step's or a command's handler another step or a plain
text, before aiogram calls its other filters (bot/routing.py)."""

import threading
from datetime import UTC, datetime

from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, Update

from bot.routing import buttons_by_prefix, cheap_refusals_first, filters_on_the_loop, speed_up


def private_text(text: str, sender: int | None = None) -> Update:
    chat = {"id": 7, "type": "private", "first_name": "A"}
    message = {"message_id": 1, "date": datetime(2026, 11, 23, tzinfo=UTC), "chat": chat, "text": text}
    if sender is not None:
        message["from"] = {"id": sender, "is_bot": False, "first_name": "A"}
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


class Take(CallbackData, prefix="take"):
    ticket_id: int


class Rate(CallbackData, prefix="rate"):
    ticket_id: int
    stars: int


class CountingFilter(CallbackQueryFilter):
    calls = 0

    async def __call__(self, query: CallbackQuery):
        CountingFilter.calls += 1
        return await super().__call__(query)


def press(data: str) -> Update:
    user = {"id": 7, "is_bot": False, "first_name": "A"}
    return Update.model_validate(
        {"update_id": 2, "callback_query": {"id": "q", "from": user, "chat_instance": "c", "data": data}}
    )


async def test_a_button_handler_turns_away_other_buttons_by_prefix_before_any_filter():
    pressed: list[object] = []
    router = Router()

    @router.callback_query(CountingFilter(callback_data=Take))
    async def take(query: CallbackQuery, callback_data: Take) -> None:
        pressed.append(callback_data)

    @router.callback_query(Rate.filter(F.stars > 3))
    async def rate(query: CallbackQuery, callback_data: Rate) -> None:
        pressed.append(callback_data)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    assert buttons_by_prefix(dispatcher) == 2
    bot = Bot("42:TEST")
    for data in ["rate:5:4", "rate:5:2", "taken:1", "rate", "take:9"]:
        await dispatcher.feed_update(bot, press(data))
    assert pressed == [Rate(ticket_id=5, stars=4), Take(ticket_id=9)]
    assert CountingFilter.calls == 1  # only the press of its own kind of button reached it
    await bot.session.close()


class Report(StatesGroup):
    describe = State()
    photos = State()


async def test_a_steps_or_a_commands_handler_turns_away_other_steps_and_plain_texts_first():
    reached: list[str] = []
    handled: list[str] = []

    def second_filter(name: str):
        async def check(message: Message) -> bool:
            reached.append(name)
            return True

        return check

    router = Router()

    @router.message(Report.describe, second_filter("describe"))
    async def describe(message: Message) -> None:
        handled.append(f"describe {message.text}")

    @router.message(StateFilter(Report.photos, None), second_filter("photos or none"))
    async def photos(message: Message) -> None:
        handled.append(f"photos {message.text}")

    @router.message(Command("help", prefix="/!"), second_filter("help"))
    async def help_text(message: Message) -> None:
        handled.append(f"help {message.text}")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    assert cheap_refusals_first(dispatcher) == 3
    bot = Bot("42:TEST")
    steps = [(Report.describe, "a leak"), (Report.photos, "a photo"), ("Other:step", "!help"), ("Other:step", "/help")]
    for state, text in [*steps, ("Other:step", "plain"), (None, "x")]:
        context = dispatcher.fsm.get_context(bot, chat_id=7, user_id=7)
        await context.set_state(state)
        await dispatcher.feed_update(bot, private_text(text, sender=7))
    assert handled == ["describe a leak", "photos a photo", "help !help", "help /help", "photos x"]
    # what a step or the text's first character settles never reaches the filter behind it
    assert reached == ["describe", "photos or none", "help", "help", "photos or none"]
    await bot.session.close()


async def test_a_router_none_of_whose_handlers_may_take_an_update_is_passed_over_whole():
    visited: list[str] = []
    handled: list[str] = []

    def router_named(name: str) -> Router:
        router = Router(name=name)

        async def note(event: object) -> bool:  # a router's own filter: runs on each visit
            visited.append(name)
            return True

        router.callback_query.filter(note)
        router.message.filter(note)
        return router

    buttons, steps, anything = router_named("buttons"), router_named("steps"), router_named("anything")
    below = router_named("below")
    buttons.include_router(below)

    @buttons.callback_query(Take.filter())
    async def take(query: CallbackQuery, callback_data: Take) -> None:
        handled.append(f"take {callback_data.ticket_id}")

    @below.callback_query(Rate.filter())
    async def rate(query: CallbackQuery, callback_data: Rate) -> None:
        handled.append(f"rate {callback_data.stars}")

    @steps.message(Report.describe)
    async def describe(message: Message) -> None:
        handled.append(f"describe {message.text}")

    @anything.message(F.text)  # no cheap question: its router is always gone through
    async def any_text(message: Message) -> None:
        handled.append(f"text {message.text}")

    dispatcher = Dispatcher()
    dispatcher.include_routers(buttons, steps, anything)
    speed_up(dispatcher)
    bot = Bot("42:TEST")
    for data in ["rate:5:4", "other:1", "take:9"]:
        await dispatcher.feed_update(bot, press(data))
    for state, text in [(Report.describe, "a leak"), (None, "hello")]:
        await dispatcher.fsm.get_context(bot, chat_id=7, user_id=7).set_state(state)
        await dispatcher.feed_update(bot, private_text(text, sender=7))
    assert handled == ["rate 4", "take 9", "describe a leak", "text hello"]
    # a press of another kind of button, and a text in no step of theirs, pass them over whole
    assert visited == ["buttons", "below", "buttons", "steps", "anything"]
    await bot.session.close()
