"""Innloggingsforsøk: mislykkede passordinnlogginger på rad per brukernavn (hash) og sperre

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 18:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "innloggingsforsok",
        sa.Column("nokkel", sa.String(length=64), nullable=False),
        sa.Column("feil", sa.Integer(), nullable=False),
        sa.Column("sist", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sperret_til", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("nokkel"),
    )


def downgrade() -> None:
    op.drop_table("innloggingsforsok")
