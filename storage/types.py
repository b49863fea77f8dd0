"""Column types that behave the same on SQLite and PostgreSQL."""

from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import DateTime, Dialect, TypeDecorator

T = TypeVar("T")


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite keeps no zone), always handed back timezone-aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def stored(value: T | None, column: str) -> T:
    """A column the database fills when the row is flushed (an id, a number made from the
    id): declared optional on the table class, present on every row read back."""
    if value is None:
        raise ValueError(f"{column} is not set: the row was never flushed")
    return value
