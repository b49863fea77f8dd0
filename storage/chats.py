"""Group chats the bot sits in (bound to contractors) and the engineers it has met."""

from datetime import datetime

from sqlalchemy import bindparam, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.memo import Memo, remembered
from storage.tables import ChatTroubleRow, EngineerRow, GroupChatRow, OutboxRow, TicketRow, UserPreferenceRow

# Built once: every update asks it, and building a statement (a get builds one each time)
# costs more than running it.
_LANGUAGE = select(UserPreferenceRow.language).where(col(UserPreferenceRow.telegram_user_id) == bindparam("user_id"))
_LANGUAGE_HELD = "language"


class ChatRepository:
    def __init__(self, session: AsyncSession, in_hand: Memo | None = None):
        self.session = session
        # what the unit of work keeps across its commits (UnitOfWork.held): each person's
        # language, asked by the update's first step and again by most answers it queues
        self._in_hand: Memo = {} if in_hand is None else in_hand

    async def register_group(self, chat_id: int, title: str, now: datetime) -> None:
        """The bot is in the group (again): what waited for a group that had refused it
        goes now, not at the sender's next periodic try."""
        await self._register(chat_id, title, now)

    async def _register(self, chat_id: int, title: str, now: datetime) -> GroupChatRow:
        row = await self.session.get(GroupChatRow, chat_id)
        if row is None:
            row = GroupChatRow(chat_id=chat_id, title=title, added_at=now)
            self.session.add(row)
        else:
            row.title, row.active = title, True
        if await self.is_unreachable(chat_id):
            await self.session.exec(
                update(OutboxRow)
                .where(col(OutboxRow.chat_id) == chat_id, col(OutboxRow.status) == "pending")
                .values(not_before=now)
            )
        return row

    async def leave_group(self, chat_id: int) -> None:
        row = await self.session.get(GroupChatRow, chat_id)
        if row is not None:
            row.active = False

    async def bind_group(self, chat_id: int, title: str, contractor_code: str, now: datetime) -> None:
        """One group per contractor: binding a new group unbinds the old one."""
        for old in (
            await self.session.exec(select(GroupChatRow).where(GroupChatRow.contractor_code == contractor_code))
        ).all():
            old.contractor_code = None
        (await self._register(chat_id, title, now)).contractor_code = contractor_code

    async def bound_group(self, contractor_code: str) -> int | None:
        query = select(GroupChatRow.chat_id).where(GroupChatRow.contractor_code == contractor_code, GroupChatRow.active)
        return (await self.session.exec(query)).first()

    async def bound_groups(self) -> dict[str, int]:
        """Each contractor's bound engineer group, by the contractor's code."""
        query = select(GroupChatRow.contractor_code, GroupChatRow.chat_id).where(
            col(GroupChatRow.contractor_code).is_not(None), GroupChatRow.active
        )
        return {code: chat_id for code, chat_id in (await self.session.exec(query)).all() if code is not None}

    async def contractor_of_group(self, chat_id: int) -> str | None:
        row = await self.session.get(GroupChatRow, chat_id)
        return row.contractor_code if row is not None and row.active else None

    async def group_title(self, chat_id: int) -> str | None:
        row = await self.session.get(GroupChatRow, chat_id)
        return None if row is None else row.title

    # ---- chats Telegram refuses -------------------------------------------------------
    async def moved_to(self, chat_id: int) -> int | None:
        """Where a group upgraded to a supergroup lives now (Telegram gives it a new id)."""
        row = await self.session.get(ChatTroubleRow, chat_id)
        return None if row is None else row.moved_to

    async def move_group(self, old: int, new: int, contractor_code: str | None, now: datetime) -> None:
        """The group is the same people under a new chat id: its contractor, the cards of its
        jobs and what is said about it from now on all follow it."""
        trouble = await self._trouble(old)
        trouble.moved_to, trouble.unreachable_since = new, None
        title = await self.group_title(old) or ""
        await self.leave_group(old)
        if contractor_code is not None:
            await self.bind_group(new, title, contractor_code, now)
        else:
            await self.register_group(new, title, now)
        await self.session.exec(
            update(TicketRow).where(col(TicketRow.card_chat_id) == old).values(card_chat_id=new, card_message_id=None)
        )

    async def unreachable(self, chat_id: int, now: datetime, error: str) -> bool:
        """Note that Telegram refuses the chat; True the first time (the managers are told once)."""
        trouble = await self._trouble(chat_id)
        first = trouble.unreachable_since is None
        if first:
            trouble.unreachable_since = now
        trouble.error = error
        return first

    async def is_unreachable(self, chat_id: int) -> bool:
        row = await self.session.get(ChatTroubleRow, chat_id)
        return row is not None and row.unreachable_since is not None

    async def reachable(self, chat_id: int) -> bool:
        """A message got through: True if the chat had been unreachable until now."""
        row = await self.session.get(ChatTroubleRow, chat_id)
        if row is None or row.unreachable_since is None:
            return False
        row.unreachable_since, row.error = None, None
        return True

    async def _trouble(self, chat_id: int) -> ChatTroubleRow:
        row = await self.session.get(ChatTroubleRow, chat_id)
        if row is None:
            row = ChatTroubleRow(chat_id=chat_id)
            self.session.add(row)
        return row

    async def meet_engineer(self, user_id: int, name: str, username: str | None) -> None:
        row = await self.session.get(EngineerRow, user_id)
        if row is None:
            self.session.add(EngineerRow(telegram_user_id=user_id, name=name, username=username))
        else:
            row.name, row.username = name, username

    async def is_engineer(self, user_id: int) -> bool:
        """Whether the user has taken a job here (services/jobs.py meets each engineer then)."""
        return await self.session.get(EngineerRow, user_id) is not None

    async def language_of(self, user_id: int) -> str | None:
        async def read() -> str | None:
            return (await self.session.exec(_LANGUAGE, params={"user_id": user_id})).first()

        return await remembered(self._in_hand, (_LANGUAGE_HELD, user_id), read)

    async def set_language(self, user_id: int, language: str, only_if_unset: bool = False) -> None:
        row = await self.session.get(UserPreferenceRow, user_id)
        if row is None:
            self.session.add(UserPreferenceRow(telegram_user_id=user_id, language=language))
        elif not only_if_unset:
            row.language = language
        self._in_hand[(_LANGUAGE_HELD, user_id)] = language if row is None else row.language
