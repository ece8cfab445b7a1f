"""Targets, pulse schedules, reminder plans and the local channel's deliveries.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 03:29:17.567679
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import survey.models.columns

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "local_delivery",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column(
            "idempotency_key",
            sqlmodel.sql.sqltypes.AutoString(length=200),
            nullable=False,
        ),
        sa.Column(
            "recipient", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False
        ),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column(
            "delivered_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("local_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_local_delivery_recipient"), ["recipient"], unique=False
        )

    op.create_table(
        "pulse_schedule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column(
            "template_key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False
        ),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("open_days", sa.Integer(), nullable=False),
        sa.Column("questions_per_pulse", sa.Integer(), nullable=True),
        sa.Column("cooldown_days", sa.Integer(), nullable=False),
        sa.Column(
            "next_run_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "created_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pulse_schedule", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pulse_schedule_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "target",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column(
            "template_key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False
        ),
        sa.Column(
            "question_key", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("percent", sa.Float(), nullable=False),
        sa.Column(
            "updated_at",
            survey.models.columns.UTCDateTime(timezone=True),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("organisation_id", "template_key", "question_key"),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_target_organisation_id"), ["organisation_id"], unique=False
        )

    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminder_days", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("pulse_schedule_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            "fk_campaign_pulse_schedule_id",
            "pulse_schedule",
            ["pulse_schedule_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_constraint("fk_campaign_pulse_schedule_id", type_="foreignkey")
        batch_op.drop_column("pulse_schedule_id")
        batch_op.drop_column("reminder_days")

    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_organisation_id"))

    op.drop_table("target")
    with op.batch_alter_table("pulse_schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_schedule_organisation_id"))

    op.drop_table("pulse_schedule")
    with op.batch_alter_table("local_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_local_delivery_recipient"))

    op.drop_table("local_delivery")
