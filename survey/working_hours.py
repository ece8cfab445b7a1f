"""When the organisation is at work: reminders never go out at weekends or at night."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

START = time(9, 0)
END = time(17, 0)


def is_working_time(moment: datetime, *, timezone: str) -> bool:
    """True on a weekday between 09:00 and 17:00 local time."""
    local = moment.astimezone(ZoneInfo(timezone))
    return local.weekday() < 5 and START <= local.time() < END


def next_working_time(moment: datetime, *, timezone: str) -> datetime:
    """``moment`` if it is working time, else the next 09:00 on a weekday (in UTC)."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    if is_working_time(moment, timezone=timezone):
        return moment
    day = local.date() if local.time() < START else local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, START, tzinfo=zone).astimezone(moment.tzinfo)
