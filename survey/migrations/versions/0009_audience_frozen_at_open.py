"""The audience frozen at open; participation tallies with no small cells

Participation rows get the person's service, team, role, workforce and
employment type, copied when they are invited. Existing rows are filled from
the roster as it is now: the attributes each person had when those campaigns
opened were never recorded, so the current roster is the best information
there is (a person moved since is counted in their new team).

Participation tallies get a service, and their team, role and employment type
may be left out (None) where small groups are merged upward; existing tallies
are merged again so no group is smaller than the organisation's minimum.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 14:00:00.000000
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from survey.retention.tallies import merged_statuses
from survey.roster.roles import workforce_of

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FROZEN = ("service_id", "team_id", "role", "workforce", "employment_type")


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    with op.batch_alter_table("participation") as batch:
        batch.add_column(sa.Column("service_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("team_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("role", _text(60), nullable=True))
        batch.add_column(sa.Column("workforce", _text(30), nullable=True))
        batch.add_column(sa.Column("employment_type", _text(30), nullable=True))
    _fill_participation()
    with op.batch_alter_table("participation") as batch:
        for name in FROZEN:
            batch.alter_column(name, nullable=False)
        batch.create_foreign_key(
            "fk_participation_service_id_service", "service", ["service_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_participation_team_id_team", "team", ["team_id"], ["id"]
        )
    rows = _old_tallies()
    op.drop_index(
        op.f("ix_participationtally_campaign_id"), table_name="participationtally"
    )
    op.drop_table("participationtally")
    table = _tally_table(merged=True)
    op.bulk_insert(table, _merged(rows))


def _fill_participation() -> None:
    connection = op.get_bind()
    connection.execute(
        sa.text(
            "UPDATE participation SET "
            "team_id = (SELECT person.team_id FROM person"
            " WHERE person.id = participation.person_id), "
            "role = (SELECT person.role FROM person"
            " WHERE person.id = participation.person_id), "
            "employment_type = (SELECT person.employment_type FROM person"
            " WHERE person.id = participation.person_id)"
        )
    )
    connection.execute(
        sa.text(
            "UPDATE participation SET service_id = (SELECT team.service_id FROM team"
            " WHERE team.id = participation.team_id)"
        )
    )
    roles = connection.execute(sa.text("SELECT DISTINCT role FROM participation"))
    for (role,) in roles.all():
        connection.execute(
            sa.text(
                "UPDATE participation SET workforce = :workforce WHERE role = :role"
            ),
            {"workforce": workforce_of(role).value, "role": role},
        )


def _old_tallies() -> list[dict[str, object]]:
    """Every tally with its team's service and its organisation's minimum."""
    query = sa.text(
        "SELECT t.campaign_id, team.service_id, t.team_id, t.role,"
        " t.employment_type, t.status, t.people, o.min_group_size"
        " FROM participationtally t"
        " JOIN team ON team.id = t.team_id"
        " JOIN campaign c ON c.id = t.campaign_id"
        " JOIN organisation o ON o.id = c.organisation_id"
    ).columns(
        sa.column("campaign_id", sa.Uuid()),
        sa.column("service_id", sa.Uuid()),
        sa.column("team_id", sa.Uuid()),
    )
    return [dict(row) for row in op.get_bind().execute(query).mappings().all()]


def _merged(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    by_campaign: dict[object, list[dict[str, object]]] = {}
    for row in rows:
        by_campaign.setdefault(row["campaign_id"], []).append(row)
    merged: list[dict[str, object]] = []
    for campaign_id, tallies in by_campaign.items():
        people = [
            (
                (
                    row["service_id"],
                    row["team_id"],
                    row["role"],
                    row["employment_type"],
                ),
                str(row["status"]),
            )
            for row in tallies
            for _ in range(int(str(row["people"])))
        ]
        minimum = int(str(tallies[0]["min_group_size"]))
        counts = merged_statuses(people, minimum=minimum)  # type: ignore[arg-type]
        for (key, status), count in sorted(counts.items(), key=repr):
            service_id, team_id, role, employment_type = key
            merged.append(
                {
                    "id": uuid.uuid4(),
                    "campaign_id": campaign_id,
                    "service_id": service_id,
                    "team_id": team_id,
                    "role": role,
                    "employment_type": employment_type,
                    "status": status,
                    "people": count,
                }
            )
    return merged


def _tally_table(*, merged: bool) -> sa.Table:
    """Create the tally table: as 0007 made it, or with merged (None) groups."""
    columns = [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
    ]
    if merged:
        columns.append(sa.Column("service_id", sa.Uuid(), nullable=True))
    columns += [
        sa.Column("team_id", sa.Uuid(), nullable=merged),
        sa.Column("role", _text(60), nullable=merged),
        sa.Column("employment_type", _text(30), nullable=merged),
        sa.Column("status", _text(10), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["campaign.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
    ]
    unique = ["campaign_id", "team_id", "role", "employment_type", "status"]
    if merged:
        columns.append(sa.ForeignKeyConstraint(["service_id"], ["service.id"]))
        unique.insert(1, "service_id")
    table = op.create_table(
        "participationtally", *columns, sa.UniqueConstraint(*unique)
    )
    op.create_index(
        op.f("ix_participationtally_campaign_id"),
        "participationtally",
        ["campaign_id"],
        unique=False,
    )
    assert table is not None
    return table


def downgrade() -> None:
    connection = op.get_bind()
    rows = [
        dict(row)
        for row in connection.execute(
            sa.text(
                "SELECT id, campaign_id, team_id, role, employment_type, status, people"
                " FROM participationtally"
            ).columns(
                sa.column("id", sa.Uuid()),
                sa.column("campaign_id", sa.Uuid()),
                sa.column("team_id", sa.Uuid()),
            )
        )
        .mappings()
        .all()
    ]
    if any(
        row[name] is None
        for row in rows
        for name in ("team_id", "role", "employment_type")
    ):
        raise RuntimeError(
            "Participation tallies merged over teams or roles cannot be written "
            "back in the old form; restore a backup taken before 0009 instead."
        )
    op.drop_index(
        op.f("ix_participationtally_campaign_id"), table_name="participationtally"
    )
    op.drop_table("participationtally")
    table = _tally_table(merged=False)
    op.bulk_insert(table, rows)
    with op.batch_alter_table("participation") as batch:
        batch.drop_constraint("fk_participation_team_id_team", type_="foreignkey")
        batch.drop_constraint("fk_participation_service_id_service", type_="foreignkey")
        for name in reversed(FROZEN):
            batch.drop_column(name)
