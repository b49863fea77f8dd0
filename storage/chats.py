"""Group chats the bot sits in (bound to contractors) and the engineers it has met."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import EngineerRow, GroupChatRow, UserPreferenceRow


class ChatRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def register_group(self, chat_id: int, title: str, now: datetime) -> None:
        row = await self.session.get(GroupChatRow, chat_id)
        if row is None:
            self.session.add(GroupChatRow(chat_id=chat_id, title=title, added_at=now))
        else:
            row.title, row.active = title, True

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
        await self.register_group(chat_id, title, now)
        (await self.session.get(GroupChatRow, chat_id)).contractor_code = contractor_code

    async def bound_group(self, contractor_code: str) -> int | None:
        query = select(GroupChatRow.chat_id).where(GroupChatRow.contractor_code == contractor_code, GroupChatRow.active)
        return (await self.session.exec(query)).first()

    async def meet_engineer(self, user_id: int, name: str, username: str | None) -> None:
        row = await self.session.get(EngineerRow, user_id)
        if row is None:
            self.session.add(EngineerRow(telegram_user_id=user_id, name=name, username=username))
        else:
            row.name, row.username = name, username

    async def engineer_reachable(self, user_id: int, reachable: bool) -> None:
        row = await self.session.get(EngineerRow, user_id)
        if row is not None:
            row.can_message = reachable

    async def language_of(self, user_id: int) -> str | None:
        row = await self.session.get(UserPreferenceRow, user_id)
        return None if row is None else row.language

    async def set_language(self, user_id: int, language: str, only_if_unset: bool = False) -> None:
        row = await self.session.get(UserPreferenceRow, user_id)
        if row is None:
            self.session.add(UserPreferenceRow(telegram_user_id=user_id, language=language))
        elif not only_if_unset:
            row.language = language
