"""De første tabellene

Revision ID: 0001
Revises:
Create Date: 2026-11-22 22:31:26.380159
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisasjon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("orgnr", sa.String(length=9), nullable=False),
        sa.Column("navn", sa.String(length=200), nullable=False),
        sa.Column("innstillinger", sa.JSON(), nullable=False),
        sa.Column("neste_fakturanummer", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("orgnr"),
    )
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("navn", sa.String(length=200), nullable=False),
        sa.Column("rolle", sa.String(length=20), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tilbakekalt", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisasjon.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_sha256"),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_token_org_id"), ["org_id"], unique=False)

    op.create_table(
        "bruker",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("brukernavn", sa.String(length=100), nullable=False),
        sa.Column("navn", sa.String(length=200), nullable=False),
        sa.Column("rolle", sa.String(length=20), nullable=False),
        sa.Column("passord_hash", sa.String(length=200), nullable=False),
        sa.Column("aktiv", sa.Boolean(), nullable=False),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisasjon.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("brukernavn"),
    )
    with op.batch_alter_table("bruker", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bruker_org_id"), ["org_id"], unique=False)

    op.create_table(
        "dokument",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("deltaker", sa.String(length=200), nullable=False),
        sa.Column("periode_fra", sa.String(length=10), nullable=True),
        sa.Column("periode_til", sa.String(length=10), nullable=True),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opprettet_av", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisasjon.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dokument", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dokument_deltaker"), ["deltaker"], unique=False)
        batch_op.create_index(batch_op.f("ix_dokument_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dokument_type"), ["type"], unique=False)

    op.create_table(
        "faktura",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("nummer", sa.String(length=40), nullable=False),
        sa.Column("art", sa.String(length=20), nullable=False),
        sa.Column("krediterer_id", sa.String(length=36), nullable=True),
        sa.Column("periode_fra", sa.String(length=10), nullable=False),
        sa.Column("periode_til", sa.String(length=10), nullable=False),
        sa.Column("fakturadato", sa.String(length=10), nullable=False),
        sa.Column("belop", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("feil", sa.Text(), nullable=True),
        sa.Column("grunnlag", sa.JSON(), nullable=False),
        sa.Column("linjer", sa.JSON(), nullable=False),
        sa.Column("forklaringer", sa.JSON(), nullable=False),
        sa.Column("rapport", sa.JSON(), nullable=True),
        sa.Column("xml_sha256", sa.String(length=64), nullable=True),
        sa.Column("vedlegg_sha256", sa.String(length=64), nullable=True),
        sa.Column("meldings_id", sa.String(length=200), nullable=True),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opprettet_av", sa.String(length=200), nullable=False),
        sa.Column("endret", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["krediterer_id"],
            ["faktura.id"],
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisasjon.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("org_id", "nummer"),
    )
    with op.batch_alter_table("faktura", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_faktura_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_faktura_status"), ["status"], unique=False)

    op.create_table(
        "malversjon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("filnavn", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("lastet_opp_av", sa.String(length=200), nullable=False),
        sa.Column("tidspunkt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisasjon.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("malversjon", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_malversjon_org_id"), ["org_id"], unique=False)

    op.create_table(
        "revisjon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tidspunkt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("aktor", sa.String(length=200), nullable=False),
        sa.Column("handling", sa.String(length=40), nullable=False),
        sa.Column("objekt_type", sa.String(length=40), nullable=False),
        sa.Column("objekt_id", sa.String(length=64), nullable=True),
        sa.Column("fra", sa.String(length=100), nullable=True),
        sa.Column("foresporsel", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisasjon.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("revisjon", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revisjon_org_id"), ["org_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_revisjon_tidspunkt"), ["tidspunkt"], unique=False)

    op.create_table(
        "sendeforsok",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("faktura_id", sa.String(length=36), nullable=False),
        sa.Column("tidspunkt", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resultat", sa.String(length=20), nullable=False),
        sa.Column("arsak", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["faktura_id"],
            ["faktura.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sendeforsok", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sendeforsok_faktura_id"), ["faktura_id"], unique=False)

    op.create_table(
        "versjon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dokument_id", sa.String(length=36), nullable=False),
        sa.Column("nummer", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("data_sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("feil", sa.Text(), nullable=True),
        sa.Column("docx_sha256", sa.String(length=64), nullable=True),
        sa.Column("utkast_pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=True),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("endret", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dokument_id"],
            ["dokument.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dokument_id", "nummer"),
    )
    with op.batch_alter_table("versjon", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_versjon_dokument_id"), ["dokument_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_versjon_status"), ["status"], unique=False)

    op.create_table(
        "godkjenning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("versjon_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=40), nullable=False),
        sa.Column("navn", sa.String(length=200), nullable=False),
        sa.Column("bruker", sa.String(length=200), nullable=False),
        sa.Column("paa_vegne_av", sa.String(length=200), nullable=True),
        sa.Column("begrunnelse", sa.String(length=500), nullable=True),
        sa.Column("innhold_sha256", sa.String(length=64), nullable=False),
        sa.Column("tidspunkt", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["versjon_id"],
            ["versjon.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("versjon_id", "part"),
    )
    with op.batch_alter_table("godkjenning", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_godkjenning_versjon_id"), ["versjon_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("godkjenning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_godkjenning_versjon_id"))

    op.drop_table("godkjenning")
    with op.batch_alter_table("versjon", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_versjon_status"))
        batch_op.drop_index(batch_op.f("ix_versjon_dokument_id"))

    op.drop_table("versjon")
    with op.batch_alter_table("sendeforsok", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sendeforsok_faktura_id"))

    op.drop_table("sendeforsok")
    with op.batch_alter_table("revisjon", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_revisjon_tidspunkt"))
        batch_op.drop_index(batch_op.f("ix_revisjon_org_id"))

    op.drop_table("revisjon")
    with op.batch_alter_table("malversjon", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_malversjon_org_id"))

    op.drop_table("malversjon")
    with op.batch_alter_table("faktura", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_faktura_status"))
        batch_op.drop_index(batch_op.f("ix_faktura_org_id"))

    op.drop_table("faktura")
    with op.batch_alter_table("dokument", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dokument_type"))
        batch_op.drop_index(batch_op.f("ix_dokument_org_id"))
        batch_op.drop_index(batch_op.f("ix_dokument_deltaker"))

    op.drop_table("dokument")
    with op.batch_alter_table("bruker", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bruker_org_id"))

    op.drop_table("bruker")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_org_id"))

    op.drop_table("api_token")
    op.drop_table("organisasjon")
