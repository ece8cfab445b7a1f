"""personal one-time links

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import survey.models.columns

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "personal_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column(
            "expires_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "used_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "created_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("personal_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_personal_link_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("personal_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_link_person_id"))

    op.drop_table("personal_link")
