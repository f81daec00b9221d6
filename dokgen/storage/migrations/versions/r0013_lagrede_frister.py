"""Frister stored per deltaker and gjennomføring (computed again whenever a change marks
their owner stale), so a list of the whole organisation's is one indexed query

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 14:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "frist",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column(
            "gjennomforing_id", sa.Integer(), sa.ForeignKey("gjennomforing.id"), nullable=False
        ),
        sa.Column("deltaker_id", sa.Integer(), sa.ForeignKey("deltaker.id")),
        sa.Column("nokkel", sa.String(60), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("periode_fra", sa.Date()),
        sa.Column("periode_til", sa.Date()),
        sa.Column("frist", sa.Date(), nullable=False),
        sa.Column("levert_dato", sa.Date()),
        sa.Column("for_sent", sa.Boolean(), nullable=False),
        sa.Column("dokument_id", sa.String(36)),
        sa.Column("bortfalt", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_frist_org_frist", "frist", ["org_id", "frist"])
    op.create_index("ix_frist_deltaker_id", "frist", ["deltaker_id"])
    op.create_index("ix_frist_gjennomforing_id", "frist", ["gjennomforing_id"])
    # Nothing is stored yet: every owner is stale, and its first read computes it.
    with op.batch_alter_table("deltaker") as batch_op:
        batch_op.add_column(sa.Column("frister_til", sa.Date(), nullable=True))
    with op.batch_alter_table("gjennomforing") as batch_op:
        batch_op.add_column(sa.Column("frister_til", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("gjennomforing") as batch_op:
        batch_op.drop_column("frister_til")
    with op.batch_alter_table("deltaker") as batch_op:
        batch_op.drop_column("frister_til")
    op.drop_table("frist")
