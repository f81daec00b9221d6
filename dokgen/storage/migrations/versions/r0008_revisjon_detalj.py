"""Revisjon: detalj — what an audited change was, in a few words (e.g. an uploaded
certificate's subject), never content

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisjon", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detalj", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("revisjon", schema=None) as batch_op:
        batch_op.drop_column("detalj")
