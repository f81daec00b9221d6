"""The month's close: how a gjennomføring is claimed (``kravform``, timepriser with validity
dates), the hours staff register per deltaker (``aktivitet``), the claim or invoice made per
gjennomføring and month (``manedskrav``, unique per month and correction number so a month
is never closed twice), and invoices tied to their gjennomføring, month and correction

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 16:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gjennomforing") as batch_op:
        batch_op.add_column(
            sa.Column("kravform", sa.String(20), nullable=False, server_default="ehf")
        )
        batch_op.add_column(sa.Column("timepriser", sa.JSON(), nullable=True))
    op.create_table(
        "aktivitet",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column(
            "gjennomforing_id", sa.Integer(), sa.ForeignKey("gjennomforing.id"), nullable=False
        ),
        sa.Column("deltaker_id", sa.Integer(), sa.ForeignKey("deltaker.id"), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("aktivitet", sa.String(40), nullable=False),
        sa.Column("minutter", sa.Integer(), nullable=False),
        sa.Column("mote", sa.String(200)),
        sa.Column("rapport", sa.String(40)),
        sa.Column("antall_deltakere", sa.Integer()),
        sa.Column("kommentar", sa.String(500)),
        sa.Column("kilde", sa.String(20), nullable=False),
        sa.Column("registrert", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registrert_av", sa.String(200), nullable=False),
        sa.Column("endret", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_aktivitet_gjennomforing_dato", "aktivitet", ["gjennomforing_id", "dato"])
    op.create_index("ix_aktivitet_deltaker_dato", "aktivitet", ["deltaker_id", "dato"])
    op.create_index("ix_aktivitet_org_dato", "aktivitet", ["org_id", "dato"])
    with op.batch_alter_table("faktura") as batch_op:
        batch_op.add_column(sa.Column("gjennomforing_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("maned", sa.String(7), nullable=True))
        batch_op.add_column(sa.Column("erstatter_id", sa.String(36), nullable=True))
        batch_op.add_column(sa.Column("begrunnelse", sa.String(500), nullable=True))
        batch_op.create_foreign_key(
            "fk_faktura_gjennomforing", "gjennomforing", ["gjennomforing_id"], ["id"]
        )
        batch_op.create_foreign_key("fk_faktura_erstatter", "faktura", ["erstatter_id"], ["id"])
        batch_op.create_index("ix_faktura_org_maned", ["org_id", "maned"])
    op.create_table(
        "manedskrav",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column(
            "gjennomforing_id", sa.Integer(), sa.ForeignKey("gjennomforing.id"), nullable=False
        ),
        sa.Column("maned", sa.String(7), nullable=False),
        sa.Column("lopenr", sa.Integer(), nullable=False),
        sa.Column("art", sa.String(20), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("faktura_id", sa.String(36), sa.ForeignKey("faktura.id")),
        sa.Column("belop", sa.String(30), nullable=False),
        sa.Column("belop_kroner", sa.Integer(), nullable=False),
        sa.Column("timepris", sa.String(30)),
        sa.Column("korrigerer_id", sa.String(36), sa.ForeignKey("manedskrav.id")),
        sa.Column("begrunnelse", sa.String(500)),
        sa.Column("funn", sa.JSON(), nullable=False),
        sa.Column("grunnlag", sa.JSON(), nullable=False),
        sa.Column("filer", sa.JSON(), nullable=False),
        sa.Column("feil", sa.Text()),
        sa.Column("nav_status", sa.String(30)),
        sa.Column("utbetalt", sa.String(30)),
        sa.Column("nav_kommentar", sa.String(500)),
        sa.Column("nav_registrert", sa.DateTime(timezone=True)),
        sa.Column("nav_registrert_av", sa.String(200)),
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opprettet_av", sa.String(200), nullable=False),
        sa.Column("endret", sa.DateTime(timezone=True), nullable=False),
        sa.Column("jobb_frist", sa.DateTime(timezone=True)),
        sa.Column("jobb_forsok", sa.Integer(), nullable=False, server_default="0"),
        sa.UniqueConstraint("gjennomforing_id", "maned", "lopenr"),
    )
    op.create_index("ix_manedskrav_org_maned", "manedskrav", ["org_id", "maned"])


def downgrade() -> None:
    op.drop_table("manedskrav")
    with op.batch_alter_table("faktura") as batch_op:
        batch_op.drop_index("ix_faktura_org_maned")
        batch_op.drop_constraint("fk_faktura_erstatter", type_="foreignkey")
        batch_op.drop_constraint("fk_faktura_gjennomforing", type_="foreignkey")
        batch_op.drop_column("begrunnelse")
        batch_op.drop_column("erstatter_id")
        batch_op.drop_column("maned")
        batch_op.drop_column("gjennomforing_id")
    op.drop_table("aktivitet")
    with op.batch_alter_table("gjennomforing") as batch_op:
        batch_op.drop_column("timepriser")
        batch_op.drop_column("kravform")
