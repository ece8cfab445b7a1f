"""Sealed response pool: submissions wait here, encrypted, until written in batches

Revision ID: 0010_sealed_response_pool
Revises: 0009
Create Date: 2026-12-06 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_sealed_response_pool"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only: responses already stored stay as they are (they were
    # written before the pool existed; SECURITY.md says so).
    op.create_table(
        "sealed_response",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.PrimaryKeyConstraint("id"),
        sqlite_with_rowid=False,
    )
    op.create_index(
        op.f("ix_sealed_response_campaign_id"),
        "sealed_response",
        ["campaign_id"],
        unique=False,
    )


def downgrade() -> None:
    # Entries still waiting would be lost: refuse rather than drop answers.
    waiting = op.get_bind().execute(sa.text("SELECT count(*) FROM sealed_response"))
    if waiting.scalar_one():
        raise RuntimeError(
            "sealed_response still holds submissions waiting to be written; "
            "close their campaigns (which writes them) before downgrading"
        )
    op.drop_index(op.f("ix_sealed_response_campaign_id"), table_name="sealed_response")
    op.drop_table("sealed_response")
