"""Visit times an engineer can offer: the next days' usual hours within office hours."""

from datetime import datetime, time, timedelta, tzinfo

SLOT_HOURS = (9, 11, 14, 16, 18)


def offerable_slots(
    now: datetime, tz: tzinfo, opens: time, closes: time, days: int = 3, lead: timedelta = timedelta(hours=1)
) -> list[datetime]:
    """Slots from `lead` after now over the next `days` days, in the property's office hours."""
    local_now = now.astimezone(tz)
    slots = []
    for offset in range(days + 1):
        day = local_now.date() + timedelta(days=offset)
        for hour in SLOT_HOURS:
            start = datetime.combine(day, time(hour), tzinfo=tz)
            if opens <= start.time() < closes and start >= local_now + lead:
                slots.append(start.astimezone(now.tzinfo))
    return slots[: 3 * len(SLOT_HOURS)]
