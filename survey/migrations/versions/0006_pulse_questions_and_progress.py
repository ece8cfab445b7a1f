"""A campaign's asked questions (pulse rotation) and each participation's progress

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_keys", sa.JSON(), nullable=True))
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answered", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.drop_column("answered")
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("question_keys")
