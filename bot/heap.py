"""The garbage collector, set for a process that serves for weeks.

Python's full collection walks every object the process holds. Once the bot is built,
about 250,000 of them (aiogram, SQLAlchemy, the routers, the catalogs) stay for the whole
life of the process, and each full collection walked them all again: 125 ms a time, 8% of
the CPU of a storm of owners (bench/intake.py). Frozen after the build, they are left out of
every later collection. The young generation is also collected less often: an update makes
thousands of short-lived objects, and most are freed by their reference count before a
collection would have had to look at them.
"""

import gc

YOUNG_THRESHOLD = 10_000  # objects made before the youngest generation is collected (Python's default: 700)


def settle() -> None:
    """Collect what building left behind, then freeze the rest; call once, when built."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
