"""The praksisplass register: arbeidsgivere (orgnr, name, address, contact persons), their
praksisplasser (kind, tasks, capacity), the placements of deltakere in them with the
routine's status (``plassering``) and each placement's status history
(``plasseringsstatus``)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _tider() -> list[sa.Column[object]]:
    return [
        sa.Column("opprettet", sa.DateTime(timezone=True), nullable=False),
        sa.Column("endret", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "arbeidsgiver",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column("orgnr", sa.String(9), nullable=False),
        sa.Column("navn", sa.String(200), nullable=False),
        sa.Column("adresse", sa.JSON()),
        sa.Column("kontaktpersoner", sa.JSON(), nullable=False),
        *_tider(),
        sa.UniqueConstraint("org_id", "orgnr", name="uq_arbeidsgiver_org_orgnr"),
    )
    op.create_index("ix_arbeidsgiver_org_id", "arbeidsgiver", ["org_id"])
    op.create_table(
        "praksisplass",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column(
            "arbeidsgiver_id", sa.Integer(), sa.ForeignKey("arbeidsgiver.id"), nullable=False
        ),
        sa.Column("avdeling", sa.String(200)),
        sa.Column("art", sa.String(30), nullable=False),
        sa.Column("arbeidsoppgaver", sa.Text()),
        sa.Column("kapasitet", sa.Integer(), nullable=False),
        sa.Column("aktiv", sa.Boolean(), nullable=False, server_default=sa.true()),
        *_tider(),
    )
    op.create_index("ix_praksisplass_org_id", "praksisplass", ["org_id"])
    op.create_index("ix_praksisplass_arbeidsgiver_id", "praksisplass", ["arbeidsgiver_id"])
    op.create_table(
        "plassering",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisasjon.id"), nullable=False),
        sa.Column(
            "praksisplass_id", sa.Integer(), sa.ForeignKey("praksisplass.id"), nullable=False
        ),
        sa.Column("deltaker_id", sa.Integer(), sa.ForeignKey("deltaker.id"), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("statusmote_dato", sa.Date()),
        sa.Column("startdato", sa.Date()),
        sa.Column("planlagt_sluttdato", sa.Date()),
        sa.Column("sluttdato", sa.Date()),
        sa.Column("sluttarsak", sa.String(200)),
        *_tider(),
    )
    for kolonne in ("org_id", "praksisplass_id", "deltaker_id", "status"):
        op.create_index(f"ix_plassering_{kolonne}", "plassering", [kolonne])
    op.create_table(
        "plasseringsstatus",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plassering_id", sa.Integer(), sa.ForeignKey("plassering.id"), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        sa.Column("dato", sa.Date(), nullable=False),
        sa.Column("registrert", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registrert_av", sa.String(200), nullable=False),
    )
    op.create_index("ix_plasseringsstatus_plassering_id", "plasseringsstatus", ["plassering_id"])


def downgrade() -> None:
    op.drop_table("plasseringsstatus")
    op.drop_table("plassering")
    op.drop_table("praksisplass")
    op.drop_table("arbeidsgiver")
