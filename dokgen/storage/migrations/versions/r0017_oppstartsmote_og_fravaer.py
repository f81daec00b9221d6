"""A placement's oppstartsmøte (``oppstartsmote``: when, who met, the aim with the place, a
defined yrkesmål for an arbeidstrening, tilretteleggingsbehov), the absences its
arbeidsgiver reports (``plasseringsfravaer``: the days, the minutes when only part of a
day, the kind of reason, whether it is valid, who reported it and how), and a document's placement
(``dokument.plassering_id``: a tilretteleggingsgaranti, oppfølgingsplan or
arbeidspraksisavtale started from a placement)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 20:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oppstartsmote",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plassering_id", sa.Integer(), sa.ForeignKey("plassering.id"), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("deltakere", sa.JSON(), nullable=False),
        sa.Column("malsetting", sa.Text(), nullable=False),
        sa.Column("yrkesmal", sa.String(200)),
        sa.Column("tilretteleggingsbehov", sa.Text()),
        sa.Column("registrert", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registrert_av", sa.String(200), nullable=False),
        sa.Column("endret", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("plassering_id", name="uq_oppstartsmote_plassering"),
    )
    op.create_table(
        "plasseringsfravaer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column("plassering_id", sa.Integer(), sa.ForeignKey("plassering.id"), nullable=False),
        sa.Column("deltaker_id", sa.Integer(), sa.ForeignKey("deltaker.id"), nullable=False),
        sa.Column("fra_dato", sa.Date(), nullable=False),
        sa.Column("til_dato", sa.Date(), nullable=False),
        sa.Column("minutter", sa.Integer()),
        sa.Column("arsak", sa.String(30), nullable=False),
        sa.Column("gyldig", sa.Boolean(), nullable=False),
        sa.Column("meldt_av", sa.String(200), nullable=False),
        sa.Column("meldt_via", sa.String(30), nullable=False),
        sa.Column("meldt_dato", sa.Date(), nullable=False),
        sa.Column("registrert", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registrert_av", sa.String(200), nullable=False),
    )
    op.create_index("ix_plasseringsfravaer_plassering_id", "plasseringsfravaer", ["plassering_id"])
    op.create_index(
        "ix_plasseringsfravaer_deltaker_dato", "plasseringsfravaer", ["deltaker_id", "fra_dato"]
    )
    op.create_index("ix_plasseringsfravaer_org_id", "plasseringsfravaer", ["org_id"])
    # Not a batch on SQLite: it copies the table and cannot drop the old one while versions
    # refer to it. SQLite adds a nullable column with its reference in place instead.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE dokument ADD COLUMN plassering_id INTEGER "
            "CONSTRAINT fk_dokument_plassering REFERENCES plassering (id)"
        )
    else:
        op.add_column("dokument", sa.Column("plassering_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_dokument_plassering", "dokument", "plassering", ["plassering_id"], ["id"]
        )
    op.create_index("ix_dokument_plassering_id", "dokument", ["plassering_id"])


def downgrade() -> None:
    op.drop_index("ix_dokument_plassering_id", table_name="dokument")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_dokument_plassering", "dokument", type_="foreignkey")
    op.drop_column("dokument", "plassering_id")
    op.drop_table("plasseringsfravaer")
    op.drop_table("oppstartsmote")
