"""A person's own open surveys and how far they have got, for status and start.

Only ever about the person asking: whether they have sent, and how many
questions their own draft has answered. Never what they answered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.conversation.flow import FlowState, applicable
from bot.conversation.service import flow_context
from survey.answering import load_draft, participation_of
from survey.campaigns import list_campaigns, require_open
from survey.errors import CampaignClosedError, NotInvitedError
from survey.models import Campaign, ParticipationStatus, Person
from survey.roster.roles import normalise_code


@dataclass(frozen=True)
class SurveyProgress:
    """One open survey sent to the person, and their progress on it."""

    campaign: Campaign
    template_key: str
    sent: bool
    answered: int
    total: int
    closes_on: date | None = None
    current: str | None = None
    """Where the person's saved draft stands (a question id or the review)."""

    @property
    def in_progress(self) -> bool:
        """Whether the person has begun this survey and not sent it."""
        return not self.sent and self.current is not None

    @property
    def started(self) -> bool:
        """Whether any question has been answered (or skipped) yet."""
        return self.answered > 0


async def open_surveys(
    session: AsyncSession, *, secret: bytes, person: Person, now: datetime
) -> list[SurveyProgress]:
    """The person's open surveys, oldest first, with their progress."""
    campaigns = await list_campaigns(session, organisation_id=person.organisation_id)
    surveys = []
    for campaign, template in reversed(campaigns):
        try:
            require_open(campaign, now=now)
            participation = await participation_of(
                session, person=person, campaign=campaign
            )
        except (CampaignClosedError, NotInvitedError):
            continue
        context = await flow_context(
            session, campaign=campaign, participation=participation
        )
        sent = participation.status == ParticipationStatus.COMPLETED
        answered = total = 0
        current = None
        if not sent:
            draft = await load_draft(
                session, secret=secret, person=person, campaign=campaign
            )
            asked = applicable(context, FlowState(answers=draft.answers))
            total = len(asked)
            answered = sum(1 for question in asked if question.id in draft.answers)
            current = draft.current
        surveys.append(
            SurveyProgress(
                campaign=campaign,
                template_key=template.key,
                sent=sent,
                answered=answered,
                total=total,
                closes_on=context.closes_on,
                current=current,
            )
        )
    return surveys


def match_surveys(surveys: list[SurveyProgress], query: str) -> list[SurveyProgress]:
    """The surveys ``query`` names: its exact name, else a name or template prefix.

    "start pulse" finds a "pulse-check" campaign; "start health check" finds
    "Health check 2026".
    """
    wanted = _words(query)
    if not wanted:
        return list(surveys)
    exact = [survey for survey in surveys if _words(survey.campaign.name) == wanted]
    if exact:
        return exact
    key_prefix = normalise_code(query).replace("_", "-")
    return [
        survey
        for survey in surveys
        if _words(survey.campaign.name).startswith(wanted)
        or (key_prefix and survey.template_key.startswith(key_prefix))
    ]


def _words(text: str) -> str:
    return " ".join(text.casefold().split())
