"""The outbox: what must reach Telegram, in order per chat, exactly once."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.memo import Memo, remembered
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
    coalesce_key: str | None = None


def _outgoing(row: Any) -> Outgoing:  # a table row, or a row a statement returned
    row_id, payload = stored(row.id, "outbox.id"), json.loads(row.payload)
    return Outgoing(
        row_id, row.chat_id, row.method, payload, row.purpose, row.ticket_id, row.attempts, row.coalesce_key
    )


_MOVED = "moved to"
OUTBOX = OutboxRow.__table__  # type: ignore[attr-defined]  # the batch statements below are written on the table itself


class OutboxRepository:
    def __init__(self, session: AsyncSession, memo: Memo | None = None):
        self.session = session
        # what the unit of work looked up in this transaction (UnitOfWork.memo): a group's
        # new id, asked for each message queued to it (a card comes with its photos)
        self._memo: Memo = {} if memo is None else memo

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
        A group known to have moved (upgraded to a supergroup) gets it at its new id; only a
        group can move, so a person's chat is not looked up."""
        if chat_id < 0:
            chat_id = await self._moved_to(chat_id) or chat_id
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

    async def claim_batch(self, sender: str, now: datetime, until: datetime, limit: int) -> list[Outgoing]:
        """Take up to `limit` due messages for `sender`, oldest first, in one statement. A
        message is taken only if every older pending one of its chat is due and is not held by
        another sender: a chat's messages go in order even with two senders sharing the
        database; the conditional update decides which sender gets a message."""
        row, older = OUTBOX.alias("candidate"), OUTBOX.alias("earlier")
        held_elsewhere = and_(
            older.c.claimed_until >= now, or_(older.c.claimed_by.is_(None), older.c.claimed_by != sender)
        )
        blocked = exists().where(
            older.c.chat_id == row.c.chat_id,
            older.c.status == "pending",
            older.c.id < row.c.id,
            or_(older.c.not_before > now, held_elsewhere),
        )
        chosen = (
            select(row.c.id)
            .where(row.c.status == "pending", row.c.not_before <= now, _free(row, now), ~blocked)
            .order_by(row.c.id)
            .limit(limit)
        )
        claim = (
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(chosen.scalar_subquery()), OUTBOX.c.status == "pending", _free(OUTBOX, now))
            .values(claimed_until=until, claimed_by=sender)
            .returning(*OUTBOX.c)
        )
        rows = (await self.session.exec(claim)).all()  # type: ignore[call-overload]
        return sorted((_outgoing(r) for r in rows), key=lambda o: o.id)

    async def out_of_turn(self, sender: str, ids: list[int], now: datetime) -> list[int]:
        """Of messages the sender has just taken, those with an older pending message of their
        chat held by another sender (two claims crossed): they must wait their turn."""
        if not ids:
            return []
        row, older = OUTBOX.alias("candidate"), OUTBOX.alias("earlier")
        not_ours = or_(older.c.claimed_by.is_(None), older.c.claimed_by != sender, older.c.claimed_until < now)
        query = select(row.c.id).where(
            row.c.id.in_(ids),
            exists().where(
                older.c.chat_id == row.c.chat_id, older.c.status == "pending", older.c.id < row.c.id, not_ours
            ),
        )
        return list((await self.session.exec(query)).all())  # type: ignore[call-overload]

    async def release_many(self, ids: list[int]) -> None:
        if ids:
            await self.session.exec(
                update(OUTBOX)  # type: ignore[call-overload]
                .where(OUTBOX.c.id.in_(ids), OUTBOX.c.status == "pending")
                .values(claimed_until=None, claimed_by=None)
            )

    async def renew(self, sender: str, until: datetime) -> None:
        """The sender still holds what it took: nobody else may take it meanwhile."""
        await self.session.exec(
            update(OUTBOX)  # type: ignore[call-overload]
            .where(OUTBOX.c.claimed_by == sender, OUTBOX.c.status == "pending", OUTBOX.c.claimed_until.is_not(None))
            .values(claimed_until=until)
        )

    async def release_of(self, sender: str) -> None:
        """The sender stops: what it held and did not send is anybody's again."""
        await self.session.exec(
            update(OUTBOX)  # type: ignore[call-overload]
            .where(OUTBOX.c.claimed_by == sender, OUTBOX.c.status == "pending")
            .values(claimed_until=None, claimed_by=None)
        )

    async def sent_many(self, results: list[tuple[int, int | None]], now: datetime) -> None:
        """Mark many messages sent in one statement: (outbox id, Telegram's message id)."""
        if not results:
            return
        mark = (
            update(OUTBOX)
            .where(OUTBOX.c.id == bindparam("row_id"))
            .values(status="sent", sent_at=now, message_id=bindparam("telegram_id"), claimed_until=None)
        )
        connection = await self.session.connection()
        await connection.execute(mark, [{"row_id": row, "telegram_id": telegram} for row, telegram in results])

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
        row.not_before, row.error, row.claimed_until, row.claimed_by = not_before, error, None, None

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

    async def _moved_to(self, chat_id: int) -> int | None:
        async def look_up() -> int | None:
            trouble = await self.session.get(ChatTroubleRow, chat_id)
            return None if trouble is None else trouble.moved_to

        return await remembered(self._memo, (_MOVED, chat_id), look_up)

    async def retarget(self, old_chat: int, new_chat: int) -> None:
        """Everything of a group that moved is its new id's: what waits is sent there, in
        the same order, and its cards are found there (as messages to send anew: the old
        chat's message ids mean nothing in the new one)."""
        self._memo[(_MOVED, old_chat)] = new_chat
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
        await self.session.exec(
            update(OutboxRow).where(col(OutboxRow.status) == "pending").values(claimed_until=None, claimed_by=None)
        )

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


def _free(table, now: datetime):  # type: ignore[no-untyped-def]
    """Not held by any sender: never taken, or its sender's hold has lapsed."""
    return or_(table.c.claimed_until.is_(None), table.c.claimed_until < now)
