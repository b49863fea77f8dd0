"""Two shortcuts on an update's way through our routers, where aiogram tries handler after
handler (some fifty filters for an owner's update, most of them refusing).

aiogram runs every plain (not `async`) filter in a worker thread: each magic filter
(`F.chat.type == "private"`) on the way to a handler is a hop to a thread and back. Ours are
attribute checks of microseconds, so they run on the event loop instead; what awaits (a
database lookup) is async already and stays as it is.

A button's handler (its first filter a CallbackData's) refuses a press of another kind of
button by the prefix of its data: that is checked first, before aiogram prepares the call of
any filter. The outcome is the one the filters would give: unpacking refuses another prefix.
"""

from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import CallableObject, HandlerObject
from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter


def speed_up(router: Router) -> None:
    filters_on_the_loop(router)
    buttons_by_prefix(router)


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
            _prefix_first(handler, first.callback_data)
            changed += 1
    return changed


def _button_handlers(router: Router) -> Iterator[HandlerObject]:
    yield from router.observers["callback_query"].handlers
    for sub_router in router.sub_routers:
        yield from _button_handlers(sub_router)


def _prefix_first(handler: HandlerObject, button: type[CallbackData]) -> None:
    check = handler.check
    prefix = button.__prefix__
    with_fields = prefix + button.__separator__

    async def by_prefix_first(event: Any, **kwargs: Any) -> tuple[bool, dict[str, Any]]:
        data = getattr(event, "data", None)
        if not isinstance(data, str) or not (data == prefix or data.startswith(with_fields)):
            return False, kwargs
        return await check(event, **kwargs)

    handler.check = by_prefix_first  # type: ignore[method-assign]
