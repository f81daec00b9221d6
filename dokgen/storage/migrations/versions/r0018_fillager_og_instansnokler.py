"""The PostgreSQL file store (``fil``: a file by its SHA-256, its size and number of chunks;
``filbit``: its bytes in chunks) and the instance's secrets kept in the database so every
node shares them (``instansnokkel``: the instance secret, the development certificate)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fil",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("storrelse", sa.BigInteger(), nullable=False),
        sa.Column("biter", sa.Integer(), nullable=False),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "filbit",
        sa.Column("sha256", sa.String(64), sa.ForeignKey("fil.sha256"), primary_key=True),
        sa.Column("nr", sa.Integer(), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "instansnokkel",
        sa.Column("navn", sa.String(100), primary_key=True),
        sa.Column("verdi", sa.LargeBinary(), nullable=False),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("instansnokkel")
    op.drop_table("filbit")
    op.drop_table("fil")
