"""What a unit of work remembers of what it looked up (storage/unit_of_work.py: `memo`,
forgotten at each commit, and `held`, kept until a rollback); the repositories it makes
share these so that a second ask in the same action costs no statement."""

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")
Memo = dict[Hashable, Any]


async def remembered(memo: Memo, key: Hashable, look_up: Callable[[], Awaitable[T]]) -> T:
    """`look_up()` once while `memo` keeps its answer."""
    if key not in memo:
        memo[key] = await look_up()
    return memo[key]
