"""One acknowledgement for a burst of photos.

An album arrives as one update per photo (sharing a media_group_id), and an owner may also
send photos one by one in quick succession. Each photo restarts a short timer for its
chat; when the chat has been quiet for `wait`, the latest acknowledgement is sent once.
While a photo is being fetched and checked, the chat's timer is held, so a slow photo in
the middle of an album does not split its acknowledgement.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)
Send = Callable[[], Awaitable[object]]


class PhotoAcknowledger:
    def __init__(self, wait: float):
        self.wait = wait
        self._pending: dict[int, tuple[asyncio.Task | None, Send]] = {}  # None: held

    def schedule(self, chat_id: int, send: Send) -> None:
        self.discard(chat_id)
        task = asyncio.create_task(self._later(chat_id, send))
        self._pending[chat_id] = (task, send)

    def hold(self, chat_id: int) -> None:
        """Another photo came: wait for it before acknowledging."""
        pending = self._pending.get(chat_id)
        if pending is not None and pending[0] is not None:
            pending[0].cancel()
            self._pending[chat_id] = (None, pending[1])

    def resume(self, chat_id: int) -> None:
        """The photo waited for added nothing: the acknowledgement held goes as it was."""
        pending = self._pending.get(chat_id)
        if pending is not None and pending[0] is None:
            self.schedule(chat_id, pending[1])

    def discard(self, chat_id: int) -> None:
        """Drop a pending acknowledgement: the owner moved on (pressed Done)."""
        pending = self._pending.pop(chat_id, None)
        if pending is not None and pending[0] is not None:
            pending[0].cancel()

    async def _later(self, chat_id: int, send: Send) -> None:
        await asyncio.sleep(self.wait)
        self._pending.pop(chat_id, None)
        try:
            await send()
        except Exception:  # a failed acknowledgement must not kill the loop; the photos are kept
            log.exception("could not acknowledge photos in chat %s", chat_id)

    async def flush(self) -> None:
        """Send what is pending now (at shutdown), so no owner is left without an answer."""
        pending, self._pending = list(self._pending.values()), {}
        for task, send in pending:
            if task is not None:
                task.cancel()
            try:
                await send()
            except Exception:
                log.exception("could not acknowledge photos at shutdown")
