"""Staff chats Telegram refuses: a group upgraded to a supergroup (it lives on under a new
id) and a group that no longer lets the bot post. The outbox and the chats remember it; the
managers hear of it through whoever implements ChatTroubles (views/notifier.py)."""

import logging
from datetime import datetime
from typing import Protocol

from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class ChatTroubles(Protocol):
    def contractor_of_chat(self, chat_id: int) -> str | None: ...

    async def chat_moved(self, uow: UnitOfWork, old: int, new: int) -> None: ...

    async def chat_unreachable(self, uow: UnitOfWork, chat_id: int, error: str) -> None: ...

    async def chat_reachable(self, uow: UnitOfWork, chat_id: int) -> None: ...


async def follow_move(uow: UnitOfWork, troubles: ChatTroubles | None, old: int, new: int, now: datetime) -> None:
    """The group's contractor, cards and waiting messages go with it to its new id."""
    log.warning("chat %s moved to %s", old, new)
    contractor = await uow.chats.contractor_of_group(old)
    if contractor is None and troubles is not None:
        contractor = troubles.contractor_of_chat(old)
    await uow.chats.move_group(old, new, contractor, now)
    await uow.outbox.retarget(old, new)
    if troubles is not None:
        await troubles.chat_moved(uow, old, new)


async def refused(uow: UnitOfWork, troubles: ChatTroubles | None, chat_id: int, error: str, now: datetime) -> None:
    """Note the refusal; the managers are told the first time only."""
    if await uow.chats.unreachable(chat_id, now, error) and troubles is not None:
        log.warning("chat %s refuses the bot: %s", chat_id, error)
        await troubles.chat_unreachable(uow, chat_id, error)


async def got_through(uow: UnitOfWork, troubles: ChatTroubles | None, chat_id: int) -> None:
    """A message reached the chat: if it had been refusing the bot, the managers hear it is back."""
    if chat_id < 0 and await uow.chats.reachable(chat_id) and troubles is not None:
        await troubles.chat_reachable(uow, chat_id)
