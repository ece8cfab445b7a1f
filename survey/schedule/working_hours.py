"""When the organisation is at work: reminders never go out at weekends or at night.

Times people type are read on the organisation's clock unless they carry an
offset, and the clock changes (spring and autumn) are taken into account.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from survey.errors import ScheduleError
from survey.schedule.plain_dates import PLAIN_EXAMPLE, read_plain_time

START = time(9, 0)
END = time(17, 0)
EXAMPLE = f"like {PLAIN_EXAMPLE} or 2026-12-01T09:00"


def is_working_time(moment: datetime, *, timezone: str) -> bool:
    """True on a weekday between 09:00 and 17:00 local time."""
    local = moment.astimezone(ZoneInfo(timezone))
    return local.weekday() < 5 and START <= local.time() < END


def next_working_time(moment: datetime, *, timezone: str) -> datetime:
    """``moment`` if it is working time, else the next 09:00 on a weekday."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    if is_working_time(moment, timezone=timezone):
        return moment
    day = local.date() if local.time() < START else local.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, START, tzinfo=zone).astimezone(moment.tzinfo)


def parse_local_time(
    text: str, *, timezone: str, what: str, now: datetime | None = None
) -> datetime:
    """Read a typed time on the organisation's clock, in words or ISO form.

    Args:
        text: What was typed: "Monday 9am", "tomorrow 14:30", "3 Dec 10am"
            (``survey.schedule.plain_dates``), or an ISO date and time such as
            ``2026-12-01T09:00``, optionally with an offset.
        timezone: The organisation's time zone, for times without an offset.
        what: What the time is for, in words ("opening time"), for messages.
        now: The time "today" and "Monday" are counted from (default: now).

    Returns:
        The time in UTC. An hour that happens twice (clocks going back) is the
        first of the two.

    Raises:
        ScheduleError: no time given, unreadable, or a time the local clocks
            skip when they go forward.
    """
    typed = text.strip()
    zone = ZoneInfo(timezone)
    try:
        moment = datetime.fromisoformat(typed)
    except ValueError:
        today = (now or datetime.now(UTC)).astimezone(zone).date()
        plain = read_plain_time(typed, today=today)
        if plain is None:
            raise ScheduleError(
                f"I can't read the {what} '{typed}'; write it {EXAMPLE}."
            ) from None
        moment = plain.local()
    else:
        if len(typed) <= len("2026-12-01"):
            raise ScheduleError(f"The {what} '{typed}' needs a time too, {EXAMPLE}.")
        if moment.tzinfo is not None:
            return moment.astimezone(UTC)
    local = moment.replace(tzinfo=zone)
    # A skipped time (01:30 as the clocks go forward) does not survive a round trip.
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise ScheduleError(
            f"The {what} {typed} does not exist in {timezone} because the clocks "
            "change then; choose another time."
        )
    # In UTC: an hour that happens twice would otherwise compare unequal to itself.
    return local.astimezone(UTC)


def local_words(moment: datetime, *, timezone: str) -> str:
    """A time on the organisation's clock in words: "Tuesday 1 December 2026 09:00"."""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local:%A} {local.day} {local:%B %Y} {local:%H:%M}"
