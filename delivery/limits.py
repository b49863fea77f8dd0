"""Telegram's sending limits as the sender keeps them (kept apart from the sender so that
reading the config does not load the Telegram client)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SendLimits:
    """Seconds between two messages: to one private chat, to one group, and overall. The
    defaults keep 10% under Telegram's published limits, because two requests sent a
    second apart can arrive closer together (bench/sending.py measures it)."""

    private_interval: float = 1.1
    group_interval: float = 3.3
    overall_interval: float = 1.1 / 30
    retry_base: float = 1.0  # the first retry after a 5xx or a network error; doubles each time
    max_backoff: float = 300.0
    recheck_interval: float = 300.0  # how often a staff group that refuses the bot is tried again
