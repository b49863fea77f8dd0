"""Telegram's sending limits as the sender keeps them (kept apart from the sender so that
reading the config does not load the Telegram client)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class SendLimits:
    """Seconds between two messages: to one private chat, to one group, and overall. The
    defaults keep a few percent under Telegram's published limits."""

    private_interval: float = 1.05
    group_interval: float = 3.1
    overall_interval: float = 1 / 29
    retry_base: float = 1.0  # the first retry after a 5xx or a network error; doubles each time
    max_backoff: float = 300.0
