"""Working hours and typed local times, including both clock changes (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from survey.errors import ScheduleError
from survey.schedule.working_hours import (
    is_working_time,
    local_words,
    next_working_time,
    parse_local_time,
)

LONDON = "Europe/London"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "working"),
    [
        (utc(2026, 12, 1, 9, 0), True),  # Tuesday 09:00 GMT: the first minute
        (utc(2026, 12, 1, 16, 59), True),
        (utc(2026, 12, 1, 17, 0), False),  # 17:00 is home time
        (utc(2026, 12, 1, 8, 59), False),
        (utc(2026, 12, 5, 11, 0), False),  # Saturday
        (utc(2026, 12, 6, 11, 0), False),  # Sunday
        (utc(2026, 7, 1, 8, 30), True),  # 09:30 BST in summer
        (utc(2026, 7, 1, 16, 30), False),  # 17:30 BST
    ],
)
def test_working_time_is_weekdays_nine_to_five_on_the_local_clock(
    moment: datetime, working: bool
) -> None:
    assert is_working_time(moment, timezone=LONDON) is working


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Friday evening -> Monday 09:00.
        (utc(2026, 12, 4, 18, 0), utc(2026, 12, 7, 9, 0)),
        # Saturday -> Monday.
        (utc(2026, 12, 5, 12, 0), utc(2026, 12, 7, 9, 0)),
        # Early on a weekday -> 09:00 the same day.
        (utc(2026, 12, 8, 6, 0), utc(2026, 12, 8, 9, 0)),
        # Already working time: unchanged.
        (utc(2026, 12, 8, 11, 15), utc(2026, 12, 8, 11, 15)),
        # Friday 23 October 18:30 BST; the clocks go back on Sunday, so Monday
        # 09:00 is GMT, 09:00 UTC (not 08:00).
        (utc(2026, 10, 23, 17, 30), utc(2026, 10, 26, 9, 0)),
        # Friday 27 March 17:30 GMT; the clocks go forward on Sunday, so Monday
        # 09:00 is BST, 08:00 UTC.
        (utc(2026, 3, 27, 17, 30), utc(2026, 3, 30, 8, 0)),
    ],
)
def test_the_next_working_time_skips_nights_and_weekends_across_clock_changes(
    moment: datetime, expected: datetime
) -> None:
    found = next_working_time(moment, timezone=LONDON)

    assert found == expected
    assert is_working_time(found, timezone=LONDON)


def test_a_time_without_an_offset_is_the_organisations_local_time() -> None:
    winter = parse_local_time("2026-12-01T09:00", timezone=LONDON, what="time")
    summer = parse_local_time("2026-07-01 09:00", timezone=LONDON, what="time")
    paris = parse_local_time("2026-12-01T09:00", timezone="Europe/Paris", what="time")

    assert winter == utc(2026, 12, 1, 9, 0)
    assert summer == utc(2026, 7, 1, 8, 0)
    assert paris == utc(2026, 12, 1, 8, 0)


def test_a_typed_offset_is_honoured() -> None:
    assert parse_local_time(
        "2026-12-01T09:00+02:00", timezone=LONDON, what="time"
    ) == utc(2026, 12, 1, 7, 0)
    assert parse_local_time("2026-12-01T09:00Z", timezone=LONDON, what="time") == utc(
        2026, 12, 1, 9, 0
    )
    fixed = parse_local_time("2026-12-01T09:00-05:00", timezone=LONDON, what="time")
    assert fixed == datetime(2026, 12, 1, 9, 0, tzinfo=timezone(timedelta(hours=-5)))


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2026-12-01", "needs a time too"),
        ("tomorrow at nine", "I can't read the opening time 'tomorrow at nine'"),
        ("2026-13-01T09:00", "I can't read"),
        ("31/02/2026 09:00", "I can't read"),  # no such day
        # 01:30 on 29 March 2026 never happens in London: the clocks skip it.
        ("2026-03-29T01:30", "does not exist in Europe/London"),
    ],
)
def test_unreadable_or_impossible_times_are_refused_clearly(
    typed: str, says: str
) -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_local_time(typed, timezone=LONDON, what="opening time")

    assert says in str(refused.value)
    assert "2026-12-01T09:00" in str(refused.value) or "clocks" in str(refused.value)


def test_an_hour_that_happens_twice_takes_the_first() -> None:
    # 01:30 on 25 October 2026 happens in BST and again in GMT.
    assert parse_local_time("2026-10-25T01:30", timezone=LONDON, what="time") == utc(
        2026, 10, 25, 0, 30
    )


def test_times_are_told_in_local_words() -> None:
    assert (
        local_words(utc(2026, 7, 1, 8, 0), timezone=LONDON)
        == "Wednesday 1 July 2026 09:00"
    )
