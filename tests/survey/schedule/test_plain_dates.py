"""Times typed as people write them in an email, read on the organisation's clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from survey.errors import ScheduleError
from survey.schedule.plain_dates import read_plain_time
from survey.schedule.working_hours import parse_local_time

# Friday 4 December 2026.
TODAY = date(2026, 12, 4)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("tomorrow 9am", (date(2026, 12, 5), time(9, 0))),
        ("Tomorrow at 9:30 am", (date(2026, 12, 5), time(9, 30))),
        ("today 15:45", (date(2026, 12, 4), time(15, 45))),
        ("Monday 9am", (date(2026, 12, 7), time(9, 0))),
        ("mon 9am", (date(2026, 12, 7), time(9, 0))),
        ("next Friday at 2pm", (date(2026, 12, 11), time(14, 0))),
        ("Friday noon", (date(2026, 12, 11), time(12, 0))),
        ("9am Tuesday", (date(2026, 12, 8), time(9, 0))),
        ("3 December 10am", (date(2027, 12, 3), time(10, 0))),
        ("14 Dec 2026 10:00", (date(2026, 12, 14), time(10, 0))),
        ("December 14th, 9.30pm", (date(2026, 12, 14), time(21, 30))),
        ("14/12/2026 09:00", (date(2026, 12, 14), time(9, 0))),
        ("5/1 12am", (date(2027, 1, 5), time(0, 0))),
        ("12/1/27 12pm", (date(2027, 1, 12), time(12, 0))),
    ],
)
def test_common_forms_are_read_on_the_local_clock(
    typed: str, expected: tuple[date, time]
) -> None:
    plain = read_plain_time(typed, today=TODAY)
    assert plain is not None, typed
    assert (plain.day, plain.at) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "tomorrow",  # no time
        "9am",  # no day
        "Monday 9",  # a bare number is not a time
        "31/2/2027 9am",  # no such day
        "Monday 13pm",
        "Monday 9:75",
        "soonish",
        "the 5th 9am",
    ],
)
def test_what_is_not_a_time_is_not_guessed(typed: str) -> None:
    assert read_plain_time(typed, today=TODAY) is None


def test_a_plain_time_becomes_utc_on_the_organisations_clock() -> None:
    # 4 December 2026 at 20:00 UTC is still Friday in London.
    now = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
    summer = datetime(2026, 6, 4, 20, 0, tzinfo=UTC)
    assert parse_local_time(
        "Monday 9am", timezone="Europe/London", what="time", now=now
    ) == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert parse_local_time(
        "tomorrow 9am", timezone="Europe/London", what="time", now=summer
    ) == datetime(2026, 6, 5, 8, 0, tzinfo=UTC)


def test_an_unreadable_time_says_what_is_accepted() -> None:
    with pytest.raises(ScheduleError) as refused:
        parse_local_time("whenever", timezone="Europe/London", what="opening time")
    assert str(refused.value) == (
        "I can't read the opening time 'whenever'; write it like \"Monday 9am\", "
        '"tomorrow 14:30" or "3 December 10am" or 2026-12-01T09:00.'
    )


def test_a_skipped_hour_in_words_is_refused() -> None:
    # The clocks go forward at 01:00 UTC on Sunday 28 March 2027.
    now = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)
    with pytest.raises(ScheduleError, match="does not exist"):
        parse_local_time(
            "Sunday 1:30am", timezone="Europe/London", what="time", now=now
        )
