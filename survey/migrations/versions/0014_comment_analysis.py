"""Each comment's stored model reading (sentiment, confidence, by what)

Revision ID: 0014_comment_analysis
Revises: 0008
Create Date: 2026-12-06 15:00:00.000000

Existing comments keep null readings: reports read them with the rule engine, as
they do any comment the worker has not analysed yet.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_comment_analysis"
down_revision: str | None = "0012_teams_workforce_channel"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE ADD COLUMN on both engines (nullable columns, no copy).
    op.add_column(
        "comment",
        sa.Column(
            "sentiment", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True
        ),
    )
    op.add_column(
        "comment", sa.Column("sentiment_confidence", sa.Float(), nullable=True)
    )
    op.add_column(
        "comment",
        sa.Column(
            "analysed_by", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True
        ),
    )


def downgrade() -> None:
    # SQLite's DROP COLUMN (3.35+) and PostgreSQL's both work on these plain columns.
    op.drop_column("comment", "analysed_by")
    op.drop_column("comment", "sentiment_confidence")
    op.drop_column("comment", "sentiment")
