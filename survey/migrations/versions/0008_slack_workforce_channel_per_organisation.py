"""Each organisation's own Slack workforce channel

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE on both engines (SQLite has DROP COLUMN since 3.35): a
    # batch copy of ``organisation`` would trip the foreign keys pointing at it.
    op.add_column(
        "organisation",
        sa.Column(
            "slack_workforce_channel",
            sqlmodel.sql.sqltypes.AutoString(length=40),
            nullable=True,
        ),
    )


def downgrade() -> None:
    op.drop_column("organisation", "slack_workforce_channel")
