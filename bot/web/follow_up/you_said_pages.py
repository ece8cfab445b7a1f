"""Posting "you said, we did": pick a closed survey and its actions, preview, confirm.

The digest's words come from the chat command's own composer
(:func:`bot.commands.follow_up.digest_body`), its figures through the
disclosure gate (:mod:`analytics.follow_up_figures`), and posting from
:func:`survey.follow_up.you_said.post_you_said`, which refuses a survey still open.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.follow_up_figures import supporting_figures
from bot.commands import follow_up_text
from bot.commands.follow_up import digest_body
from bot.web.follow_up import text
from bot.web.follow_up.choices import surveys
from bot.web.follow_up.shared import (
    audit,
    form_lists,
    form_of,
    idempotency_key,
    local_time,
    platforms_of,
    posts_page,
    preview_of,
    previewed,
    psw_in,
    where_posts_go,
)
from bot.web.pages import (
    Visitor,
    channel_of,
    notice_page,
    now,
    organisation_of,
    runtime_of,
)
from survey.errors import NotFoundError, SurveyError
from survey.follow_up.actions import DONE, ListedAction, list_actions
from survey.follow_up.announcements import AnnouncementError
from survey.follow_up.you_said import (
    YOU_SAID,
    check_survey_closed,
    completed_participants,
    post_you_said,
    you_said_key,
    you_said_payloads,
)
from survey.models import Announcement, Campaign, Organisation

PATH = "/workspace/posts/you-said"


@dataclass(frozen=True)
class Digest:
    """A "you said, we did" post as composed from the chosen actions.

    Attributes:
        campaign: The survey it answers (closed).
        title: Its title.
        chosen: The actions it includes.
        body: The digest's text.
        note: The note to everyone who took part.
        participants: How many took part (and get the note).
        key: Its content key.
    """

    campaign: Campaign
    title: str
    chosen: list[ListedAction]
    body: str
    note: str
    participants: int
    key: str


def register(app: FastAPI) -> None:
    """Add the "you said, we did" pages."""

    @app.get(PATH, response_class=HTMLResponse)
    async def choose(request: Request, survey: str = "") -> Response:
        return await _choose(request, survey_id=survey, title=None, ticked=None)

    @app.post(PATH, response_class=HTMLResponse)
    async def preview(request: Request) -> Response:
        fields = await form_of(request)
        ticked = await form_lists(request, "action")
        survey_id, title = fields.get("survey", ""), fields.get("title", "")
        if fields.get("action_kind") == "edit":
            return await _choose(
                request, survey_id=survey_id, title=title, ticked=ticked
            )
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        async with runtime.read_sessions() as session:
            visitor = await psw_in(request, session)
            if isinstance(visitor, Response):
                return visitor
            try:
                digest = await _digest(
                    session,
                    organisation,
                    survey_id=survey_id,
                    title=title,
                    ticked=ticked,
                )
            except SurveyError as error:
                return await _choose(
                    request,
                    survey_id=survey_id,
                    title=title,
                    ticked=ticked,
                    problem=str(error),
                )
        return _preview_page(request, visitor, organisation, digest, ticked)

    @app.post(f"{PATH}/confirm", response_class=HTMLResponse)
    async def confirm(request: Request) -> Response:
        fields = await form_of(request)
        ticked = await form_lists(request, "action")
        survey_id, title = fields.get("survey", ""), fields.get("title", "")
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        try:
            async with (
                channel_of(request).writing(),
                runtime.sessions() as session,
                session.begin(),
            ):
                visitor = await psw_in(request, session)
                if isinstance(visitor, Response):
                    return visitor
                digest = await _digest(
                    session,
                    organisation,
                    survey_id=survey_id,
                    title=title,
                    ticked=ticked,
                )
                if not previewed(request, fields.get("key", ""), digest.key):
                    return _preview_page(
                        request,
                        visitor,
                        organisation,
                        digest,
                        ticked,
                        problem=text.CHANGED_SINCE_PREVIEW,
                    )
                posted = await post_you_said(
                    session,
                    campaign=digest.campaign,
                    title=digest.title,
                    body=digest.body,
                    note=digest.note,
                    now=now(),
                    platforms=platforms_of(request),
                )
                if not posted.repeat:
                    await audit(
                        session,
                        organisation=organisation,
                        visitor=visitor,
                        action="you_said.posted",
                        subject=f"{digest.campaign.name} · {len(digest.chosen)} "
                        f"actions · {posted.notes} notes",
                    )
        except SurveyError as error:
            return await _choose(
                request,
                survey_id=survey_id,
                title=title,
                ticked=ticked,
                problem=str(error),
            )
        query = "repeat=1" if posted.repeat else f"notes={posted.participants}"
        return RedirectResponse(
            f"{PATH}/{posted.announcement.id}?{query}", status_code=303
        )

    @app.get(PATH + "/{announcement_id}", response_class=HTMLResponse)
    async def done(
        request: Request, announcement_id: str, repeat: str = "", notes: int = 0
    ) -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        async with runtime.read_sessions() as session:
            visitor = await psw_in(request, session)
            if isinstance(visitor, Response):
                return visitor
            announcement = None
            with contextlib.suppress(ValueError):
                announcement = await session.get(
                    Announcement, uuid.UUID(announcement_id)
                )
        if (
            announcement is None
            or announcement.organisation_id != organisation.id
            or announcement.kind != YOU_SAID
        ):
            return notice_page(
                request,
                heading="No such post",
                message="There is no 'you said, we did' post with that address.",
                status_code=404,
                next_href=PATH,
                next_label="Back",
            )
        message = (
            text.repeat(announcement.title)
            if repeat
            else text.you_said_posted(announcement.title, notes)
        )
        return posts_page(
            request,
            "posts_done.html",
            visitor=visitor,
            heading=announcement.title,
            message=message,
            state=None,
            posted=local_time(announcement.posted_at, organisation),
        )


async def _choose(
    request: Request,
    *,
    survey_id: str,
    title: str | None,
    ticked: list[str] | None,
    problem: str | None = None,
) -> Response:
    runtime = runtime_of(request)
    organisation = await organisation_of(request)
    async with runtime.read_sessions() as session:
        visitor = await psw_in(request, session)
        if isinstance(visitor, Response):
            return visitor
        options = await surveys(session, organisation_id=organisation.id)
        chosen = next((c for c in options if str(c.id) == survey_id), None)
        listed: list[ListedAction] = []
        refusal = None
        if chosen is not None:
            try:
                check_survey_closed(chosen, timezone=organisation.timezone)
            except AnnouncementError as error:
                refusal = str(error)
            else:
                listed = await list_actions(
                    session, organisation_id=organisation.id, campaign=chosen.name
                )
    shown = problem or refusal
    if chosen is not None and refusal is None and not listed and not problem:
        shown = text.NO_ACTIONS_FOR_SURVEY
    return posts_page(
        request,
        "posts_you_said.html",
        status_code=409 if refusal else 400 if problem else 200,
        visitor=visitor,
        surveys=options,
        chosen=chosen,
        refused=refusal is not None,
        actions=[
            {
                "id": item.action.id.hex,
                "number": item.number,
                "theme": follow_up_text.theme_label(item.action.theme),
                "you_said": item.action.you_said,
                "we_did": item.action.we_did,
                "status": follow_up_text.status_words(item),
                "ticked": ticked is None or item.action.id.hex in ticked,
            }
            for item in listed
        ],
        title=title
        if title is not None
        else follow_up_text.digest_title(chosen.name if chosen else None),
        problem=shown,
    )


async def _digest(
    session: AsyncSession,
    organisation: Organisation,
    *,
    survey_id: str,
    title: str,
    ticked: list[str],
) -> Digest:
    """The digest of the ticked actions, composed as the chat command composes it.

    Raises:
        SurveyError: no such survey, one still open, or nothing ticked.
    """
    campaign = None
    with contextlib.suppress(ValueError):
        campaign = await session.get(Campaign, uuid.UUID(survey_id))
    if campaign is None or campaign.organisation_id != organisation.id:
        raise NotFoundError(text.CHOOSE_SURVEY)
    check_survey_closed(campaign, timezone=organisation.timezone)
    listed = await list_actions(
        session, organisation_id=organisation.id, campaign=campaign.name
    )
    chosen = [item for item in listed if item.action.id.hex in ticked]
    if not chosen:
        raise AnnouncementError(text.CHOOSE_ACTIONS)
    figures = await supporting_figures(
        session, actions=[item.action for item in chosen]
    )
    body = digest_body(chosen, figures, campaign=campaign)
    done = sum(1 for item in chosen if item.action.status == DONE)
    note = follow_up_text.participant_note(campaign.name, len(chosen), done)
    participants = await completed_participants(session, campaign=campaign)
    return Digest(
        campaign=campaign,
        title=title.strip(),
        chosen=chosen,
        body=body,
        note=note,
        participants=len(participants),
        key=you_said_key(campaign, title, body),
    )


def _preview_page(
    request: Request,
    visitor: Visitor,
    organisation: Organisation,
    digest: Digest,
    ticked: list[str],
    *,
    problem: str | None = None,
) -> HTMLResponse:
    digest_payload, note_payload = you_said_payloads(
        announcement_id=str(uuid.uuid4()),
        campaign=digest.campaign,
        title=digest.title,
        body=digest.body,
        note=digest.note,
    )
    people = "person" if digest.participants == 1 else "people"
    return posts_page(
        request,
        "posts_preview.html",
        status_code=409 if problem else 200,
        visitor=visitor,
        problem=problem,
        heading="Check your 'you said, we did' post",
        summary=[
            ("Survey", digest.campaign.name),
            ("Actions", str(len(digest.chosen))),
            (
                "Goes to",
                f"the workforce channel, and a note to the {digest.participants} "
                f"{people} who took part, on {where_posts_go(request)}",
            ),
        ],
        previews=[
            preview_of(
                request,
                "The post in the workforce channel",
                digest_payload,
                prefix="digest-",
            ),
            preview_of(
                request,
                "The note to each person who took part",
                note_payload,
                prefix="note-",
            ),
        ],
        action=f"{PATH}/confirm",
        edit_action=PATH,
        edit_field="action_kind",
        hidden={
            "survey": str(digest.campaign.id),
            "title": digest.title,
            "action": ticked,
        },
        key=idempotency_key(request, digest.key),
        confirm_label="Post it now",
    )
