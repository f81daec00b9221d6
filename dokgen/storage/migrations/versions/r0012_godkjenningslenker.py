"""Godkjenninger: hvordan hver godkjenning ble gitt (metode), og personlige godkjenningslenker
til parter som ikke er innloggede brukere

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 14:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("godkjenning", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("metode", sa.String(length=30), nullable=False, server_default="innlogget")
        )
    # Approvals given before there was a method: on someone's behalf where it says so.
    op.execute("UPDATE godkjenning SET metode = 'pa_vegne_av' WHERE paa_vegne_av IS NOT NULL")
    op.create_table(
        "godkjenningslenke",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("versjon_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=40), nullable=False),
        sa.Column("navn", sa.String(length=200), nullable=False),
        sa.Column("epost", sa.String(length=254), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("kode_sha256", sa.String(length=64), nullable=True),
        sa.Column("kode_utloper", sa.DateTime(timezone=True), nullable=True),
        sa.Column("kode_forsok", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("koder_sendt", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opprettet_av", sa.String(length=200), nullable=False),
        sa.Column("utloper", sa.DateTime(timezone=True), nullable=False),
        sa.Column("brukt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("tilbakekalt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("avslatt", sa.DateTime(timezone=True), nullable=True),
        sa.Column("avslag_begrunnelse", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisasjon.id"]),
        sa.ForeignKeyConstraint(["versjon_id"], ["versjon.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_sha256"),
    )
    op.create_index(
        op.f("ix_godkjenningslenke_org_id"), "godkjenningslenke", ["org_id"], unique=False
    )
    op.create_index(
        op.f("ix_godkjenningslenke_versjon_id"), "godkjenningslenke", ["versjon_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_godkjenningslenke_versjon_id"), table_name="godkjenningslenke")
    op.drop_index(op.f("ix_godkjenningslenke_org_id"), table_name="godkjenningslenke")
    op.drop_table("godkjenningslenke")
    with op.batch_alter_table("godkjenning", schema=None) as batch_op:
        batch_op.drop_column("metode")
