"""Økter: innloggingsøkter på tjeneren (utlogging avslutter dem), opprydding i innloggingsforsøk

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "okt",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("bruker_id", sa.Integer(), nullable=False),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utloper", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["bruker_id"], ["bruker.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("okt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_okt_bruker_id"), ["bruker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_okt_utloper"), ["utloper"], unique=False)
    with op.batch_alter_table("innloggingsforsok", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_innloggingsforsok_sist"), ["sist"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("innloggingsforsok", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_innloggingsforsok_sist"))
    with op.batch_alter_table("okt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_okt_utloper"))
        batch_op.drop_index(batch_op.f("ix_okt_bruker_id"))
    op.drop_table("okt")
