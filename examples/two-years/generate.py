"""Write the worked example's Microsoft Forms style exports from fixed proportions.

Two years (2025, 2026) of two health checks (social work, wider workforce). Each
answer column is filled from ``PROPORTIONS``: the first ``k`` rows of ``n`` give
the favourable answer, the rest the unfavourable one, so every figure the report
prints can be worked out by hand (k / n). Run it to rebuild the CSV files:

    python examples/two-years/generate.py
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent

# Headings as Microsoft Forms writes them: the question's wording.
WORKLOAD = "I can do my workload safely within my contracted hours."
STRESS = "My job often makes me feel stressed."
SAFE = "Do you feel safe at work, including on visits and when working alone?"
AWARE = "Are you aware of the council's practice improvement plan?"
SUPERVISION = "Overall, my supervision is good quality."

# (file stem): respondents, US or UK dates, teams, and per heading
# (favourable answer, other answer, how many of the respondents give the first).
ROUNDS: dict[str, dict[str, object]] = {
    "sw-2025": {
        "respondents": 40,
        "dates": ("3/14/2025 10:07:00 AM", "3/21/2025 4:15:00 PM"),
        "teams": ("Front Door", "Children in Care", "Hospital Discharge"),
        "answers": {
            WORKLOAD: ("Agree", "Disagree", 18),
            STRESS: ("Disagree", "Agree", 12),
            SAFE: ("Yes", "No", 30),
            AWARE: ("Yes", "No", 14),
            SUPERVISION: ("Strongly agree", "Neither agree nor disagree", 26),
        },
    },
    "sw-2026": {
        "respondents": 44,
        "dates": ("3/13/2026 9:30:00 AM", "3/20/2026 2:45:00 PM"),
        "teams": ("Front Door", "Children in Care", "Hospital Discharge"),
        "answers": {
            WORKLOAD: ("Agree", "Disagree", 26),
            STRESS: ("Disagree", "Agree", 15),
            SAFE: ("Yes", "No", 35),
            AWARE: ("Yes", "No", 31),
            SUPERVISION: ("Strongly agree", "Neither agree nor disagree", 30),
        },
    },
    "workforce-2025": {
        "respondents": 30,
        "dates": ("3/14/2025 11:00:00 AM", "3/24/2025 3:00:00 PM"),
        "teams": ("Family Support", "Hospital Discharge"),
        "answers": {
            WORKLOAD: ("Agree", "Disagree", 15),
            STRESS: ("Disagree", "Agree", 9),
            SAFE: ("Yes", "No", 21),
            SUPERVISION: ("Agree", "Disagree", 18),
        },
    },
    "workforce-2026": {
        "respondents": 32,
        "dates": ("3/13/2026 11:00:00 AM", "3/23/2026 3:00:00 PM"),
        "teams": ("Family Support", "Hospital Discharge"),
        "answers": {
            WORKLOAD: ("Agree", "Disagree", 20),
            STRESS: ("Disagree", "Agree", 8),
            SAFE: ("Yes", "No", 24),
            SUPERVISION: ("Agree", "Disagree", 16),
        },
    },
}
JOB_TITLES = {
    "sw": ("Social Worker", "Senior Practitioner", "Advanced Practitioner"),
    "workforce": (
        "Family Support Worker",
        "Reablement Assistant",
        "Educational Psychologist",
    ),
}


def rows(stem: str) -> list[list[str]]:
    """The export's rows, heading first."""
    spec = ROUNDS[stem]
    answers: dict[str, tuple[str, str, int]] = spec["answers"]  # type: ignore[assignment]
    teams: tuple[str, ...] = spec["teams"]  # type: ignore[assignment]
    dates: tuple[str, ...] = spec["dates"]  # type: ignore[assignment]
    titles = JOB_TITLES[stem.split("-")[0]]
    heading = ["ID", "Start time", "Completion time", "Email", "Name",
               "Which team are you in?", "What is your job title?",
               *answers]  # fmt: skip
    out = [heading]
    for n in range(int(spec["respondents"])):  # type: ignore[call-overload]
        when = dates[n % len(dates)]
        cells = [str(n + 1), when, when, "anonymous", "", teams[n % len(teams)],
                 titles[n % len(titles)]]  # fmt: skip
        cells += [first if n < k else other for first, other, k in answers.values()]
        out.append(cells)
    return out


def main() -> None:
    """Write the four exports beside this script."""
    for stem in ROUNDS:
        with (HERE / f"{stem}.csv").open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows(stem))


if __name__ == "__main__":
    main()
