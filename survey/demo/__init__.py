"""The demo council: a made-up council with two years of history and a story."""

from survey.demo.answers import generate_answers
from survey.demo.council import DEMO_NAME, DEMO_SLUG, FEATURED_MANAGER, TEAMS, DemoTeam
from survey.demo.seeding import BRIEFING_TITLE, seed_demo

__all__ = [
    "BRIEFING_TITLE",
    "DEMO_NAME",
    "DEMO_SLUG",
    "FEATURED_MANAGER",
    "TEAMS",
    "DemoTeam",
    "generate_answers",
    "seed_demo",
]
