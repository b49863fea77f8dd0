"""aiogram runs every plain (not `async`) filter in a worker thread: each magic filter
(`F.chat.type == "private"`) on the way to a handler is a hop to a thread and back, dozens
per update with our routers. Ours are attribute checks of microseconds, so they run on the
event loop instead; what awaits (a database lookup) is async already and stays as it is."""

from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import CallableObject, HandlerObject


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
