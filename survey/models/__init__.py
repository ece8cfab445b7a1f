"""Database models; importing this package registers every table."""

from survey.models.campaigns import (
    Campaign,
    CampaignStatus,
    Draft,
    Participation,
    ParticipationStatus,
)
from survey.models.follow_up import Action, Announcement
from survey.models.jobs import Job, OutboxMessage
from survey.models.organisation import ManagerOf, Organisation, Person, Service, Team
from survey.models.responses import Answer, Comment, Response
from survey.models.templates import Template, TemplateQuestion

__all__ = [
    "Action",
    "Announcement",
    "Answer",
    "Campaign",
    "CampaignStatus",
    "Comment",
    "Draft",
    "Job",
    "ManagerOf",
    "Organisation",
    "OutboxMessage",
    "Participation",
    "ParticipationStatus",
    "Person",
    "Response",
    "Service",
    "Team",
    "Template",
    "TemplateQuestion",
]
