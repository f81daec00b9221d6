"""Passord: brukerens e-post, krav om å bytte passord, engangslenker for å sette passord

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bruker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("epost", sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column("ma_bytte_passord", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "passordlenke",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bruker_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utloper", sa.DateTime(timezone=True), nullable=False),
        sa.Column("brukt", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["bruker_id"], ["bruker.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_sha256"),
    )
    op.create_index(op.f("ix_passordlenke_bruker_id"), "passordlenke", ["bruker_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_passordlenke_bruker_id"), table_name="passordlenke")
    op.drop_table("passordlenke")
    with op.batch_alter_table("bruker", schema=None) as batch_op:
        batch_op.drop_column("ma_bytte_passord")
        batch_op.drop_column("epost")
