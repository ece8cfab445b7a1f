"""Server-side sign-in sessions for the web channel and dashboard

Revision ID: 0011_web_sessions
Revises: 0008
Create Date: 2026-12-06 14:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import survey.models.columns

revision: str = "0011_web_sessions"
down_revision: str | None = "0010_sealed_response_pool"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nothing to carry forward: the old signed cookies are simply no longer
    # accepted, so everyone signs in once more after the upgrade.
    op.create_table(
        "web_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        ),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column(
            "signed_in_by", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False
        ),
        sa.Column(
            "created_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "last_seen_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column(
            "ended_at", survey.models.columns.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_web_session_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_web_session_person_id"))
    op.drop_table("web_session")
