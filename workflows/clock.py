"""Business-time arithmetic for pausing a deadline: how much business time is left, and where it ends.

Business time runs only on business days of Chile (`workflows.deadlines.is_business_day`: weekends and
holidays off), the whole local day; hour deadlines (emergencies) run on plain clock time.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from workflows.deadlines import is_business_day

DAY = timedelta(days=1)


def _local_midnight_after(moment: datetime) -> datetime:
    local = timezone.localtime(moment)
    next_day = local.date() + DAY
    return timezone.make_aware(datetime.combine(next_day, time.min), local.tzinfo)


def business_seconds_between(start: datetime, end: datetime) -> float:
    """Seconds of business days between `start` and `end` (0 when end is not after start)."""
    total = 0.0
    cursor = start
    while cursor < end:
        day_end = min(_local_midnight_after(cursor), end)
        if is_business_day(timezone.localtime(cursor).date()):
            total += (day_end - cursor).total_seconds()
        cursor = day_end
    return total


def add_business_seconds(start: datetime, seconds: float) -> datetime:
    """The moment `seconds` of business time after `start`, skipping weekends and holidays."""
    remaining = seconds
    cursor = start
    while True:
        day_end = _local_midnight_after(cursor)
        if is_business_day(timezone.localtime(cursor).date()):
            available = (day_end - cursor).total_seconds()
            if remaining <= available:
                return cursor + timedelta(seconds=remaining)
            remaining -= available
        cursor = day_end


def remaining_time(*, due_at: datetime, now: datetime, business: bool) -> float:
    """What is left of a deadline at `now`, in seconds of business time (or plain time)."""
    if business:
        return business_seconds_between(now, due_at)
    return max((due_at - now).total_seconds(), 0.0)


def resumed_due_at(*, remaining_seconds: float, now: datetime, business: bool) -> datetime:
    """The new deadline when the clock starts again at `now` with `remaining_seconds` left."""
    if business:
        return add_business_seconds(now, remaining_seconds)
    return now + timedelta(seconds=remaining_seconds)
