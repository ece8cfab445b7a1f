"""Each organisation's Teams workforce channel, chosen by the PSW

Revision ID: 0012_teams_workforce_channel
Revises: 0009
Create Date: 2026-12-06 14:00:00.000000

Until now Teams workforce posts went to whichever channel the bot had heard
from last. An organisation whose app sits in exactly one channel keeps that
channel (it is where every post went); one with several starts with none chosen
(posts are held with the fix named) rather than with a guess.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_teams_workforce_channel"
down_revision: str | None = "0011_web_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both engines, as 0008: a batch copy of
    # ``organisation`` would trip the foreign keys pointing at it.
    op.add_column(
        "organisation",
        sa.Column(
            "teams_workforce_channel",
            sqlmodel.sql.sqltypes.AutoString(length=400),
            nullable=True,
        ),
    )
    only_channel = (
        "FROM chat_conversation c WHERE c.platform = 'teams' AND c.kind = 'channel'"
        " AND c.active AND c.organisation_id = organisation.id"
    )
    op.execute(
        f"UPDATE organisation SET teams_workforce_channel = "
        f"(SELECT c.conversation_id {only_channel}) "
        f"WHERE (SELECT count(*) {only_channel}) = 1"
    )


def downgrade() -> None:
    op.drop_column("organisation", "teams_workforce_channel")
