"""Bruker: a user name is unique within its organisation, no longer across the instance, so
an admin creating a user learns nothing of another organisation's names

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 11:40:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# SQLite keeps r0001's constraint unnamed; batch mode names what it reflects by this rule.
_NAVNGIVING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _gammel() -> str:
    return (
        "uq_bruker_brukernavn"
        if op.get_bind().dialect.name == "sqlite"
        else "bruker_brukernavn_key"
    )


def upgrade() -> None:
    with op.batch_alter_table("bruker", naming_convention=_NAVNGIVING) as batch_op:
        batch_op.drop_constraint(_gammel(), type_="unique")
        batch_op.create_unique_constraint("uq_bruker_org_brukernavn", ["org_id", "brukernavn"])


def downgrade() -> None:
    with op.batch_alter_table("bruker", naming_convention=_NAVNGIVING) as batch_op:
        batch_op.drop_constraint("uq_bruker_org_brukernavn", type_="unique")
        batch_op.create_unique_constraint(_gammel(), ["brukernavn"])
