"""Jobbleie: frist og forsøk for jobben som arbeider med en versjon eller faktura

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 10:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TABLES = ("versjon", "faktura")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("jobb_frist", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(
                sa.Column("jobb_forsok", sa.Integer(), nullable=False, server_default="0")
            )


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("jobb_forsok")
            batch_op.drop_column("jobb_frist")
