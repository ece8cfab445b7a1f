"""Closing the loop: "you said, we did" actions and the digest posted to staff.

The PSW logs actions against the themes staff raised (and, optionally, the
question whose figures prompted them) and keeps their status current; the digest
is posted by :mod:`survey.follow_up.you_said`. The figures beside an action come from
``analytics`` (see :mod:`analytics.follow_up_figures`); ``survey`` stores text only.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.campaigns import find_campaign
from survey.errors import NotFoundError, SurveyError
from survey.models import Action, Campaign
from survey.models.columns import utcnow
from survey.questions.catalogue import template_definition
from survey.questions.naming import find_question, theme_key

PLANNED = "planned"
IN_PROGRESS = "in progress"
DONE = "done"
NOT_DOING = "not doing"
STATUSES = (PLANNED, IN_PROGRESS, DONE, NOT_DOING)
# The sizes of the action table's columns.
YOU_SAID_LIMIT = 1000
WE_DID_LIMIT = 2000
OWNER_LIMIT = 200
REASON_LIMIT = 1000
SHORT_ID_LENGTH = 8
_SHORTEST_ID = 4
_LONGEST_NUMBER = 4
_HEX = re.compile(r"^[0-9a-f]+$")


class FollowUpError(SurveyError):
    """An action or "you said, we did" post that cannot be stored as given."""


@dataclass(frozen=True)
class ListedAction:
    """An action as listed: its number in the organisation's list and its survey.

    Attributes:
        number: Its place among all the organisation's actions, oldest first, so
            the number stays the same whichever survey the list is filtered by.
        action: The stored action.
        campaign: The survey it answers, if any.
    """

    number: int
    action: Action
    campaign: Campaign | None

    @property
    def short_id(self) -> str:
        """The first characters of its id, enough to name it in a command."""
        return short_id(self.action)


def short_id(action: Action) -> str:
    """The first characters of an action's id, as lists show it."""
    return action.id.hex[:SHORT_ID_LENGTH]


def parse_status(typed: str) -> str:
    """One of :data:`STATUSES`, read loosely ("In-progress", "not_doing").

    Raises:
        FollowUpError: naming the statuses there are.
    """
    wanted = " ".join(typed.replace("_", " ").replace("-", " ").split()).casefold()
    if wanted in STATUSES:
        return wanted
    raise FollowUpError(
        f"'{typed.strip()}' is not a status; use {', '.join(STATUSES[:-1])} "
        f"or {STATUSES[-1]}."
    )


async def add_action(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    you_said: str,
    we_did: str,
    owner: str,
    today: date,
    theme: str | None = None,
    campaign: str | None = None,
    question: str | None = None,
    due_on: date | None = None,
    status: str = PLANNED,
    reason: str | None = None,
) -> Action:
    """Log a new action; everything is checked before anything is stored.

    Args:
        session: The session, inside the caller's transaction.
        organisation_id: Whose action it is.
        you_said: What staff said, in the PSW's words.
        we_did: What is being done about it.
        owner: Who is responsible (a name or a role).
        today: Today's date where the organisation is, for the due date check.
        theme: A theme key or label; may be left out when ``question`` is given,
            and then the question's theme is used.
        campaign: The survey it answers, by name (any case).
        question: A question id of that survey's template, e.g. ``WL01``.
        due_on: When it is due; not in the past.
        status: One of :data:`STATUSES`.
        reason: Why, for a status of "not doing" (where it is required).

    Raises:
        NotFoundError: an unknown theme, campaign or question.
        FollowUpError: empty or overlong text, a past due date, an unknown status,
            a question without its campaign, or "not doing" without a reason.
    """
    found_campaign, question_key, question_theme = await _campaign_and_question(
        session, organisation_id=organisation_id, campaign=campaign, question=question
    )
    if theme is not None:
        chosen_theme = theme_key(theme)
    elif question_theme is not None:
        chosen_theme = question_theme
    else:
        raise FollowUpError(
            "Say which theme the action is about, or the question it answers."
        )
    if due_on is not None and due_on < today:
        raise FollowUpError(
            f"The due date {due_on:%-d %B %Y} is in the past; choose a later date."
        )
    checked_status = parse_status(status)
    action = Action(
        organisation_id=organisation_id,
        campaign_id=found_campaign.id if found_campaign else None,
        theme=chosen_theme,
        question_key=question_key,
        you_said=_text(you_said, what="What staff said", limit=YOU_SAID_LIMIT),
        we_did=_text(we_did, what="What is being done", limit=WE_DID_LIMIT),
        owner=_text(owner, what="The owner", limit=OWNER_LIMIT),
        due_on=due_on,
        status=checked_status,
        status_reason=_reason(reason),
    )
    _require_reason(action)
    session.add(action)
    await session.flush()
    return action


async def update_action(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    reference: str,
    theme: str | None = None,
    you_said: str | None = None,
    we_did: str | None = None,
    owner: str | None = None,
    due_on: date | None = None,
    status: str | None = None,
    reason: str | None = None,
    campaign: str | None = None,
    question: str | None = None,
) -> Action:
    """Change an action's fields; only those given change.

    ``reference`` is its number in the list or the start of its id (at least four
    characters). A due date may be moved into the past here, to record when
    something was really due; "not doing" still needs a reason.

    Raises:
        NotFoundError: no such action, theme, campaign or question.
        FollowUpError: nothing to change, empty or overlong text, an unknown
            status, or "not doing" without a reason.
    """
    given = (theme, you_said, we_did, owner, due_on, status, reason, campaign, question)
    if all(value is None for value in given):
        raise FollowUpError("Nothing to change: say which fields to update.")
    action = (
        await find_action(session, organisation_id=organisation_id, reference=reference)
    ).action
    if campaign is not None or question is not None:
        # Moving an action to another survey re-checks its question there.
        current = None
        if campaign is None and action.campaign_id is not None:
            current = await session.get(Campaign, action.campaign_id)
        found_campaign, question_key, _ = await _campaign_and_question(
            session,
            organisation_id=organisation_id,
            campaign=campaign,
            question=question if question is not None else action.question_key,
            known=current,
        )
        action.campaign_id = found_campaign.id if found_campaign else None
        action.question_key = question_key
    if theme is not None:
        action.theme = theme_key(theme)
    if you_said is not None:
        action.you_said = _text(you_said, what="What staff said", limit=YOU_SAID_LIMIT)
    if we_did is not None:
        action.we_did = _text(we_did, what="What is being done", limit=WE_DID_LIMIT)
    if owner is not None:
        action.owner = _text(owner, what="The owner", limit=OWNER_LIMIT)
    if due_on is not None:
        action.due_on = due_on
    if status is not None:
        action.status = parse_status(status)
    if reason is not None:
        action.status_reason = _reason(reason)
    _require_reason(action)
    action.updated_at = utcnow()
    session.add(action)
    await session.flush()
    return action


async def list_actions(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    campaign: str | None = None,
) -> list[ListedAction]:
    """The organisation's actions, oldest first, optionally for one survey (by name).

    Raises:
        NotFoundError: an unknown campaign, naming those there are.
    """
    wanted = None
    if campaign is not None:
        wanted = await find_campaign(
            session, organisation_id=organisation_id, name=campaign
        )
    rows = await session.exec(
        select(Action)
        .where(Action.organisation_id == organisation_id)
        .order_by(col(Action.created_at), col(Action.id))
    )
    campaigns: dict[uuid.UUID, Campaign | None] = {}
    listed = []
    for number, action in enumerate(rows.all(), start=1):
        if wanted is not None and action.campaign_id != wanted.id:
            continue
        found = None
        if action.campaign_id is not None:
            if action.campaign_id not in campaigns:
                campaigns[action.campaign_id] = await session.get(
                    Campaign, action.campaign_id
                )
            found = campaigns[action.campaign_id]
        listed.append(ListedAction(number, action, found))
    return listed


async def find_action(
    session: AsyncSession, *, organisation_id: uuid.UUID, reference: str
) -> ListedAction:
    """An action by its number in the list (``3``, ``#3``) or the start of its id.

    Raises:
        NotFoundError: no action matches, or the id start matches more than one.
    """
    typed = reference.strip().lstrip("#").lower()
    actions = await list_actions(session, organisation_id=organisation_id)
    if typed.isdigit() and len(typed) <= _LONGEST_NUMBER:
        number = int(typed)
        if 1 <= number <= len(actions):
            return actions[number - 1]
    elif len(typed) >= _SHORTEST_ID and _HEX.match(typed):
        matches = [item for item in actions if item.action.id.hex.startswith(typed)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise NotFoundError(
                f"More than one action's id starts '{typed}'; give more of it."
            )
    if not actions:
        raise NotFoundError("There are no actions yet.")
    raise NotFoundError(
        f"There is no action '{reference.strip()}'. Use its number (1 to "
        f"{len(actions)}) or the id shown in the list of actions."
    )


async def _campaign_and_question(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    campaign: str | None,
    question: str | None,
    known: Campaign | None = None,
) -> tuple[Campaign | None, str | None, str | None]:
    """The named campaign, and the question's id and theme as its template has them."""
    found = known
    if campaign is not None:
        found = await find_campaign(
            session, organisation_id=organisation_id, name=campaign
        )
    if question is None or not question.strip():
        return found, None, None
    if found is None:
        raise FollowUpError(
            f"Name the survey question {question.strip()} was asked in, as well "
            "as the question."
        )
    definition = await template_definition(session, template_id=found.template_id)
    chosen = find_question(definition, question, where=f"'{found.name}'")
    return found, chosen.id, chosen.theme


def _text(value: str, *, what: str, limit: int) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise FollowUpError(f"{what} is empty.")
    if len(cleaned) > limit:
        raise FollowUpError(
            f"{what} is {len(cleaned):,} characters; the most is {limit:,}."
        )
    return cleaned


def _reason(reason: str | None) -> str | None:
    if reason is None or not reason.strip():
        return None
    return _text(reason, what="The reason", limit=REASON_LIMIT)


def _require_reason(action: Action) -> None:
    if action.status == NOT_DOING and not action.status_reason:
        raise FollowUpError(
            "Say why it is not being done: an action marked 'not doing' needs a reason."
        )
