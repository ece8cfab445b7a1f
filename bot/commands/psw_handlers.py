"""What the Principal Social Worker runs: campaigns, access, actions, schedules."""

from __future__ import annotations

from bot.commands import text
from bot.commands.access import access_holders
from bot.commands.briefing import brief_messages
from bot.commands.follow_up import (
    action_messages,
    post_you_said_messages,
    you_said_messages,
)
from bot.commands.grammar import CommandName
from bot.commands.naming import setting_free
from bot.commands.request import CommandRequest, CommandResult, one_notice
from bot.commands.schedule import (
    campaign_schedule_messages,
    pulse_schedule_messages,
    remind_messages,
)
from bot.conversation.messages import SummaryTable, Tone
from survey.campaigns import close_campaign, find_campaign, open_campaign
from survey.roster.roles import access_label


async def campaign(request: CommandRequest) -> CommandResult:
    """Explain the campaign commands."""
    return one_notice(text.campaign_usage())


async def campaign_open(request: CommandRequest) -> CommandResult:
    """Open the named campaign and invite its people."""
    name = request.command.argument
    if not name:
        return one_notice(text.campaign_name_needed(CommandName.CAMPAIGN_OPEN))
    async with request.sessions() as session, session.begin():
        campaign = await find_campaign(
            session, organisation_id=request.organisation.id, name=name, partial=True
        )
        invited = await open_campaign(session, campaign=campaign, now=request.now)
    return one_notice(text.campaign_opened(campaign.name, invited), Tone.SUCCESS)


async def campaign_close(request: CommandRequest) -> CommandResult:
    """Close the named campaign."""
    name = request.command.argument
    if not name:
        return one_notice(text.campaign_name_needed(CommandName.CAMPAIGN_CLOSE))
    async with request.sessions() as session, session.begin():
        campaign = await find_campaign(
            session, organisation_id=request.organisation.id, name=name, partial=True
        )
        await close_campaign(
            session, campaign=campaign, now=request.now, secret=request.secret
        )
    return one_notice(text.campaign_closed(campaign.name), Tone.SUCCESS)


async def who_has_access(request: CommandRequest) -> CommandResult:
    """List who can see results, and for which teams."""
    organisation = request.organisation
    async with request.sessions() as session:
        holders = await access_holders(session, organisation_id=organisation.id)
    if not holders:
        return one_notice(text.nobody_has_access())
    table = SummaryTable(
        title=text.access_title(organisation.name),
        columns=text.ACCESS_COLUMNS,
        rows=tuple(
            (
                holder.name,
                access_label(holder.access),
                text.access_scope(holder.access, holder.teams),
            )
            for holder in holders
        ),
        note=text.access_note(organisation.min_group_size),
    )
    return CommandResult((table,))


async def action(request: CommandRequest) -> CommandResult:
    """Add, update or list the actions taken on results."""
    messages = await action_messages(
        request.sessions,
        organisation=request.organisation,
        command=request.command,
        typed=request.typed or request.command.text,
        now=request.now,
    )
    return CommandResult(messages)


async def you_said(request: CommandRequest) -> CommandResult:
    """Show the you-said, we-did summary."""
    messages = await you_said_messages(
        request.sessions, organisation=request.organisation, command=request.command
    )
    return CommandResult(messages)


async def post_you_said(request: CommandRequest) -> CommandResult:
    """Post the you-said, we-did summary to the workforce channel."""
    messages = await post_you_said_messages(
        request.sessions,
        organisation=request.organisation,
        command=request.command,
        now=request.now,
        platforms=request.platforms,
    )
    return CommandResult(messages)


async def brief(request: CommandRequest) -> CommandResult:
    """Send a briefing to the workforce channel."""
    messages = await brief_messages(
        request.sessions,
        organisation=request.organisation,
        typed=request.typed or request.command.text,
        words=tuple(setting_free(request.command.args)),
        now=request.now,
        platforms=request.platforms,
    )
    return CommandResult(messages)


async def campaign_schedule(request: CommandRequest) -> CommandResult:
    """Set when a campaign opens, reminds and closes."""
    messages = await campaign_schedule_messages(
        request.sessions,
        organisation=request.organisation,
        args=request.command.args,
        typed=request.typed or request.command.text,
        now=request.now,
    )
    return CommandResult(messages)


async def remind(request: CommandRequest) -> CommandResult:
    """Plan a reminder for a group that has not answered."""
    messages = await remind_messages(
        request.sessions,
        organisation=request.organisation,
        args=request.command.args,
        typed=request.typed or request.command.text,
        now=request.now,
    )
    return CommandResult(messages)


async def pulse_schedule(request: CommandRequest) -> CommandResult:
    """Set how often pulse checks go out."""
    messages = await pulse_schedule_messages(
        request.sessions,
        organisation=request.organisation,
        typed=request.typed or request.command.text,
        now=request.now,
    )
    return CommandResult(messages)
