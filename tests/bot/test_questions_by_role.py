"""Questions asked by roster role, through the commands a person types."""

from __future__ import annotations

from builders import NOW, SECRET, SmallOrg, small_org
from sqlmodel import select

from bot.commands import dispatch
from bot.conversation.flow import Answer, Event, survey_length
from bot.conversation.messages import Prompt
from bot.conversation.service import flow_context, handle_event
from survey.campaigns import Audience, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.models import Campaign, Participation, Person
from survey.questions.bank import load_all
from survey.questions.catalogue import sync_templates

HEALTH_CHECK = "social-worker-health-check"


async def health_check_for(
    sessions: SessionFactory, org: SmallOrg, *, asye: Person
) -> Campaign:
    """Open the shipped social worker health check, with ``asye`` newly qualified."""
    async with sessions() as session, session.begin():
        person = await session.get(Person, asye.id)
        assert person is not None
        person.role = "asye_social_worker"
        await sync_templates(
            session, templates=[t for t in load_all() if t.key == HEALTH_CHECK]
        )
        campaign = await create_campaign(
            session,
            organisation_id=org.organisation.id,
            template_key=HEALTH_CHECK,
            name="Health check 2026",
            year=2026,
            audience=Audience(),
        )
        await open_campaign(session, campaign=campaign, now=NOW)
    return campaign


async def first_prompt(sessions: SessionFactory, person: Person) -> Prompt:
    result = await dispatch(
        sessions, secret=SECRET, person=person, text="start health check", now=NOW
    )
    prompt = result.messages[-1]
    assert isinstance(prompt, Prompt)
    return prompt


async def question_ids(
    sessions: SessionFactory, campaign: Campaign, person: Person
) -> list[str]:
    async with sessions() as session:
        participation = (
            await session.exec(
                select(Participation).where(
                    Participation.campaign_id == campaign.id,
                    Participation.person_id == person.id,
                )
            )
        ).one()
        context = await flow_context(
            session, campaign=campaign, participation=participation
        )
    return [question.id for question in context.definition.questions]


async def test_the_asye_question_is_asked_of_newly_qualified_staff_only(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    newly_qualified, experienced = org.people[0], org.people[1]
    campaign = await health_check_for(sessions, org, asye=newly_qualified)

    asye_first = await first_prompt(sessions, newly_qualified)
    other_first = await first_prompt(sessions, experienced)

    assert asye_first.progress.total == other_first.progress.total + 1
    assert "CP06" in await question_ids(sessions, campaign, newly_qualified)
    assert "CP06" not in await question_ids(sessions, campaign, experienced)


async def test_the_intro_count_is_the_persons_own_and_does_not_grow(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    experienced = org.people[1]
    campaign = await health_check_for(sessions, org, asye=org.people[0])
    async with sessions() as session:
        participation = (
            await session.exec(
                select(Participation).where(
                    Participation.campaign_id == campaign.id,
                    Participation.person_id == experienced.id,
                )
            )
        ).one()
        context = await flow_context(
            session, campaign=campaign, participation=participation
        )
    asked, follow_ups = survey_length(context)

    # Answering every question the way that asks the most follow-ups never goes
    # past the stated maximum.
    prompt = await first_prompt(sessions, experienced)
    assert prompt.progress.total == asked
    most = asked
    for _ in range(asked + follow_ups + 1):
        choice = _most_follow_ups(prompt)
        event: Event = Answer(prompt.question_id, choice)
        turn = await handle_event(
            sessions,
            secret=SECRET,
            person=experienced,
            campaign=campaign,
            event=event,
            now=NOW,
        )
        shown = turn.messages[-1]
        if not isinstance(shown, Prompt):
            break
        prompt = shown
        most = max(most, prompt.progress.total)
    assert asked < most <= asked + follow_ups
    assert len(context.definition.questions) == asked + follow_ups


def _most_follow_ups(prompt: Prompt) -> str:
    """An answer that opens follow-ups where there are any (yes, unlikely)."""
    codes = [choice.value for choice in prompt.choices]
    for wanted in ("yes", "very_unlikely"):
        if wanted in codes:
            return wanted
    if prompt.minimum is not None:
        return str(prompt.minimum)
    if codes:
        return codes[0]
    return "Some words."
