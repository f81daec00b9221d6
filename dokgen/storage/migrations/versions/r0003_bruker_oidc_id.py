"""Bruker: identiteten hos OIDC-utstederen (utsteder og sub) brukeren er koblet til

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 16:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bruker", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_id", sa.String(length=300), nullable=True))
        batch_op.create_index(batch_op.f("ix_bruker_oidc_id"), ["oidc_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("bruker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bruker_oidc_id"))
        batch_op.drop_column("oidc_id")
