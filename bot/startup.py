"""Reaching Telegram at start-up: wait out a network that is down, stop at a token it refuses.

Every problem is one line for the operator; a traceback would only hide what to do.
"""

import asyncio
import contextlib
import logging
import socket
from collections.abc import Awaitable, Callable

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from delivery.retries import from_the_sender

log = logging.getLogger(__name__)

FIRST_WAIT = 1.0  # seconds before the first retry; each further retry waits twice as long
LONGEST_WAIT = 60.0


class CannotStart(Exception):
    """An operator's mistake that no waiting mends; the message says what to do."""


def token_rejected(api_base: str, error: TelegramUnauthorizedError | TelegramNotFound) -> CannotStart:
    return CannotStart(
        f"Telegram at {api_base} rejected the bot token ({error.message}): copy the token from @BotFather "
        "into telegram.token (or BAOXIU_TELEGRAM__TOKEN) and start again"
    )


def why_unreachable(error: Exception) -> str:
    """The cause of a failed request in a few words, for the one line the operator reads."""
    if isinstance(error, TelegramServerError | TelegramRetryAfter):
        return f"it answered {error.message}"
    if isinstance(error, ClientDecodeError):
        return "what answered is not a Bot API server (its answer is not JSON)"
    cause = error.__cause__
    os_error = getattr(cause, "os_error", cause)
    if isinstance(cause, TimeoutError) or isinstance(os_error, TimeoutError):
        return "no answer in time"
    if isinstance(os_error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(os_error, socket.gaierror):
        return f"host name not found ({os_error.strerror})"
    if isinstance(os_error, OSError) and os_error.strerror:
        return os_error.strerror
    return str(getattr(error, "message", error))


async def until_reached(
    step: Callable[[], Awaitable[None]], api_base: str, stopped: asyncio.Event, first_wait: float = FIRST_WAIT
) -> bool:
    """Run `step` (which talks to Telegram and may be repeated) until it gets through.

    False when `stopped` was set before it did. A rejected token raises CannotStart.
    """
    wait = first_wait
    while not stopped.is_set():
        try:
            return await _unless_stopped(_on_its_own(step), stopped)
        except (TelegramUnauthorizedError, TelegramNotFound) as error:
            raise token_rejected(api_base, error) from None
        except TelegramRetryAfter as error:
            wait = max(wait, float(error.retry_after))
            log.warning("cannot reach Telegram at %s: %s; retrying in %g s", api_base, why_unreachable(error), wait)
        except (TelegramNetworkError, TelegramServerError, ClientDecodeError) as error:
            log.warning("cannot reach Telegram at %s: %s; retrying in %g s", api_base, why_unreachable(error), wait)
        try:
            await asyncio.wait_for(stopped.wait(), wait)
        except TimeoutError:
            wait = min(wait * 2, LONGEST_WAIT)
    return False


async def _on_its_own(step: Callable[[], Awaitable[None]]) -> None:
    """Run `step` without the session's retries for replies (delivery/retries.py): here each
    failure is one line for the operator, and the wait grows, however long it takes."""
    from_the_sender()  # the marker's task is the one _unless_stopped makes for this step
    await step()


async def _unless_stopped(work: Awaitable[None], stopped: asyncio.Event) -> bool:
    """Await `work`, or cancel it when `stopped` is set first (a request can hang for long)."""
    task = asyncio.ensure_future(work)
    stop = asyncio.ensure_future(stopped.wait())
    try:
        done, _ = await asyncio.wait((task, stop), return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
        if not task.done():
            task.cancel()
    if task in done:
        task.result()  # its error, if it failed
        return True
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return False
