"""Chat conversations the bot may write to later (Teams references), and its sends.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 04:03:26.475053
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import survey.models.columns

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_delivery",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "platform", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column(
            "idempotency_key",
            sqlmodel.sql.sqltypes.AutoString(length=200),
            nullable=False,
        ),
        sa.Column(
            "conversation_id",
            sqlmodel.sql.sqltypes.AutoString(length=400),
            nullable=False,
        ),
        sa.Column(
            "activity_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True
        ),
        sa.Column(
            "delivered_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    op.create_table(
        "chat_conversation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column(
            "platform", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column(
            "conversation_id",
            sqlmodel.sql.sqltypes.AutoString(length=400),
            nullable=False,
        ),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column(
            "user_key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True
        ),
        sa.Column(
            "tenant_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True
        ),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "updated_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "conversation_id"),
    )
    with op.batch_alter_table("chat_conversation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_chat_conversation_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_chat_conversation_user_key"), ["user_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("chat_conversation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_conversation_user_key"))
        batch_op.drop_index(batch_op.f("ix_chat_conversation_organisation_id"))
    op.drop_table("chat_conversation")
    op.drop_table("chat_delivery")
