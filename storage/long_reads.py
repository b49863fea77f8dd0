"""Reads over much of the history (a quarter's report, a whole property's survey): they
must not hold the event loop while owners wait for answers.

On SQLite the statements of a task reading at length run in SQLite's thread instead of on
the loop (storage/database.py, StatementsOnTheLoop); on PostgreSQL every statement leaves
the loop anyway. Either way the rows are made into Python a part at a time (`in_parts`),
and between parts the loop answers others."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

ROWS_AT_A_TIME = 500  # about 10 ms of the event loop each
T = TypeVar("T")

AT_LENGTH: ContextVar[bool] = ContextVar("reading_at_length", default=False)


@contextmanager
def reading_at_length() -> Iterator[None]:
    """The statements the task runs meanwhile leave the event loop (on SQLite, for its thread)."""
    token = AT_LENGTH.set(True)
    try:
        yield
    finally:
        AT_LENGTH.reset(token)


async def in_parts(session: AsyncSession, query: Any, make: Callable[..., T]) -> list[T]:
    """`make(row)` for every row of a long list, a part at a time."""
    result = await session.stream(query)
    made: list[T] = []
    try:
        async for part in result.partitions(ROWS_AT_A_TIME):
            made += [make(row) for row in part]
    finally:
        await result.close()  # at once, should a row fail to be made (on PostgreSQL a cursor stays open)
    return made
