"""Participation while a survey is open, published so no submission can be timed.

A manager watching "Finished: 3" become 4 while one colleague closes their
laptop learns that colleague took part. So while a campaign is open, every
count of people who finished moves only in whole steps of the minimum group
size, rounded down (0, 5, 10 ... with the default of 5), and rates are worked
out from the stepped count. One submission changes nothing anyone sees unless
it completes a step, and a step stands for the minimum group size's worth of
submissions. Once the campaign has closed, exact counts are shown (for groups
the disclosure rules allow).
"""

from __future__ import annotations


def live_count(count: int, step: int) -> int:
    """``count`` rounded down to a whole number of ``step`` (e.g. 7, 5 -> 5).

    Raises:
        ValueError: a step below 1.
    """
    if step < 1:
        raise ValueError(f"the step must be 1 or more (got {step})")
    return count - count % step
