"""A draft's sent time: a short survey's answers stay editable for a grace period

Revision ID: 0018_sent_drafts
Revises: 0014_comment_analysis
Create Date: 2026-12-06 17:00:00.000000

Existing drafts keep a null ``sent_at``: they are answers in progress, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import survey.models.columns

revision: str = "0018_sent_drafts"
down_revision: str | None = "0014_comment_analysis"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column: a plain ALTER TABLE ADD COLUMN on both engines.
    op.add_column(
        "draft",
        sa.Column(
            "sent_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True
        ),
    )


def downgrade() -> None:
    op.drop_column("draft", "sent_at")
