"""Themes from free-text comments, for groups that pass the suppression gate only."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection
from sqlalchemy import select as core_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.comments import (
    CommentAnalysis,
    Sentiment,
    analyse_comment,
    representative_quotes,
)
from analytics.data import Round
from analytics.groups import Group
from analytics.model import ThemeSummary
from analytics.results import ResultsEngine
from survey.models import Comment, Organisation, Person, Response, Service, Team
from survey.questions.themes import THEMES

# Quotes only for groups of at least this many times the minimum group size.
QUOTE_GROUP_FACTOR = 2


async def load_comments(
    session: AsyncSession, *, campaign_id: uuid.UUID
) -> pd.DataFrame:
    """A campaign's comments: response id, question key, text, stored sentiment.

    ``sentiment`` is the comment model's stored reading: None until the worker has
    read the comment, or for good without the model extra.
    """
    connection = await session.connection()
    return await connection.run_sync(_read, campaign_id)


def _read(connection: Connection, campaign_id: uuid.UUID) -> pd.DataFrame:
    rows = connection.execute(
        core_select(
            col(Comment.response_id),
            col(Comment.question_key),
            col(Comment.text),
            col(Comment.sentiment),
        )
        .join(Response, col(Response.id) == col(Comment.response_id))
        .where(col(Response.campaign_id) == campaign_id)
    ).all()
    frame = pd.DataFrame.from_records(
        rows, columns=["response_id", "question_key", "text", "sentiment"]
    )
    frame["response_id"] = frame["response_id"].map(str).astype("string")
    return frame


async def roster_names(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[str]:
    """Everyone's name on the roster, so quotes can be redacted."""
    rows = await session.exec(
        select(Person.name).where(Person.organisation_id == organisation_id)
    )
    return list(rows.all())


async def organisation_words(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[str]:
    """The organisation's own name and its services' and teams' names.

    A quote naming them ("Ashford caseloads are...") names no person, so their
    words are never redacted as names.
    """
    organisation = await session.get(Organisation, organisation_id)
    services = await session.exec(
        select(Service.name).where(Service.organisation_id == organisation_id)
    )
    teams = await session.exec(
        select(Team.name).where(Team.organisation_id == organisation_id)
    )
    own = [organisation.name] if organisation else []
    return own + list(services.all()) + list(teams.all())


def group_themes(
    engine: ResultsEngine,
    round_: Round,
    comments: pd.DataFrame,
    group: Group,
    *,
    names: list[str],
    keep: Sequence[str] = (),
    quotes: int = 2,
    top: int = 6,
) -> tuple[ThemeSummary, ...]:
    """The group's most common comment themes with sentiment counts and quotes.

    Nothing is returned for a group the suppression gate hides, or when fewer
    comments than the minimum group size were written (README.md, anonymity rule
    5). Quotes are
    a person's own words, so they need more: the group must have at least twice the
    minimum group size of responses (``QUOTE_GROUP_FACTOR``), and a theme fewer
    than the minimum wrote about gets none ("As the only senior social worker in
    Adults..." names its author to their manager however well it is redacted).
    """
    if not engine.shown(group) or comments.empty:
        return ()
    members = round_.responses.loc[group.mask(round_.responses), "response_id"]
    chosen = comments.loc[comments["response_id"].isin(set(members))]
    minimum = engine.policy.min_size
    if len(chosen) < minimum:
        return ()
    quotes_allowed = members.nunique() >= QUOTE_GROUP_FACTOR * minimum
    analyses = [a for a in analyse_with_questions(round_, chosen) if a.substantive]
    counts: Counter[str] = Counter(theme for a in analyses for theme in a.themes)
    summaries = []
    # A comment about two themes is quoted once, under the first theme shown.
    used: set[str] = set()
    for theme, count in counts.most_common(top):
        about = [a for a in analyses if theme in a.themes]
        moods = Counter(a.sentiment_about(theme).value for a in about)
        chosen_quotes: list[str] = []
        if quotes_allowed and count >= minimum:
            ranked = representative_quotes(
                about, theme, names=names, keep=keep, limit=quotes + len(used)
            )
            chosen_quotes = [quote for quote in ranked if quote not in used][:quotes]
            used.update(chosen_quotes)
        summaries.append(
            ThemeSummary(
                theme=theme,
                label=THEMES[theme],
                comments=count,
                positive=moods.get("positive", 0),
                neutral=moods.get("neutral", 0),
                negative=moods.get("negative", 0),
                quotes=tuple(chosen_quotes),
            )
        )
    return tuple(summaries)


def analyse_with_questions(
    round_: Round, comments: pd.DataFrame
) -> list[CommentAnalysis]:
    """Analyse comments, each read against the wording of the question it answers.

    "Nothing." answers "What one change would most improve your working life?" with
    praise and "What works well?" with criticism; the question decides. Where the
    worker has stored the comment model's reading, it is the comment's sentiment
    (and that of each theme the comment does not judge separately); the rules keep
    the themes and answers that say nothing. Comments not yet read by the model are
    read by the rules alone.

    Args:
        round_: The campaign's round (its template holds the questions' wording).
        comments: Rows with ``question_key`` and ``text``, and optionally the
            stored ``sentiment`` (``load_comments``).

    Returns:
        One analysis per row, in the rows' order.
    """
    wording = {question.id: question.text for question in round_.definition.questions}
    stored = (
        comments["sentiment"]
        if "sentiment" in comments
        else pd.Series([None] * len(comments), index=comments.index)
    )
    return [
        analyse_comment(text, question=wording.get(str(key)), overall=_stored(reading))
        for key, text, reading in zip(
            comments["question_key"], comments["text"], stored, strict=True
        )
    ]


def _stored(reading: object) -> Sentiment | None:
    """The comment model's stored reading, or None (not read yet, or no model)."""
    return Sentiment(reading) if isinstance(reading, str) else None
