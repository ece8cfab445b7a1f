"""Database models; importing this package registers every table."""

from survey.models.audit import AuditEvent
from survey.models.campaigns import (
    Campaign,
    CampaignStatus,
    Draft,
    Participation,
    ParticipationStatus,
    ParticipationTally,
    PulseSchedule,
)
from survey.models.conversations import ChatConversation, ChatDelivery
from survey.models.follow_up import Action, Announcement, Target
from survey.models.jobs import Job, LocalDelivery, OutboxMessage
from survey.models.links import PersonalLink
from survey.models.organisation import ManagerOf, Organisation, Person, Service, Team
from survey.models.responses import Answer, Comment, Response, SealedResponse
from survey.models.slack import SlackEvent, SlackWorkspace
from survey.models.templates import Template, TemplateQuestion
from survey.models.web_sessions import WebSession

__all__ = [
    "Action",
    "Announcement",
    "Answer",
    "AuditEvent",
    "Campaign",
    "CampaignStatus",
    "ChatConversation",
    "ChatDelivery",
    "Comment",
    "Draft",
    "Job",
    "LocalDelivery",
    "ManagerOf",
    "Organisation",
    "OutboxMessage",
    "Participation",
    "ParticipationStatus",
    "ParticipationTally",
    "Person",
    "PersonalLink",
    "PulseSchedule",
    "Response",
    "SealedResponse",
    "Service",
    "SlackEvent",
    "SlackWorkspace",
    "Target",
    "Team",
    "Template",
    "TemplateQuestion",
    "WebSession",
]
