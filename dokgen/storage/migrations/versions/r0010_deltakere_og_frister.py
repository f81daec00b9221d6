"""Deltakere, gjennomføringer and frister: the register of the follow-up cycle; documents
name the deltaker and gjennomføring they are about and when they were finalised; users get a
phone number and a calendar feed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 13:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TID = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "gjennomforing",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column("navn", sa.String(200), nullable=False),
        sa.Column("tiltakstype", sa.String(100), nullable=False),
        sa.Column("avtalenummer", sa.String(100)),
        sa.Column("tiltaksnummer", sa.String(100)),
        sa.Column("regelsett", sa.String(40), nullable=False),
        sa.Column("startdato", sa.Date(), nullable=False),
        sa.Column("sluttdato", sa.Date()),
        sa.Column("timepris", sa.String(30)),
        sa.Column("kjoper", sa.JSON()),
        sa.Column("deres_referanse", sa.String(100)),
        sa.Column("bestillingsnummer", sa.String(100)),
        sa.Column("evaluering_dager", sa.Integer(), nullable=False, server_default="14"),
        sa.Column("opprettet", _TID, nullable=False),
        sa.Column("endret", _TID, nullable=False),
    )
    op.create_index("ix_gjennomforing_org_id", "gjennomforing", ["org_id"])
    op.create_table(
        "deltaker",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column(
            "gjennomforing_id", sa.Integer(), sa.ForeignKey("gjennomforing.id"), nullable=False
        ),
        sa.Column("nr", sa.String(20), nullable=False),
        sa.Column("fornavn", sa.String(100), nullable=False),
        sa.Column("mellomnavn", sa.String(100)),
        sa.Column("etternavn", sa.String(100), nullable=False),
        sa.Column("fodselsnummer", sa.String(11), nullable=False),
        sa.Column("telefon", sa.String(20)),
        sa.Column("epost", sa.String(254)),
        sa.Column("adresse", sa.JSON()),
        sa.Column("adressebeskyttet", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("oppstartdato", sa.Date()),
        sa.Column("sluttdato", sa.Date()),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("status_aarsak", sa.String(60)),
        sa.Column("status_beskrivelse", sa.String(500)),
        sa.Column("status_gyldig_fra", sa.Date()),
        sa.Column("soknadsdato", sa.Date()),
        sa.Column("bestilling_fra_nav", sa.Text()),
        sa.Column("innsokende_nav_kontor", sa.String(200)),
        sa.Column("veileder_nav", sa.JSON()),
        sa.Column("deltakelsesprosent", sa.Integer()),
        sa.Column("dager_per_uke", sa.String(10)),
        sa.Column("opprettet", _TID, nullable=False),
        sa.Column("endret", _TID, nullable=False),
        sa.UniqueConstraint("org_id", "nr", name="uq_deltaker_org_nr"),
        sa.UniqueConstraint("org_id", "fodselsnummer", name="uq_deltaker_org_fodselsnummer"),
    )
    for kolonne in ("org_id", "gjennomforing_id", "etternavn", "status"):
        op.create_index(f"ix_deltaker_{kolonne}", "deltaker", [kolonne])
    op.create_table(
        "deltakerstatus",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deltaker_id", sa.Integer(), sa.ForeignKey("deltaker.id"), nullable=False),
        sa.Column("type", sa.String(30), nullable=False),
        sa.Column("aarsak", sa.String(60)),
        sa.Column("beskrivelse", sa.String(500)),
        sa.Column("gyldig_fra", sa.Date()),
        sa.Column("registrert", _TID, nullable=False),
        sa.Column("registrert_av", sa.String(200), nullable=False),
        sa.Column("kilde", sa.String(20), nullable=False),
    )
    op.create_index("ix_deltakerstatus_deltaker_id", "deltakerstatus", ["deltaker_id"])
    op.create_table(
        "deltakerveileder",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("deltaker_id", sa.Integer(), sa.ForeignKey("deltaker.id"), nullable=False),
        sa.Column("bruker_id", sa.Integer(), sa.ForeignKey("bruker.id"), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.UniqueConstraint("deltaker_id", "bruker_id"),
    )
    op.create_index("ix_deltakerveileder_deltaker_id", "deltakerveileder", ["deltaker_id"])
    op.create_index("ix_deltakerveileder_bruker_id", "deltakerveileder", ["bruker_id"])
    op.create_table(
        "fristkobling",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column(
            "gjennomforing_id", sa.Integer(), sa.ForeignKey("gjennomforing.id"), nullable=False
        ),
        sa.Column("deltaker_id", sa.Integer(), sa.ForeignKey("deltaker.id")),
        sa.Column("nokkel", sa.String(60), nullable=False),
        sa.Column("dokument_id", sa.String(36), sa.ForeignKey("dokument.id"), nullable=False),
        sa.Column("av", sa.String(200), nullable=False),
        sa.Column("tidspunkt", _TID, nullable=False),
        sa.UniqueConstraint("deltaker_id", "gjennomforing_id", "nokkel", name="uq_fristkobling"),
    )
    for kolonne in ("org_id", "gjennomforing_id", "deltaker_id"):
        op.create_index(f"ix_fristkobling_{kolonne}", "fristkobling", [kolonne])
    with op.batch_alter_table("dokument") as batch_op:
        batch_op.add_column(sa.Column("deltaker_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("gjennomforing_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ferdig", _TID, nullable=True))
        batch_op.create_foreign_key("fk_dokument_deltaker", "deltaker", ["deltaker_id"], ["id"])
        batch_op.create_foreign_key(
            "fk_dokument_gjennomforing", "gjennomforing", ["gjennomforing_id"], ["id"]
        )
        batch_op.create_index("ix_dokument_deltaker_id", ["deltaker_id"])
        batch_op.create_index("ix_dokument_gjennomforing_id", ["gjennomforing_id"])
    # Documents finalised before this revision: finalised when their version was.
    op.execute(
        "UPDATE dokument SET ferdig = (SELECT versjon.endret FROM versjon WHERE "
        "versjon.dokument_id = dokument.id AND versjon.status = 'godkjent')"
    )
    with op.batch_alter_table("bruker") as batch_op:
        batch_op.add_column(sa.Column("telefon", sa.String(16), nullable=True))
        batch_op.add_column(sa.Column("kalender_sha256", sa.String(64), nullable=True))
        batch_op.create_unique_constraint("uq_bruker_kalender_sha256", ["kalender_sha256"])
    with op.batch_alter_table("organisasjon") as batch_op:
        batch_op.add_column(
            sa.Column("neste_deltakernummer", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("organisasjon") as batch_op:
        batch_op.drop_column("neste_deltakernummer")
    with op.batch_alter_table("bruker") as batch_op:
        batch_op.drop_constraint("uq_bruker_kalender_sha256", type_="unique")
        batch_op.drop_column("kalender_sha256")
        batch_op.drop_column("telefon")
    with op.batch_alter_table("dokument") as batch_op:
        batch_op.drop_index("ix_dokument_gjennomforing_id")
        batch_op.drop_index("ix_dokument_deltaker_id")
        batch_op.drop_constraint("fk_dokument_gjennomforing", type_="foreignkey")
        batch_op.drop_constraint("fk_dokument_deltaker", type_="foreignkey")
        batch_op.drop_column("ferdig")
        batch_op.drop_column("gjennomforing_id")
        batch_op.drop_column("deltaker_id")
    for tabell in (
        "fristkobling",
        "deltakerveileder",
        "deltakerstatus",
        "deltaker",
        "gjennomforing",
    ):
        op.drop_table(tabell)
