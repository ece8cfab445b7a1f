"""What the demo's staff write, by theme: varied, each about its own theme.

A respondent writes about the themes their team talks about most, in a worse or
better light depending on how they feel, so the themes and quotes a manager sees
match the team's figures.
"""

from __future__ import annotations

import random

GRIPES: dict[str, tuple[str, ...]] = {
    "workload": (
        "Caseloads are too high to do the work properly and I often work late.",
        "I have too many cases to spend real time with families.",
        "Duty weeks are relentless and the backlog never goes down.",
        "My workload is not manageable; I finish most evenings at eight.",
        "We are short staffed so allocation keeps landing on the same people.",
    ),
    "stress_wellbeing": (
        "I am exhausted and close to burnout after this winter.",
        "Morale in the team is low and people are off with stress.",
        "I feel anxious on Sunday evenings about the week ahead.",
        "There is no space to recover after a difficult visit; my wellbeing suffers.",
    ),
    "supervision": (
        "Supervision keeps getting cancelled because of duty pressures.",
        "My supervision is only ever case talk; there is no reflective space.",
        "I have not had supervision for two months.",
    ),
    "management_support": (
        "My manager is stretched too thin to be available when I need advice.",
        "Senior managers feel distant; we rarely see them on the floor.",
        "I need more support from my manager when a case goes wrong.",
    ),
    "teamwork": (
        "Teamwork has suffered; colleagues rarely help each other now.",
        "There is little peer support since half the team left.",
    ),
    "communication": (
        "We hear about changes after they are decided; consult us first.",
        "Communication from senior leaders is patchy and often too late.",
        "Nobody consulted us about the new rota before it started.",
    ),
    "learning_development": (
        "Training gets cancelled whenever the team is busy.",
        "There is no protected time for learning and development.",
    ),
    "research": (
        "I would like time to read research and keep up with practice guidance.",
        "We never have time to look at research evidence behind what we do.",
    ),
    "pay_progression": (
        "Career progression is unclear; there is no route to senior practitioner.",
        "Agency colleagues are paid far more for the same work, which is demoralising.",
        "Pay has not kept up and I am thinking about leaving for a better salary.",
    ),
    "recruitment_retention": (
        "We keep losing experienced staff and the vacancies are filled by locums.",
        "Recruitment is too slow; posts stay vacant for months.",
        "Three colleagues left this year and the vacancies are still open.",
    ),
    "equality_diversity": (
        "I have experienced racist comments from a family and did not feel supported.",
        "Reasonable adjustments took far too long to be put in place.",
    ),
    "hybrid_working": (
        "Hybrid working suits me but the office has nowhere to have a private call.",
        "Hot desking means I spend half an hour of every office day finding a desk.",
    ),
    "it_systems": (
        "Please fix the case recording system; it crashes and I re-enter my notes.",
        "Laptops are old and slow; we lose time every day waiting for them.",
        "Mosaic is slow and logs me out in the middle of writing an assessment.",
    ),
    "recording_paperwork": (
        "Too much paperwork: duplicated forms asking for the same information twice.",
        "Case recording takes longer than the visit itself.",
        "The assessment forms are far too long for what they are used for.",
    ),
    "practice_model": (
        "The practice model makes sense but we never have time to use it properly.",
        "The new practice framework was rolled out without any training.",
    ),
}

PRAISE: dict[str, tuple[str, ...]] = {
    "workload": (
        "My caseload is manageable now that the new posts are filled.",
        "Workload has eased since the duty rota changed.",
    ),
    "stress_wellbeing": (
        "The wellbeing sessions have really helped the team's morale.",
        "I feel far less stressed than a year ago.",
    ),
    "supervision": (
        "Reflective group supervision has been really helpful.",
        "My supervision is regular and I always come away clearer.",
    ),
    "management_support": (
        "My team manager is brilliant and always makes time for me.",
        "I feel supported by my manager, especially after difficult visits.",
    ),
    "teamwork": (
        "Peer support in my team is what keeps me going.",
        "Great team, everyone helps each other out.",
    ),
    "communication": (
        "The monthly briefings from senior leaders are clear and honest.",
        "We were consulted properly about the new office moves.",
    ),
    "learning_development": (
        "I feel valued and the training offer has been really good this year.",
        "The learning and development programme for ASYEs is excellent.",
    ),
    "research": (
        "The research in practice sessions are useful for my work with families.",
    ),
    "pay_progression": (
        "The new progression scheme gives me a clear route to senior practitioner.",
    ),
    "recruitment_retention": (
        "Good induction, everyone was welcoming, and I plan to stay.",
    ),
    "equality_diversity": (
        "The equality and diversity network has made me feel I belong here.",
    ),
    "hybrid_working": (
        "Flexible working lets me manage childcare and I am grateful for it.",
    ),
    "it_systems": ("The new laptops are much faster, thank you.",),
    "recording_paperwork": ("The shorter assessment forms have saved me hours.",),
    "practice_model": ("The practice model gives us a shared language with families.",),
}


def comment(rng: random.Random, themes: tuple[str, ...], feeling: float) -> str:
    """One comment about one of ``themes``: a gripe or praise by ``feeling`` (-1..1)."""
    theme = themes[min(len(themes) - 1, int(rng.triangular(0, len(themes), 0)))]
    praise = rng.random() < 0.5 + 0.45 * feeling
    pool = PRAISE if praise and theme in PRAISE else GRIPES
    return rng.choice(pool.get(theme) or GRIPES["workload"])
