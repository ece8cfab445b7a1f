"""The App Home tab: open surveys, progress, "you said, we did", summaries.

It shows the person's open surveys and how far they have got, the latest "you
said, we did", and, for managers and the PSW, where their summaries are.

Published with ``views.publish`` whenever the person opens the tab, so it is
always drawn from the database as it is now.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands.access import standing_of
from bot.commands.progress import SurveyProgress, open_surveys
from bot.commands.text import progress as progress_words
from bot.slack import ids, text
from bot.slack.blocks import (
    MAX_SECTION,
    MAX_VIEW_BLOCKS,
    Block,
    button,
    context,
    header,
    packed,
    section,
)
from bot.slack.escape import mrkdwn, shorten
from survey.follow_up.you_said import YOU_SAID
from survey.models import Announcement, Organisation, Person
from survey.roster.roles import Access

MAX_SURVEYS = 20
YOU_SAID_LENGTH = 1500


async def latest_you_said(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> Announcement | None:
    """The organisation's most recent "you said, we did" post."""
    return (
        await session.exec(
            select(Announcement)
            .where(
                Announcement.organisation_id == organisation_id,
                Announcement.kind == YOU_SAID,
                col(Announcement.posted_at).is_not(None),
            )
            .order_by(col(Announcement.posted_at).desc())
        )
    ).first()


async def home_view(
    session: AsyncSession,
    *,
    secret: bytes,
    organisation: Organisation,
    person: Person | None,
    now: datetime,
) -> Block:
    """The Home tab for one person (or for someone not on the roster)."""
    blocks: list[Block] = [header(f"Health Check · {organisation.name}")]
    if person is None:
        blocks.append(section(mrkdwn(text.HOME_NOT_ON_ROSTER)))
        return {"type": "home", "blocks": blocks}
    standing = await standing_of(session, person=person)
    surveys = await open_surveys(session, secret=secret, person=person, now=now)
    blocks.append(section(f"*{mrkdwn(text.HOME_SURVEYS)}*"))
    if not surveys:
        blocks.append(section(mrkdwn(text.HOME_NO_SURVEYS)))
    for survey in surveys[:MAX_SURVEYS]:
        blocks.append(_survey_block(survey))
    blocks.append({"type": "divider"})
    blocks.append(section(f"*{mrkdwn(text.HOME_YOU_SAID)}*"))
    latest = await latest_you_said(session, organisation_id=organisation.id)
    if latest is None:
        blocks.append(section(mrkdwn(text.HOME_NO_YOU_SAID)))
    else:
        words = (
            f"*{mrkdwn(latest.title)}*\n{mrkdwn(shorten(latest.body, YOU_SAID_LENGTH))}"
        )
        blocks.extend(section(chunk) for chunk in packed([words], MAX_SECTION))
    if standing is not None:
        pointer = text.manager_pointer(
            manager=standing.access == Access.MANAGER,
            psw=standing.access == Access.PSW,
        )
        if pointer:
            blocks.append({"type": "divider"})
            blocks.append(section(pointer))
    blocks.append(context(text.HOME_HELP))
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}


def _survey_block(survey: SurveyProgress) -> Block:
    campaign = survey.campaign
    if survey.sent:
        state = "Sent. Thank you."
    else:
        state = progress_words(
            sent=survey.sent, answered=survey.answered, total=survey.total
        )
    closes = f" · closes {survey.closes_on:%-d %B}" if survey.closes_on else ""
    block = section(f"*{mrkdwn(campaign.name)}*\n{mrkdwn(state + closes)}")
    if not survey.sent:
        label = text.RESUME if survey.started else text.START
        block["accessory"] = button(label, ids.START, campaign.id.hex, style="primary")
        block["block_id"] = ids.block_id(campaign.id, "start", "home")
    return block
