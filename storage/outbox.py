"""The outbox: what must reach Telegram, in order per chat, exactly once."""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.tables import ChatTroubleRow, OutboxRow
from storage.types import stored


@dataclass(frozen=True)
class Outgoing:
    id: int
    chat_id: int
    method: str
    payload: dict
    purpose: str | None
    ticket_id: int | None
    attempts: int


def _outgoing(row: OutboxRow) -> Outgoing:
    row_id, payload = stored(row.id, "outbox.id"), json.loads(row.payload)
    return Outgoing(row_id, row.chat_id, row.method, payload, row.purpose, row.ticket_id, row.attempts)


class OutboxRepository:
    def __init__(self, session: AsyncSession):
        self.session = session

    async def add(
        self,
        chat_id: int,
        method: str,
        payload: dict,
        now: datetime,
        purpose: str | None = None,
        ticket_id: int | None = None,
        coalesce_key: str | None = None,
    ) -> None:
        """Queue a message. With a coalesce key, a pending message with the same key is
        replaced: a card edited five times while queued is edited once, to its latest state.
        A group known to have moved (upgraded to a supergroup) gets it at its new id."""
        trouble = await self.session.get(ChatTroubleRow, chat_id)
        if trouble is not None and trouble.moved_to is not None:
            chat_id = trouble.moved_to
        text = json.dumps(payload, ensure_ascii=False)
        if coalesce_key is not None:
            result = await self.session.exec(
                update(OutboxRow)
                .where(
                    col(OutboxRow.coalesce_key) == coalesce_key,
                    col(OutboxRow.status) == "pending",
                    col(OutboxRow.claimed_until).is_(None),
                )
                .values(payload=text)
            )
            if result.rowcount:
                return
        self.session.add(
            OutboxRow(
                chat_id=chat_id,
                method=method,
                payload=text,
                purpose=purpose,
                ticket_id=ticket_id,
                coalesce_key=coalesce_key,
                created_at=now,
                not_before=now,
            )
        )

    async def chats_with_due_messages(self, now: datetime, limit: int = 1000) -> list[int]:
        query = (
            select(OutboxRow.chat_id)
            .where(OutboxRow.status == "pending", OutboxRow.not_before <= now)
            .group_by(col(OutboxRow.chat_id))
            .order_by(col(OutboxRow.chat_id))
            .limit(limit)
        )
        return list((await self.session.exec(query)).all())

    async def next_for_chat(self, chat_id: int) -> Outgoing | None:
        """The oldest pending message of the chat: later ones wait for it, to keep the order."""
        query = (
            select(OutboxRow)
            .where(OutboxRow.chat_id == chat_id, OutboxRow.status == "pending")
            .order_by(col(OutboxRow.id))
            .limit(1)
        )
        row = (await self.session.exec(query)).first()
        return None if row is None else _outgoing(row)

    async def claim(self, message_id: int, now: datetime, until: datetime) -> bool:
        """Take a message for sending; another process holding it (until its claim lapses) wins."""
        result = await self.session.exec(
            update(OutboxRow)
            .where(
                col(OutboxRow.id) == message_id,
                col(OutboxRow.status) == "pending",
                col(OutboxRow.not_before) <= now,
                or_(col(OutboxRow.claimed_until).is_(None), col(OutboxRow.claimed_until) < now),
            )
            .values(claimed_until=until)
        )
        return result.rowcount == 1

    async def _held(self, message_id: int) -> OutboxRow:
        """A message the sender holds (it claimed it): outbox rows are never deleted."""
        row = await self.session.get(OutboxRow, message_id)
        if row is None:
            raise LookupError(f"outbox message {message_id} is not in the database")
        return row

    async def sent(self, message_id: int, telegram_message_id: int | None, now: datetime) -> None:
        row = await self._held(message_id)
        row.status, row.sent_at, row.message_id, row.claimed_until = "sent", now, telegram_message_id, None

    async def retry_later(self, message_id: int, not_before: datetime, error: str) -> None:
        row = await self._held(message_id)
        row.attempts += 1
        row.not_before, row.error, row.claimed_until = not_before, error, None

    async def release(self, message_id: int) -> None:
        row = await self.session.get(OutboxRow, message_id)
        if row is not None and row.status == "pending":
            row.claimed_until = None

    async def progress(self, message_id: int, pieces_sent: int, telegram_message_id: int | None) -> None:
        """A long message goes as several; each piece sent is noted, so a retry sends only the rest."""
        row = await self._held(message_id)
        payload = json.loads(row.payload)
        payload["sent_pieces"] = pieces_sent
        row.payload, row.message_id = json.dumps(payload, ensure_ascii=False), telegram_message_id

    async def retarget(self, old_chat: int, new_chat: int) -> None:
        """Everything of a group that moved is its new id's: what waits is sent there, in
        the same order, and its cards are found there (as messages to send anew: the old
        chat's message ids mean nothing in the new one)."""
        await self.session.exec(
            update(OutboxRow)
            .where(col(OutboxRow.chat_id) == old_chat)
            .values(chat_id=new_chat, claimed_until=None, message_id=None)
        )

    async def card_sent_anew(self, card_id: int, telegram_message_id: int) -> None:
        """The card could not be edited and went as a new message: later edits go to that one."""
        row = await self.session.get(OutboxRow, card_id)
        if row is not None:
            row.message_id = telegram_message_id

    async def release_all(self) -> None:
        """Free every claim: only for the sole sender starting, whose earlier run died mid-send."""
        await self.session.exec(update(OutboxRow).where(col(OutboxRow.status) == "pending").values(claimed_until=None))

    async def failed(self, message_id: int, error: str) -> None:
        row = await self._held(message_id)
        row.status, row.error, row.claimed_until = "failed", error, None

    async def telegram_message_id(self, message_id: int) -> int | None:
        row = await self.session.get(OutboxRow, message_id)
        return None if row is None else row.message_id

    async def card_of(self, ticket_id: int, chat_id: int) -> int | None:
        """The outbox id of the ticket's newest card in the chat."""
        query = (
            select(OutboxRow.id)
            .where(OutboxRow.ticket_id == ticket_id, OutboxRow.chat_id == chat_id, OutboxRow.purpose == "card")
            .order_by(col(OutboxRow.id).desc())
            .limit(1)
        )
        return (await self.session.exec(query)).first()
