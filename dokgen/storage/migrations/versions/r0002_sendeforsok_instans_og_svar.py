"""Sendeforsøk: SBDH-instans-id og svarkode

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sendeforsok", schema=None) as batch_op:
        batch_op.add_column(sa.Column("instans_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("svartype", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("svarkode", sa.String(length=2), nullable=True))
        batch_op.create_index(batch_op.f("ix_sendeforsok_instans_id"), ["instans_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sendeforsok", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sendeforsok_instans_id"))
        batch_op.drop_column("svarkode")
        batch_op.drop_column("svartype")
        batch_op.drop_column("instans_id")
