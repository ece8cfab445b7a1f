"""The comment and question theme taxonomy, tied to the LGA employer standards."""

from __future__ import annotations

THEMES: dict[str, str] = {
    "workload": "Workload and caseload",
    "stress_wellbeing": "Stress and wellbeing",
    "supervision": "Supervision",
    "management_support": "Management support",
    "teamwork": "Teamwork and peer support",
    "communication": "Communication and consultation",
    "learning_development": "Learning and development",
    "research": "Research and practice guidance",
    "pay_progression": "Pay and progression",
    "recruitment_retention": "Recruitment and retention",
    "equality_diversity": "Equality and diversity",
    "hybrid_working": "Hybrid and flexible working",
    "it_systems": "IT and systems",
    "recording_paperwork": "Recording and paperwork",
    "practice_model": "Practice model",
}

STANDARDS: dict[int, str] = {
    1: "Strong and clear social work framework",
    2: "Effective workforce planning systems",
    3: "Safe workloads and case allocation",
    4: "Wellbeing",
    5: "Supervision",
    6: "Continuing professional development",
    7: "Professional registration",
    8: "Strategic partnerships",
}
