"""The resultatrapport (JMO §9.2) and the gjennomføring's local frister: the day of the
following month the month's resultatrapport is due (``resultatrapport_dag``), the days after
a deltaker's end the AMB sluttrapport is due (``sluttrapport_dager``, the samarbeidsavtale's),
and each month's exported resultatrapport (``resultatrapport``: the month's frist is met by
its first export)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gjennomforing") as batch_op:
        batch_op.add_column(sa.Column("sluttrapport_dager", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("resultatrapport_dag", sa.Integer(), nullable=False, server_default="10")
        )
    op.create_table(
        "resultatrapport",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column(
            "gjennomforing_id", sa.Integer(), sa.ForeignKey("gjennomforing.id"), nullable=False
        ),
        sa.Column("maned", sa.String(7), nullable=False),
        sa.Column("levert", sa.DateTime(timezone=True), nullable=False),
        sa.Column("levert_av", sa.String(200), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("sist_eksportert", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pdf_sha256", sa.String(64)),
        sa.Column("tall", sa.JSON(), nullable=False),
        sa.UniqueConstraint("gjennomforing_id", "maned"),
    )
    op.create_index("ix_resultatrapport_org_id", "resultatrapport", ["org_id"])


def downgrade() -> None:
    op.drop_table("resultatrapport")
    with op.batch_alter_table("gjennomforing") as batch_op:
        batch_op.drop_column("resultatrapport_dag")
        batch_op.drop_column("sluttrapport_dager")
