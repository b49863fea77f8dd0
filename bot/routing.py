"""Shortcuts on an update's way through our routers, where aiogram tries handler after
handler (some fifty filters for an owner's update, most of them refusing).

aiogram runs every plain (not `async`) filter in a worker thread: each magic filter
(`F.chat.type == "private"`) on the way to a handler is a hop to a thread and back. Ours are
attribute checks of microseconds, so they run on the event loop instead; what awaits (a
database lookup) is async already and stays as it is.

A button's handler (its first filter a CallbackData's) refuses a press of another kind of
button by the prefix of its data: that is checked first, before aiogram prepares the call of
any filter. The outcome is the one the filters would give: unpacking refuses another prefix.

Likewise a handler whose first filter is a conversation step (a State or a StateFilter) asks
that filter alone about the update's step first, and one whose first filter is a command asks
whether the text starts with the command's prefix at all: aiogram's own call of a filter
(choosing its arguments among the update's thirty-odd) costs ten times the question.

And a router all of whose handlers (its own and its sub-routers') for a kind of update can
be asked so is passed over whole when every one of them would refuse: an owner's button
went through some twenty-five routers to reach its handler, each visit 14 µs of aiogram's
even when nothing there could take it.
"""

from collections.abc import Callable, Iterator
from functools import wraps
from inspect import isawaitable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.event.handler import CallableObject, HandlerObject
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.fsm.state import State
from aiogram.types import Message

Refuses = Callable[[Any, Any], Any]  # (event, raw_state) -> False when the handler cannot apply


def speed_up(router: Router) -> None:
    cheap_refusals_first(router)
    for sub_router in router.sub_routers:  # before the filters are wrapped to run on the loop
        pass_over_when_none_may_take(sub_router)
    filters_on_the_loop(router)
    buttons_by_prefix(router)


def cheap_refusals_first(router: Router) -> int:
    """Let each handler of `router` and below whose first filter is a step or a command
    turn away an update in another step, or a text that is no command, first; how many."""
    changed = 0
    for handler in _handlers(router):
        first = handler.filters[0].callback if handler.filters else None
        passes = _cheap_check(first)
        if passes is not None:
            _refuse_first(handler, passes)
            changed += 1
    return changed


def _cheap_check(first: object) -> Refuses | None:
    if isinstance(first, State):
        return first
    if isinstance(first, StateFilter):
        return first.__call__
    if isinstance(first, Command):
        return _starts_like(first.prefix)
    return None


def _starts_like(prefix: str) -> Refuses:
    def passes(event: Any, _raw_state: Any) -> bool:
        text = (event.text or event.caption) if isinstance(event, Message) else None
        return bool(text and text[0] in prefix)

    return passes


def _refuse_first(handler: HandlerObject, passes: Refuses) -> None:
    check = handler.check

    async def cheap_refusal_first(event: Any, **kwargs: Any) -> tuple[bool, dict[str, Any]]:
        verdict = passes(event, kwargs.get("raw_state"))
        if not (await verdict if isawaitable(verdict) else verdict):
            return False, kwargs
        return await check(event, **kwargs)

    handler.check = cheap_refusal_first  # type: ignore[method-assign]


def filters_on_the_loop(router: Router) -> int:
    """Make every plain filter of `router` and the routers below it run on the loop; how many."""
    changed = 0
    for handler in _handlers(router):
        for check in handler.filters or ():
            if not check.awaitable:
                _on_the_loop(check)
                changed += 1
    return changed


def _handlers(router: Router) -> Iterator[HandlerObject]:
    for observer in router.observers.values():
        yield observer._handler  # the router's own filters (`router.message.filter(...)`)
        yield from observer.handlers
    for sub_router in router.sub_routers:
        yield from _handlers(sub_router)


def _on_the_loop(check: CallableObject) -> None:
    plain: Callable[..., Any] = check.callback

    @wraps(plain)
    async def awaited(*args: Any, **kwargs: Any) -> Any:
        return plain(*args, **kwargs)

    check.callback = awaited
    check.awaitable = True


def buttons_by_prefix(router: Router) -> int:
    """Let each button handler of `router` and below turn away other buttons by prefix; how many."""
    changed = 0
    for handler in _button_handlers(router):
        first = handler.filters[0].callback if handler.filters else None
        if isinstance(first, CallbackQueryFilter):
            _refuse_first(handler, _by_prefix(first.callback_data))
            changed += 1
    return changed


def _button_handlers(router: Router) -> Iterator[HandlerObject]:
    yield from router.observers["callback_query"].handlers
    for sub_router in router.sub_routers:
        yield from _button_handlers(sub_router)


def pass_over_when_none_may_take(router: Router) -> int:
    """Let `router`, and each router below it, be passed over for a kind of update when
    every handler it and its sub-routers hold for that kind can be asked cheaply and all
    would refuse; how many routers can be. The outcome is the one of going through them: a
    router's own filters and middlewares can only refuse further (it must have no outer
    middleware: that one would run even for an update nobody takes)."""
    askable = {kind: _askable(router, kind) for kind in router.observers}
    askable = {kind: checks for kind, checks in askable.items() if checks is not None}
    changed = sum(pass_over_when_none_may_take(sub_router) for sub_router in router.sub_routers)
    if not askable:
        return changed
    propagate = router.propagate_event

    async def propagate_if_any_may_take(update_type: str, event: Any, **kwargs: Any) -> Any:
        checks = askable.get(update_type)
        if checks is not None and not await _any_may_take(checks, event, kwargs.get("raw_state")):
            return UNHANDLED
        return await propagate(update_type=update_type, event=event, **kwargs)

    router.propagate_event = propagate_if_any_may_take  # type: ignore[method-assign]
    return changed + 1


async def _any_may_take(checks: list[Refuses], event: Any, raw_state: Any) -> bool:
    for passes in checks:
        verdict = passes(event, raw_state)
        if verdict is True or (verdict is not False and await verdict):  # a StateFilter's is awaited
            return True
    return False


def _askable(router: Router, kind: str) -> list[Refuses] | None:
    """The cheap question of every `kind` handler of `router` and below, or None when one
    of them has none (or a router there has an outer middleware)."""
    observer = router.observers[kind]
    if len(observer.outer_middleware):
        return None
    checks: list[Refuses] = []
    for handler in observer.handlers:
        first = handler.filters[0].callback if handler.filters else None
        passes = _by_prefix(first.callback_data) if isinstance(first, CallbackQueryFilter) else _cheap_check(first)
        if passes is None:
            return None
        checks.append(passes)
    for sub_router in router.sub_routers:
        below = _askable(sub_router, kind)
        if below is None:
            return None
        checks += below
    return checks


def _by_prefix(button: type[CallbackData]) -> Refuses:
    """Whether a press is of this kind of button at all, by its data's prefix."""
    prefix = button.__prefix__
    with_fields = prefix + button.__separator__

    def passes(event: Any, _raw_state: Any) -> bool:
        data = getattr(event, "data", None)
        return isinstance(data, str) and (data == prefix or data.startswith(with_fields))

    return passes
